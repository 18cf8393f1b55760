// The random-scenario campaign: what a seed draws, and that it covers what it claims to.
#include <doctest/doctest.h>

#include <map>

#include "scenario_fixture.hpp"
#include "sim/campaign.hpp"

using namespace driftq;
using namespace driftq::sim;

TEST_CASE("a seed draws the same scenario file every time; other seeds draw others") {
    CHECK(random_scenario(7) == random_scenario(7));
    CHECK(random_scenario(7) != random_scenario(8));
    const Scenario s = parse_ok(random_scenario(7));
    CHECK(s.seed == 7);
    CHECK(s.name == "campaign-7");
}

namespace {

// Counts what drawn scenarios contain, by what the reader makes of them.
std::map<std::string, int> features(int seeds) {
    std::map<std::string, int> n;
    for (int seed = 1; seed <= seeds; ++seed) {
        const Scenario s = parse_ok(random_scenario(static_cast<std::uint64_t>(seed)));
        ++n[s.broker.commit_rule == CommitRule::contiguous ? "contiguous" : "highest_acked"];
        ++n[s.wal ? "durability " + std::string(to_string(s.wal->durability)) : "no wal"];
        for (const TimedCommand& t : s.timeline) {
            ++n[std::string(to_string(t.command.kind))];
            if (t.command.kind == Command::Kind::broker_crash) ++n[std::string(to_string(t.command.power_loss))];
        }
        for (const ConsumerSpec& c : s.consumers) {
            ++n["behaviour " + std::string(to_string(c.behaviour))];
            if (c.crash_at) ++n["crash_at"];
            if (c.ack_loss_probability > 0) ++n["ack loss"];
            if (c.fail_probability > 0) ++n["fail probability"];
        }
        for (const ProducerSpec& p : s.producers) {
            if (p.idempotent_retries) ++n["idempotent retries"];
            if (p.duplicate_probability > 0) ++n["lost produce responses"];
            for (const MessageSpec& m : p.messages) {
                if (m.envelope && !m.envelope->idempotency_key.empty()) ++n["idempotency key"];
                if (m.envelope && m.envelope->partition_override) ++n["partition override"];
                if (m.envelope && m.envelope->retry_policy) ++n["retry policy"];
            }
        }
        for (Invariant i : s.invariants) ++n[std::string(to_string(i))];
    }
    return n;
}

}  // namespace

TEST_CASE("300 seeds draw every fault, option and promise the campaign claims to cover") {
    const auto n = features(300);
    for (const char* f : {"contiguous", "highest_acked", "durability always", "durability batch",
                          "durability none", "no wal", "broker_crash", "broker_restart", "drop_unsynced",
                          "keep_prefix", "keep_sectors", "torn_tail", "flip_byte", "consumer_hang",
                          "consumer_pause", "consumer_resume", "lose_ack", "behaviour ack", "behaviour nack",
                          "behaviour hang", "crash_at", "ack loss", "fail probability", "idempotent retries",
                          "lost produce responses", "idempotency key", "partition override", "retry policy",
                          "per_key_order", "replay_equals_durable_state", "no_durable_produce_lost",
                          "committed_monotonic", "all_acked_or_dead_lettered"}) {
        CAPTURE(f);
        CHECK(n.count(f) == 1);
        if (n.count(f)) CHECK(n.at(f) >= 5);
    }
}

TEST_CASE("a seed runs twice with identical traces and every check of what it promises holds") {
    for (std::uint64_t seed : {1u, 2u, 3u, 4u, 5u}) {
        CAPTURE(seed);
        const SeedOutcome r = run_seed(seed);
        CHECK_MESSAGE(r.ok, r.failure);
        CHECK(r.events > 0);
        CHECK(r.checks >= parse_ok(r.scenario).invariants.size());  // one result per invariant at least
        CHECK(r.scenario == random_scenario(seed));
        CHECK(run_seed(seed).trace_hash == r.trace_hash);
    }
}
