// What the panels that show scenario consumers share (Groups, Flow): the word for a consumer's
// state and the Command that acts on one by name.
#pragma once

#include <string>

#include "sim/command.hpp"
#include "sim/world.hpp"

namespace driftq::ui {

inline sim::Command consumer_command(sim::Command::Kind kind, const std::string& name) {
    sim::Command c;
    c.kind = kind;
    c.consumer = name;
    return c;
}

// gone, no broker, paused, hanging, live or not joined.
inline const char* consumer_state(const sim::World::Consumer& c, bool broker_up) {
    if (c.gone) return "gone";
    if (!broker_up) return "no broker";
    if (c.paused) return "paused";
    if (c.hanging) return "hanging";
    return c.stream ? "live" : "not joined";
}

}  // namespace driftq::ui
