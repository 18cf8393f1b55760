// Virtual time. The core never reads a clock: every operation receives the current time as an
// argument, in milliseconds since an epoch chosen by the caller (the simulator starts at 0, the
// HTTP broker passes Unix milliseconds).
#pragma once

#include <cstdint>

namespace driftq {

using TimeMs = std::int64_t;

}  // namespace driftq
