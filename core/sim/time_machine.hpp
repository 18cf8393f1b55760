// Time travel over a scenario run: the whole run is recorded once, with a snapshot of the world
// every N events; seeking to a time restores the latest snapshot at or before it and re-runs
// the (deterministic) world forward. Stepping moves to the next or previous event time, or by
// one tick.
#pragma once

#include <memory>
#include <utility>
#include <vector>

#include "sim/world.hpp"

namespace driftq::sim {

class TimeMachine {
public:
    // Records the run to its end. A smaller `events_per_snapshot` makes seeking faster and
    // costs memory: each snapshot is a full copy of the world (message bodies are shared).
    explicit TimeMachine(Scenario scenario, std::size_t events_per_snapshot = 20'000);

    // The complete run: its trace and its checks.
    const World& recording() const { return *recording_; }
    const std::vector<Event>& trace() const { return recording_->trace(); }
    std::size_t snapshot_count() const { return snapshots_.size(); }

    // The world as it is once everything up to virtual time `t` has happened.
    const World& seek(TimeMs t);
    TimeMs position() const { return position_; }
    const World& step_event_forward();  // to the next time at which an event happens
    const World& step_event_back();     // to the previous such time
    const World& step_tick_forward();   // by one broker tick
    const World& step_tick_back();

private:
    std::vector<std::pair<TimeMs, std::unique_ptr<World>>> snapshots_;  // ascending times
    std::unique_ptr<World> recording_;
    std::unique_ptr<World> current_;
    TimeMs position_ = 0;
};

}  // namespace driftq::sim
