// A seeded random-scenario campaign, after TigerBeetle's VOPR: each seed draws a whole scenario
// (topics, producers with envelopes and idempotency keys, consumers that crash, hang, nack and
// lose acks, broker crashes with power loss and a torn or flipped WAL, random broker and WAL
// options including both commit rules), runs it twice, and checks every invariant that the
// drawn situation promises, that both runs are identical, and that replay after each crash is
// exactly the durable state. Everything is drawn from the seed, so a failure is its seed.
#pragma once

#include <cstdint>
#include <string>

namespace driftq::sim {

// The scenario a seed draws, as the text of a scenario file: the file a failure writes is
// exactly what ran, and `driftq-sim run` on it reproduces the failure.
std::string random_scenario(std::uint64_t seed);

struct SeedOutcome {
    std::uint64_t seed = 0;
    bool ok = false;
    std::string failure;    // the first problem, in words (empty when ok)
    std::string scenario;   // the drawn scenario file
    std::uint64_t events = 0;   // in one run
    std::uint64_t checks = 0;   // checks evaluated in one run
    std::uint64_t trace_hash = 0;  // FNV-1a of the run's NDJSON trace (native vs wasm)
};

// Draws, runs twice and checks one seed.
SeedOutcome run_seed(std::uint64_t seed);

}  // namespace driftq::sim
