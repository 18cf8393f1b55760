// Read-only views for front ends: what the state structs hold, with what the broker derives
// from them (lease deadlines, the pass that will redeliver) worked out.
#include <algorithm>

#include "broker/broker_internal.hpp"
#include "broker/retry.hpp"

namespace driftq {

TimeMs Broker::pass_at_or_after(TimeMs t) const {
    const TimeMs next = next_tick_at();
    if (t <= next || options_.tick_ms <= 0) return next;
    const TimeMs steps = (t - next + options_.tick_ms - 1) / options_.tick_ms;
    return next + steps * options_.tick_ms;
}

InFlightView Broker::view_of(const std::string& topic, const std::string& group, const Group& g,
                             std::int32_t partition, std::int64_t offset, const InFlightEntry& e) const {
    InFlightView v;
    v.topic = topic;
    v.group = group;
    v.partition = partition;
    v.offset = offset;
    v.message = e.message;
    v.owner = e.owner;
    for (StreamId id : g.streams) {
        if (trim(streams_.at(id).owner) == trim(e.owner)) {
            v.stream = id;
            break;
        }
    }
    v.attempts = e.attempts;
    v.sent_at = e.sent_at;
    v.lease_ms = lease_for_owner(g, e.owner);
    v.lease_deadline = e.sent_at + v.lease_ms;
    v.next_eligible_at = e.next_deliver_at;
    if (!g.streams.empty()) {
        v.redelivery_at = pass_at_or_after(std::max(v.lease_deadline, e.next_deliver_at.value_or(0)));
    }
    v.lease_expired = e.expiry_reported;
    v.last_error = e.last_error;
    return v;
}

std::vector<InFlightView> Broker::in_flight_view() const {
    std::vector<InFlightView> out;
    out.reserve(in_flight_total_);
    for (const auto& [topic_name, t] : topics_) {
        for (const auto& [group_name, g] : t.groups) {
            for (std::size_t p = 0; p < g.partitions.size(); ++p) {
                for (const auto& [offset, e] : g.partitions[p].in_flight) {
                    out.push_back(view_of(topic_name, group_name, g, static_cast<std::int32_t>(p), offset, e));
                }
            }
        }
    }
    return out;
}

std::vector<InFlightView> Broker::in_flight_view(std::string_view topic, std::string_view group,
                                                 std::int32_t partition) const {
    std::vector<InFlightView> out;
    const auto t = topics_.find(topic);
    if (t == topics_.end()) return out;
    const auto g = t->second.groups.find(group);
    if (g == t->second.groups.end() || partition < 0 ||
        static_cast<std::size_t>(partition) >= g->second.partitions.size()) {
        return out;
    }
    const auto& in_flight = g->second.partitions[static_cast<std::size_t>(partition)].in_flight;
    out.reserve(in_flight.size());
    for (const auto& [offset, e] : in_flight) out.push_back(view_of(t->first, g->first, g->second, partition, offset, e));
    return out;
}

}  // namespace driftq
