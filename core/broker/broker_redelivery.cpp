// Lease expiry, redelivery, backoff and dead-lettering (reference 3.6, 3.7, 3.9).
#include <limits>

#include "broker/broker_internal.hpp"
#include "broker/retry.hpp"

namespace driftq {

void Broker::tick(TimeMs now) {
    const CallGuard guard(*this, now);
    if (options_.tick_ms <= 0) return;
    // With nothing in flight a pass changes nothing, so jump straight to the last grid point.
    if (in_flight_total_ == 0 && now >= next_tick_at()) {
        last_tick_at_ += (now - last_tick_at_) / options_.tick_ms * options_.tick_ms;
        return;
    }
    while (next_tick_at() <= now) {
        last_tick_at_ = next_tick_at();
        redeliver_expired(last_tick_at_);
    }
}

void Broker::redeliver_expired(TimeMs now) {
    // Canonical order for what the reference leaves to Go map iteration: topics and groups by
    // name, partitions and offsets ascending.
    for (auto& [topic_name, t] : topics_) {
        for (auto& [group_name, g] : t.groups) {
            // A group with no live stream makes no progress at all (reference gap 19).
            if (g.streams.empty()) continue;
            for (std::size_t p = 0; p < g.partitions.size(); ++p) {
                auto& in_flight = g.partitions[p].in_flight;
                if (in_flight.empty()) continue;
                // Entries may be removed (DLQ, skip) while we walk; iterate over a snapshot.
                std::vector<std::int64_t> offsets;
                offsets.reserve(in_flight.size());
                for (const auto& [offset, entry] : in_flight) offsets.push_back(offset);
                for (std::int64_t offset : offsets) {
                    if (g.streams.empty()) break;
                    redeliver_entry(t, group_name, g, static_cast<std::int32_t>(p), offset, now);
                }
            }
        }
    }
}

void Broker::redeliver_entry(Topic& t, const std::string& group_name, Group& g, std::int32_t p,
                             std::int64_t offset, TimeMs now) {
    GroupPartition& gp = g.partitions[static_cast<std::size_t>(p)];
    // `e` stays valid until this group-partition's in-flight map is erased from or grows; below,
    // both only happen as the last step of a path (remove_in_flight, advance_offset).
    InFlightEntry* found = gp.in_flight.find(offset);
    if (!found) return;
    InFlightEntry& e = *found;
    if (now - e.sent_at < lease_for_owner(g, e.owner)) return;

    if (!e.expiry_reported) {
        e.expiry_reported = true;
        emit(EventKind::lease_expired, now, [&](Event& ev) {
            ev.topic = t.name;
            ev.group = group_name;
            ev.partition = p;
            ev.offset = offset;
            ev.owner = e.owner;
            ev.attempts = e.attempts;
        });
    }
    // Only the first failure without a reason is labelled ack_timeout; a chain is never relabelled.
    if (e.last_error.empty()) {
        e.last_error = "ack_timeout";
        (void)record_retry_state(t, group_name, gp, p, offset, e.last_error, now);  // best effort
    }
    if (e.next_deliver_at && now < *e.next_deliver_at) return;  // backoff gate

    const Message m = e.message;
    const bool keyed = !m.idempotency_key().empty();
    if (keyed) {
        const IdemRecord* rec = idem_.check(consume_key(t.name, group_name, m), now);
        if (rec && rec->status == IdemStatus::committed) {
            emit(EventKind::idempotent_skip, now, [&](Event& ev) {
                ev.topic = t.name;
                ev.group = group_name;
                ev.partition = p;
                ev.offset = offset;
            });
            remove_in_flight(gp, offset);
            advance_offset(t, group_name, g, p, offset, now);
            return;
        }
    }

    const Envelope* env = m.envelope();
    const RetryPolicy* policy = env && env->retry_policy ? &*env->retry_policy : nullptr;
    if (policy && policy->max_attempts > 0 && e.attempts >= policy->max_attempts) {
        route_to_dlq(t, group_name, g, p, e, now);
        return;
    }

    const StreamChoice choice = choose_stream(t, group_name, g, m, now);
    switch (choice.kind) {
        case StreamChoice::Kind::error: {
            const std::string reason = "idem_begin_failed: " + choice.error->message;
            emit(EventKind::idempotency_error, now, [&](Event& ev) {
                ev.topic = t.name;
                ev.group = group_name;
                ev.partition = p;
                ev.offset = offset;
                ev.text = reason;
            });
            // SentAt stays put, so this is retried on every tick.
            e.last_error = append_last_error(e.last_error, reason, options_.max_last_error_bytes);
            (void)record_retry_state(t, group_name, gp, p, offset, e.last_error, now);
            return;
        }
        case StreamChoice::Kind::all_leases_held: return;
        case StreamChoice::Kind::already_done:
            emit(EventKind::idempotent_skip, now, [&](Event& ev) {
                ev.topic = t.name;
                ev.group = group_name;
                ev.partition = p;
                ev.offset = offset;
            });
            remove_in_flight(gp, offset);
            advance_offset(t, group_name, g, p, offset, now);
            return;
        case StreamChoice::Kind::chosen: break;
    }
    g.rr_cursor = (choice.index + 1) % g.streams.size();
    Stream& s = streams_.at(g.streams[choice.index]);
    // The receiver of the latest delivery becomes the owner: a stale ack gets "not owner".
    e.owner = s.owner;
    e.sent_at = now;
    e.attempts += 1;
    e.expiry_reported = false;
    e.next_deliver_at.reset();
    if (policy && (policy->backoff_ms > 0 || policy->max_backoff_ms > 0)) {
        // Saturating: a huge backoff must not overflow the gate into the past.
        const TimeMs backoff = compute_backoff(*policy, e.attempts - 1);
        e.next_deliver_at = backoff > std::numeric_limits<TimeMs>::max() - now
                                ? std::numeric_limits<TimeMs>::max()
                                : now + backoff;
    }
    send(s, m, e.attempts, e.last_error, now);
}

bool Broker::route_to_dlq(Topic& t, const std::string& group_name, Group& g, std::int32_t p,
                          InFlightEntry& e, TimeMs now) {
    const Message m = e.message;
    const std::string dlq = dlq_topic_name(t.name);
    if (Status created = add_topic(dlq, static_cast<std::int32_t>(t.partitions.size()), now);
        !created) {
        return false;  // unreachable: the name and count are valid
    }
    // DLQ copies drop routing controls and the retry policy, so a DLQ message is never
    // dead-lettered again (it redelivers forever instead).
    Envelope env = m.envelope() ? *m.envelope() : Envelope{};
    env.target_topic.clear();
    env.partition_override.reset();
    env.retry_policy.reset();
    env.dlq = DlqMetadata{t.name, m.partition, m.offset, e.attempts, e.last_error, now};
    auto body = std::make_shared<MessageBody>();
    body->key = m.key();
    body->value = m.value();
    body->routing = m.body->routing;
    body->envelope = std::make_shared<const Envelope>(std::move(env));

    // std::map nodes are stable, so `t` and `e` stay valid while the publish inserts the DLQ
    // topic and dispatches it.
    Result<Message> published = append_message(dlq, body, now);
    GroupPartition& gp = g.partitions[static_cast<std::size_t>(p)];
    if (!published) {
        // Strict: nothing is dropped unless the DLQ publish succeeds; retried every tick.
        e.last_error =
            append_last_error(e.last_error, "dlq_publish_failed: " + published.error().message,
                              options_.max_last_error_bytes);
        emit(EventKind::dlq_publish_failed, now, [&](Event& ev) {
            ev.topic = t.name;
            ev.group = group_name;
            ev.partition = p;
            ev.offset = m.offset;
            ev.text = published.error().message;
            ev.target = dlq;
        });
        (void)record_retry_state(t, group_name, gp, p, m.offset, e.last_error, now);
        return false;
    }
    ++dlq_routed_[t.name];
    emit(EventKind::dead_lettered, now, [&](Event& ev) {
        ev.topic = t.name;
        ev.group = group_name;
        ev.partition = p;
        ev.offset = m.offset;
        ev.attempts = e.attempts;
        ev.text = e.last_error;
        ev.target = dlq;
        ev.value = published.value().offset;
    });
    remove_in_flight(gp, m.offset);
    advance_offset(t, group_name, g, p, m.offset, now);
    return true;
}

}  // namespace driftq
