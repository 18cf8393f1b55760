// A random broker workload shared by the replay tests (in memory and on real files).
#pragma once

#include <cstdint>

#include "broker/broker.hpp"

namespace driftq::testing {

// Random operations against `b`: topics, consumers joining and leaving, produces with every
// envelope feature, acks, nacks, ticks and direct consume-idempotency calls.
void random_workload(Broker& b, std::uint64_t seed, int steps);

}  // namespace driftq::testing
