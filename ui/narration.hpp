// Events in plain words for the event log and the message biography ("worker-a got orders p1@3,
// attempt 2; its lease runs to 1,500 ms"), where the CLI's trace line is terse.
#pragma once

#include <string>

#include "broker/event.hpp"

namespace driftq::ui {

std::string narrate(const Event& e);
// "orders p1@3" (or "orders" when the event names no message).
std::string where_of(const Event& e);
// Kinds worth a marker on the scrubber and the plots: faults, lease expiries, dead letters.
bool is_fault(EventKind k);
bool is_marker(EventKind k);

}  // namespace driftq::ui
