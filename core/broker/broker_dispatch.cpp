// Consumer streams and first-time dispatch (reference 3.2, 3.3).
#include <algorithm>
#include <bit>

#include "broker/broker_internal.hpp"
#include "broker/retry.hpp"

namespace driftq {


Status Broker::room_for_group(const Topic& t, std::string_view name) const {
    if (options_.max_group_partitions <= 0 || t.groups.find(name) != t.groups.end()) return {};
    const auto adds = static_cast<std::int64_t>(t.partitions.size());
    if (group_partitions_ + adds <= options_.max_group_partitions) return {};
    return make_error(Errc::too_large, "too many consumer groups: they hold state for " + std::to_string(group_partitions_) +
                                           " partitions, a new group on " + t.name + " adds " + std::to_string(adds) +
                                           ", at most " + std::to_string(options_.max_group_partitions) +
                                           " (max_group_partitions)");
}

Group& Broker::ensure_group(Topic& t, std::string_view name) {
    auto it = t.groups.find(name);
    if (it == t.groups.end()) {
        group_partitions_ += static_cast<std::int64_t>(t.partitions.size());
        Group g;
        g.partitions.resize(t.partitions.size());
        g.undispatched.assign((t.partitions.size() + 63) / 64, 0);
        for (std::size_t p = 0; p < t.partitions.size(); ++p) set_undispatched(g, p);
        it = t.groups.emplace(std::string(name), std::move(g)).first;
    }
    return it->second;
}

Result<StreamId> Broker::subscribe(std::string_view topic, std::string_view group,
                                   std::string_view owner, TimeMs lease_ms, TimeMs now) {
    const CallGuard guard(*this, now);
    topic = trim(topic);
    group = trim(group);
    owner = trim(owner);
    if (topic.empty()) return make_error(Errc::invalid_argument, "topic cannot be empty");
    if (group.empty()) {
        return make_error(Errc::invalid_argument, "group cannot be empty (MVP requirement)");
    }
    if (owner.empty()) {
        return make_error(Errc::invalid_argument, "owner cannot be empty (MVP requirement)");
    }
    auto it = topics_.find(topic);
    if (it == topics_.end()) return topic_missing();
    Topic& t = it->second;
    if (Status room = room_for_group(t, group); !room) return room.error();

    Stream s;
    s.id = next_stream_id_++;
    s.topic = std::string(topic);
    s.group = std::string(group);
    s.owner = std::string(owner);
    s.lease_ms = lease_ms > 0 ? lease_ms : options_.default_lease_ms;
    const StreamId id = s.id;
    emit(EventKind::consumer_joined, now, [&](Event& e) {
        e.topic = s.topic;
        e.group = s.group;
        e.owner = s.owner;
        e.stream = id;
        e.value = s.lease_ms;
    });
    streams_.emplace(id, std::move(s));

    Group& g = ensure_group(t, group);
    // Only a group's first live stream triggers dispatch (reference 3.2): a second consumer
    // joining does not pull a blocked partition forward.
    const bool kick = g.streams.empty();
    g.streams.push_back(id);
    if (kick) dispatch(t, now);
    return id;
}

Status Broker::unsubscribe(StreamId id, TimeMs now) {
    const CallGuard guard(*this, now);
    auto sit = streams_.find(id);
    if (sit == streams_.end()) {
        return make_error(Errc::invalid_argument, "stream " + std::to_string(id) + " not found");
    }
    const Stream& s = sit->second;
    Group& g = topics_.find(s.topic)->second.groups.find(s.group)->second;
    g.streams.erase(std::find(g.streams.begin(), g.streams.end(), id));
    // The reference deletes the cursor with the last stream and clamps it when the group shrinks.
    if (g.streams.empty()) {
        g.rr_cursor = 0;
    } else if (g.rr_cursor >= g.streams.size()) {
        g.rr_cursor %= g.streams.size();
    }
    emit(EventKind::consumer_left, now, [&](Event& e) {
        e.topic = s.topic;
        e.group = s.group;
        e.owner = s.owner;
        e.stream = id;
    });
    // Undelivered copies in the outbox are lost with the connection; their entries stay in
    // flight and come back through redelivery.
    streams_.erase(sit);
    return {};
}

std::optional<Delivery> Broker::poll(StreamId id) {
    auto it = streams_.find(id);
    if (it == streams_.end() || it->second.outbox.empty()) return std::nullopt;
    Delivery d = std::move(it->second.outbox.front());
    it->second.outbox.pop_front();
    return d;
}

std::vector<Delivery> Broker::poll_all(StreamId id) {
    std::vector<Delivery> out;
    while (auto d = poll(id)) out.push_back(std::move(*d));
    return out;
}

bool Broker::in_flight_full(const GroupPartition& gp) const {
    return options_.max_in_flight > 0 &&
           gp.in_flight.size() >= static_cast<std::size_t>(options_.max_in_flight);
}

TimeMs Broker::lease_for_owner(const Group& g, std::string_view owner) const {
    owner = trim(owner);
    for (StreamId id : g.streams) {
        const Stream& s = streams_.at(id);
        if (trim(s.owner) == owner && s.lease_ms > 0) return s.lease_ms;
    }
    return options_.ack_timeout_ms;
}

void Broker::send(Stream& s, const Message& m, int attempts, const std::string& last_error,
                  TimeMs now) {
    Delivery d;
    d.stream = s.id;
    d.message = m;
    d.attempts = attempts;
    d.last_error = last_error;
    d.delivered_at = now;
    emit(attempts > 1 ? EventKind::redelivered : EventKind::delivered, now, [&](Event& e) {
        e.topic = s.topic;
        e.group = s.group;
        e.partition = m.partition;
        e.offset = m.offset;
        e.owner = s.owner;
        e.stream = s.id;
        e.attempts = attempts;
        e.text = last_error;
    });
    s.outbox.push_back(std::move(d));
}

Broker::StreamChoice Broker::choose_stream(Topic& t, const std::string& group_name, Group& g,
                                           const Message& m, TimeMs now) {
    const std::size_t n = g.streams.size();
    const std::size_t start = g.rr_cursor % n;
    if (m.idempotency_key().empty()) return StreamChoice{StreamChoice::Kind::chosen, start, std::nullopt};

    // A keyed message goes to the first stream, in round-robin order, that can take the
    // consume-scope lease for its owner.
    const IdemKey key = consume_key(t.name, group_name, m);
    for (std::size_t tries = 0; tries < n; ++tries) {
        const std::size_t i = (start + tries) % n;
        const Stream& cand = streams_.at(g.streams[i]);
        auto begun = consume_begin_lease(key, cand.owner, cand.lease_ms, now);
        if (begun) {
            return StreamChoice{begun->already_done ? StreamChoice::Kind::already_done
                                                    : StreamChoice::Kind::chosen,
                                i, std::nullopt};
        }
        if (begun.error().code != Errc::idem_lease_held) {
            return StreamChoice{StreamChoice::Kind::error, 0, begun.error()};
        }
    }
    return StreamChoice{StreamChoice::Kind::all_leases_held, 0, std::nullopt};
}

void Broker::dispatch(Topic& t, TimeMs now) {
    for (auto& [group_name, g] : t.groups) {
        if (g.streams.empty()) continue;
        for (std::size_t w = 0; w < g.undispatched.size(); ++w) {
            // A snapshot of the word suffices: dispatching never appends to this topic, so no
            // other bit can become set meanwhile; a partition only clears its own.
            for (std::uint64_t bits = g.undispatched[w]; bits != 0; bits &= bits - 1) {
                const auto p = static_cast<std::int32_t>(w * 64 + std::countr_zero(bits));
                dispatch_partition(t, group_name, g, p, now);
            }
        }
    }
}

void Broker::dispatch_partition(Topic& t, const std::string& group_name, Group& g,
                                std::int32_t p, TimeMs now) {
    GroupPartition& gp = g.partitions[static_cast<std::size_t>(p)];
    if (in_flight_full(gp)) return;
    const MessageLog& log = t.partitions[static_cast<std::size_t>(p)].messages;
    if (!gp.next_index) {
        // Resume after the committed offset the first time this group dispatches here.
        gp.next_index = first_index_after(log, gp.committed.value_or(-1));
    }
    std::size_t& next = *gp.next_index;
    while (next < log.size() && !in_flight_full(gp)) {
        const Message& m = log[next];
        if (!m.idempotency_key().empty()) {
            const IdemRecord* rec = idem_.check(consume_key(t.name, group_name, m), now);
            if (rec && rec->status == IdemStatus::committed) {
                // As upstream, a commit that cannot be journaled stops this dispatch.
                if (!skip_committed_idempotent(t, group_name, g, p, m.offset, now)) return;
                ++next;
                continue;
            }
        }
        // Redelivery owns a message already in flight. Offsets are dispatched in ascending
        // order, so only one above the highest in-flight offset can be new: O(1) common case.
        if (!gp.in_flight.empty() && m.offset <= gp.in_flight.max_key() &&
            gp.in_flight.count(m.offset) != 0) {
            ++next;
            continue;
        }
        const StreamChoice choice = choose_stream(t, group_name, g, m, now);
        if (choice.kind == StreamChoice::Kind::error) {
            // Head-of-line: the message is not skipped and later ones wait behind it.
            const std::string reason = "idem_begin_failed: " + choice.error->message;
            emit(EventKind::idempotency_error, now, [&](Event& e) {
                e.topic = t.name;
                e.group = group_name;
                e.partition = p;
                e.offset = m.offset;
                e.text = reason;
            });
            (void)record_retry_state(t, group_name, gp, p, m.offset, reason, now);  // best effort
            return;
        }
        if (choice.kind == StreamChoice::Kind::all_leases_held) return;
        g.rr_cursor = (choice.index + 1) % g.streams.size();
        if (choice.kind == StreamChoice::Kind::already_done) {
            if (!skip_committed_idempotent(t, group_name, g, p, m.offset, now)) return;
            ++next;
            continue;
        }
        Stream& s = streams_.at(g.streams[choice.index]);
        auto rs = gp.retry_state.find(m.offset);
        InFlightEntry entry;
        entry.message = m;
        entry.sent_at = now;
        entry.attempts = 1;
        entry.last_error = rs == gp.retry_state.end() ? std::string() : rs->second.last_error;
        entry.owner = s.owner;
        ++next;
        InFlightEntry& slot = gp.in_flight.emplace_back(m.offset, std::move(entry));
        ++in_flight_total_;
        send(s, slot.message, 1, slot.last_error, now);
    }
    if (next >= log.size()) clear_undispatched(g, static_cast<std::size_t>(p));
}

}  // namespace driftq
