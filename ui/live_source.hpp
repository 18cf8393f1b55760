// A live broker the visualiser mirrors (driftq-viz --listen): real HTTP clients' traffic arrives
// as the commands the broker applied, which the view appends to its session's first branch, so
// every panel shows it as it happens, and the person can pause, scroll back and return to live
// while the broker goes on. The host implements it (threads and sockets are the host's).
#pragma once

#include <string>
#include <vector>

#include "sim/command.hpp"
#include "sim/scenario.hpp"

namespace driftq::ui {

class LiveSource {
public:
    virtual ~LiveSource() = default;
    struct Batch {
        std::vector<sim::TimedCommand> commands;  // applied since the last take(), in order
        TimeMs now = 0;                           // how far the broker's clock has run
    };
    virtual Batch take() = 0;
    // A few words for the status bar: "driftqd on 127.0.0.1:8080".
    virtual std::string describe() const = 0;
};

// The lesson step a live view opens with: what the window is, what to send the broker at
// `base_url` ("http://127.0.0.1:8080"), and how time travel works while it runs.
sim::Lesson live_lesson(const std::string& base_url);

}  // namespace driftq::ui
