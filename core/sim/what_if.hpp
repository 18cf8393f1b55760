// "What if...": the same scenario with one option changed, to run beside the original and find
// the first event where the two runs part. Each change is applied to the parsed scenario (every
// place the option lives: the broker's options, each consumer, each message's retry policy), so
// both runs have the same seed, producers, faults and timeline.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "sim/scenario.hpp"

namespace driftq::sim {


inline constexpr WhatIf::Kind kWhatIfKinds[] = {WhatIf::Kind::commit_rule, WhatIf::Kind::lease_ms,
                                                WhatIf::Kind::max_attempts, WhatIf::Kind::backoff_ms,
                                                WhatIf::Kind::max_in_flight, WhatIf::Kind::durability};

const char* name(WhatIf::Kind kind);  // "commit rule", "lease", ...
// The option's value in `s` now, in the same encoding as WhatIf::value (the first consumer's
// lease, the first retry policy's attempts or backoff; 0 where the scenario sets none).
std::int64_t current_value(const Scenario& s, WhatIf::Kind kind);
// In words: "the contiguous commit rule", "a 1000 ms lease", "max attempts 5", ...
std::string describe(const WhatIf& w);
// `s` with the change made. An empty string if it applies; else why not (durability without a
// WAL, a value out of range).
std::string apply_what_if(Scenario& s, const WhatIf& w);

}  // namespace driftq::sim
