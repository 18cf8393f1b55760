#include "sim/time_machine.hpp"

#include <algorithm>

namespace driftq::sim {

TimeMachine::TimeMachine(Scenario scenario, std::size_t events_per_snapshot)
    : recording_(std::make_unique<World>(std::move(scenario))) {
    const TimeMs until = recording_->scenario().until_ms;
    const TimeMs tick = std::max<TimeMs>(1, recording_->scenario().broker.tick_ms);
    snapshots_.emplace_back(0, recording_->snapshot());
    std::size_t at_last_snapshot = 0;
    // Advance in tick-sized slices; a slice boundary is a point the world can resume from
    // exactly (the determinism tests check that sliced and straight runs agree).
    for (TimeMs t = tick; t < until; t += tick) {
        recording_->run_until(t);
        if (recording_->trace().size() - at_last_snapshot >= events_per_snapshot) {
            snapshots_.emplace_back(t, recording_->snapshot());
            at_last_snapshot = recording_->trace().size();
        }
    }
    recording_->finish();
    current_ = snapshots_.front().second->snapshot();
}

const World& TimeMachine::seek(TimeMs t) {
    t = std::clamp<TimeMs>(t, 0, recording_->scenario().until_ms);
    // Latest snapshot at or before t; re-use the current world if it is closer and not ahead.
    auto it = std::upper_bound(snapshots_.begin(), snapshots_.end(), t,
                               [](TimeMs v, const auto& s) { return v < s.first; });
    const auto& [snap_time, snap] = *std::prev(it);
    if (!(current_->now() <= t && current_->now() >= snap_time)) current_ = snap->snapshot();
    current_->run_until(t);
    position_ = t;
    return *current_;
}

const World& TimeMachine::step_event_forward() {
    const auto& tr = trace();
    auto it = std::upper_bound(tr.begin(), tr.end(), position_,
                               [](TimeMs v, const Event& e) { return v < e.at; });
    return seek(it == tr.end() ? recording_->scenario().until_ms : it->at);
}

const World& TimeMachine::step_event_back() {
    const auto& tr = trace();
    auto it = std::lower_bound(tr.begin(), tr.end(), position_,
                               [](const Event& e, TimeMs v) { return e.at < v; });
    return seek(it == tr.begin() ? 0 : std::prev(it)->at);
}

const World& TimeMachine::step_tick_forward() {
    return seek(position_ + recording_->scenario().broker.tick_ms);
}

const World& TimeMachine::step_tick_back() {
    return seek(position_ - recording_->scenario().broker.tick_ms);
}

}  // namespace driftq::sim
