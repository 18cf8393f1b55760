// Ack, nack and the commit rule (reference 3.5, 3.8, 3.10).
#include <algorithm>

#include "broker/broker_internal.hpp"
#include "broker/retry.hpp"

namespace driftq {

namespace {

Status validate_position(std::string_view topic, std::string_view group, Position at) {
    if (topic.empty()) return make_error(Errc::invalid_argument, "topic cannot be empty");
    if (group.empty()) return make_error(Errc::invalid_argument, "group cannot be empty");
    if (at.partition < 0) return make_error(Errc::invalid_argument, "partition cannot be negative");
    if (at.offset < 0) return make_error(Errc::invalid_argument, "offset cannot be negative");
    return {};
}

Status validate_owner(std::string_view owner) {
    if (trim(owner).empty()) return make_error(Errc::invalid_argument, "owner cannot be empty");
    return {};
}

Error not_in_flight() { return make_error(Errc::not_in_flight, "message is not in-flight"); }
Error not_owner() { return make_error(Errc::not_owner, "not owner"); }

}  // namespace

Result<Topic*> Broker::find_for_ack(std::string_view topic, Position at) {
    auto it = topics_.find(topic);
    if (it == topics_.end()) return topic_missing();
    if (static_cast<std::size_t>(at.partition) >= it->second.partitions.size()) {
        return make_error(Errc::out_of_range, "partition out of range");
    }
    return &it->second;
}

std::int64_t Broker::committed_offset(std::string_view topic, std::string_view group,
                                      std::int32_t partition) const {
    const Topic* t = find_topic(topic);
    if (!t) return -1;
    auto g = t->groups.find(group);
    if (g == t->groups.end() || partition < 0 ||
        static_cast<std::size_t>(partition) >= g->second.partitions.size()) {
        return -1;
    }
    return g->second.partitions[static_cast<std::size_t>(partition)].committed.value_or(-1);
}

void Broker::remove_in_flight(GroupPartition& gp, std::int64_t offset) {
    if (gp.in_flight.erase(offset) != 0) --in_flight_total_;
}

Status Broker::record_retry_state(const Topic& t, const std::string& group_name,
                                  GroupPartition& gp, std::int32_t p, std::int64_t offset,
                                  std::string last_error, TimeMs now) {
    if (journaling()) {
        if (Status s = journal(RetryStateRecord{t.name, group_name, p, offset, last_error, now}, now); !s) {
            return s;
        }
    }
    emit(EventKind::retry_state_recorded, now, [&](Event& e) {
        e.topic = t.name;
        e.group = group_name;
        e.partition = p;
        e.offset = offset;
        e.text = last_error;
    });
    gp.retry_state[offset] = RetryStateEntry{std::move(last_error), now};
    return {};
}

std::optional<std::int64_t> Broker::planned_commit(const Topic& t, const GroupPartition& gp,
                                                   std::int32_t p, std::int64_t offset) const {
    if (gp.committed && offset <= *gp.committed) return std::nullopt;
    if (options_.commit_rule == CommitRule::highest_acked) return offset;
    // Contiguous: the commit moves only across an unbroken run of done messages.
    const MessageLog& log = t.partitions[static_cast<std::size_t>(p)].messages;
    auto it = log.begin() + static_cast<std::ptrdiff_t>(first_index_after(log, gp.committed.value_or(-1)));
    std::optional<std::int64_t> commit;
    for (; it != log.end(); ++it) {
        if (it->offset != offset && gp.done_above_commit.count(it->offset) == 0) break;
        commit = it->offset;
    }
    return commit;
}

void Broker::apply_commit(Topic& t, const std::string& group_name, Group& g, std::int32_t p,
                          std::int64_t offset, TimeMs now) {
    g.has_offsets = true;
    GroupPartition& gp = g.partitions[static_cast<std::size_t>(p)];
    if (gp.committed && offset <= *gp.committed) return;  // replay keeps the maximum
    gp.committed = offset;
    gp.done_above_commit.erase(gp.done_above_commit.begin(),
                               gp.done_above_commit.upper_bound(offset));
    emit(EventKind::offset_committed, now, [&](Event& e) {
        e.topic = t.name;
        e.group = group_name;
        e.partition = p;
        e.offset = offset;
    });
}

Result<std::optional<std::int64_t>> Broker::journal_commit(Topic& t,
                                                          const std::string& group_name,
                                                          std::int32_t p, std::int64_t offset,
                                                          GroupPartition& gp, TimeMs now) {
    const std::optional<std::int64_t> commit = planned_commit(t, gp, p, offset);
    if (commit) {
        if (!journaling()) return commit;
        if (Status s = journal(OffsetRecord{t.name, group_name, p, *commit}, now); !s) {
            return s.error();
        }
    }
    return commit;
}

void Broker::apply_done(Topic& t, const std::string& group_name, Group& g, std::int32_t p,
                        std::int64_t offset, std::optional<std::int64_t> commit, TimeMs now) {
    g.has_offsets = true;
    if (commit) {
        apply_commit(t, group_name, g, p, *commit, now);
        return;
    }
    // Contiguous rule: remembered in memory only; after a restart such a message is delivered
    // again (at-least-once), never lost.
    GroupPartition& gp = g.partitions[static_cast<std::size_t>(p)];
    if (options_.commit_rule == CommitRule::contiguous && (!gp.committed || offset > *gp.committed)) {
        gp.done_above_commit.insert(offset);
    }
}

Result<bool> Broker::mark_done(Topic& t, const std::string& group_name, Group& g,
                               std::int32_t p, std::int64_t offset, TimeMs now) {
    GroupPartition& gp = g.partitions[static_cast<std::size_t>(p)];
    auto commit = journal_commit(t, group_name, p, offset, gp, now);
    if (!commit) return commit.error();
    apply_done(t, group_name, g, p, offset, commit.value(), now);
    return commit.value().has_value();
}

void Broker::advance_offset(Topic& t, const std::string& group_name, Group& g, std::int32_t p,
                            std::int64_t offset, TimeMs now) {
    // As upstream, a failed journal write leaves the offset where it was (the message is no
    // longer in flight and comes back after a restart).
    auto moved = mark_done(t, group_name, g, p, offset, now);
    if (moved && moved.value()) dispatch(t, now);
    purge_retry_state(g, p, offset);
}

void Broker::purge_retry_state(Group& g, std::int32_t p, std::int64_t offset) {
    // Retry state up to the offset is no longer needed (reference purgeRetryStateLocked). Under
    // the contiguous rule only what is committed is purged, since lower messages may be pending.
    GroupPartition& gp = g.partitions[static_cast<std::size_t>(p)];
    const std::int64_t bound = options_.commit_rule == CommitRule::highest_acked
                                   ? offset
                                   : gp.committed.value_or(-1);
    gp.retry_state.erase(gp.retry_state.begin(), gp.retry_state.upper_bound(bound));
}

Status Broker::skip_committed_idempotent(Topic& t, const std::string& group_name, Group& g,
                                         std::int32_t p, std::int64_t offset, TimeMs now) {
    // Dispatch is already running for this topic, so no nested dispatch here.
    auto moved = mark_done(t, group_name, g, p, offset, now);
    if (!moved) return moved.error();
    emit(EventKind::idempotent_skip, now, [&](Event& e) {
        e.topic = t.name;
        e.group = group_name;
        e.partition = p;
        e.offset = offset;
    });
    purge_retry_state(g, p, offset);
    return {};
}

std::map<std::string, Group, std::less<>>::iterator Broker::answered_group(Topic& t, std::string_view group) {
    // Like upstream's ensureInFlight, looking a group up creates it, so even a failed ack makes
    // the group appear in the metrics, unless the options say a failed answer creates nothing.
    if (options_.failed_answer_creates_group) ensure_group(t, group);
    return t.groups.find(group);
}

Status Broker::ack_if_owner(std::string_view topic, std::string_view group, Position at,
                            std::string_view owner, TimeMs now) {
    const CallGuard guard(*this, now);
    if (Status s = validate_position(topic, group, at); !s) return s;
    if (Status s = validate_owner(owner); !s) return s;
    owner = trim(owner);
    Result<Topic*> found = find_for_ack(topic, at);
    if (!found) return found.error();
    Topic& t = *found.value();
    auto git = answered_group(t, group);
    if (git == t.groups.end()) return not_in_flight();
    GroupPartition& gp = git->second.partitions[static_cast<std::size_t>(at.partition)];
    const InFlightEntry* entry = gp.in_flight.find(at.offset);
    if (!entry) return not_in_flight();
    if (trim(entry->owner) != owner) return not_owner();
    const Message& m = entry->message;
    if (!m.idempotency_key().empty()) {
        Status s = consume_commit_if_owner(consume_key(t.name, git->first, m), owner, {}, now);
        if (!s) {
            if (s.error().code == Errc::idem_lease_held) return not_owner();
            if (s.error().code != Errc::idem_not_found) return s;
        }
    }
    return apply_ack(t, git->first, git->second, at, now);
}

Status Broker::ack(std::string_view topic, std::string_view group, Position at, TimeMs now) {
    const CallGuard guard(*this, now);
    if (Status s = validate_position(topic, group, at); !s) return s;
    Result<Topic*> found = find_for_ack(topic, at);
    if (!found) return found.error();
    Topic& t = *found.value();
    ensure_group(t, group);
    auto git = t.groups.find(group);
    return apply_ack(t, git->first, git->second, at, now);
}

Status Broker::apply_ack(Topic& t, const std::string& group_name, Group& g, Position at,
                         TimeMs now) {
    GroupPartition& gp = g.partitions[static_cast<std::size_t>(at.partition)];
    const bool late = gp.committed && at.offset <= *gp.committed;
    std::optional<std::int64_t> commit;
    if (!late) {
        // Journal first: if the commit cannot be recorded the delivery stays in flight.
        auto planned = journal_commit(t, group_name, at.partition, at.offset, gp, now);
        if (!planned) return planned.error();
        commit = planned.value();
    }
    emit(late ? EventKind::late_ack : EventKind::acked, now, [&](Event& e) {
        const InFlightEntry* entry = gp.in_flight.find(at.offset);
        e.topic = t.name;
        e.group = group_name;
        e.partition = at.partition;
        e.offset = at.offset;
        if (entry) e.owner = entry->owner;
    });
    remove_in_flight(gp, at.offset);
    if (late) {
        g.has_offsets = true;
    } else {
        apply_done(t, group_name, g, at.partition, at.offset, commit, now);
    }
    dispatch(t, now);
    return {};
}

Status Broker::nack(std::string_view topic, std::string_view group, Position at,
                    std::string_view owner, std::string_view reason, TimeMs now) {
    const CallGuard guard(*this, now);
    if (Status s = validate_position(topic, group, at); !s) return s;
    if (Status s = validate_owner(owner); !s) return s;
    owner = trim(owner);
    reason = trim(reason);
    if (reason.empty()) reason = "nack";
    Result<Topic*> found = find_for_ack(topic, at);
    if (!found) return found.error();
    Topic& t = *found.value();
    auto git = answered_group(t, group);
    if (git == t.groups.end()) return not_in_flight();
    const std::string& group_name = git->first;
    Group& g = git->second;
    GroupPartition& gp = g.partitions[static_cast<std::size_t>(at.partition)];
    InFlightEntry* found_entry = gp.in_flight.find(at.offset);
    if (!found_entry) return not_in_flight();
    InFlightEntry& e = *found_entry;
    if (trim(e.owner) != owner) return not_owner();

    const std::string merged = append_last_error(e.last_error, reason, options_.max_last_error_bytes);
    if (Status s = record_retry_state(t, group_name, gp, at.partition, at.offset, merged, now); !s) {
        return s;  // nothing changed (upstream would already have replaced the retry state)
    }
    emit(EventKind::nacked, now, [&](Event& ev) {
        ev.topic = t.name;
        ev.group = group_name;
        ev.partition = at.partition;
        ev.offset = at.offset;
        ev.owner = std::string(owner);
        ev.attempts = e.attempts;
        ev.text = std::string(reason);
    });
    e.last_error = merged;
    const Message m = e.message;
    if (!m.idempotency_key().empty()) {
        Status s = consume_fail_if_owner(consume_key(t.name, group_name, m), owner,
                                         std::string(reason), now);
        if (!s && s.error().code != Errc::idem_not_found) {
            e.last_error = append_last_error(e.last_error, "idem_fail_failed: " + s.message(),
                                             options_.max_last_error_bytes);
            (void)record_retry_state(t, group_name, gp, at.partition, at.offset, e.last_error, now);
        }
    }
    // Make the entry look expired so the pass below redelivers it now, skipping any backoff.
    e.next_deliver_at.reset();
    e.sent_at = now - lease_for_owner(g, e.owner) - 1;
    e.expiry_reported = true;  // the nack is the reason, not a lease expiry
    redeliver_expired(now);
    return {};
}

void Broker::emit_idem_change(const IdemKey& key, TimeMs now) {
    const auto& records = idem_.records();
    auto it = records.find(key);
    if (it == records.end()) return;
    emit(EventKind::idempotency_changed, now, [&](Event& e) {
        e.topic = key.topic;
        e.group = key.group;
        e.owner = it->second.owner;
        e.text = std::string(to_string(it->second.status));
        e.target = key.key;
    });
}

Result<IdempotencyStore::BeginOutcome> Broker::consume_begin_lease(const IdemKey& key,
                                                                   std::string_view owner,
                                                                   TimeMs lease, TimeMs now) {
    const CallGuard guard(*this, now);
    auto out = idem_.begin_lease(key, std::string(owner), lease, now);
    if (out && !out->already_done && !key.key.empty()) emit_idem_change(key, now);
    return out;
}

Status Broker::consume_renew_lease(const IdemKey& key, std::string_view owner, TimeMs lease,
                                   TimeMs now) {
    const CallGuard guard(*this, now);
    Status s = idem_.renew_lease(key, std::string(owner), lease, now);
    if (s && !key.key.empty()) emit_idem_change(key, now);
    return s;
}

Status Broker::consume_commit_if_owner(const IdemKey& key, std::string_view owner,
                                       std::string result, TimeMs now) {
    const CallGuard guard(*this, now);
    const IdemRecord* before = idem_.check(key, now);
    const bool was_committed = before && before->status == IdemStatus::committed;
    Status s = idem_.commit_if_owner(key, std::string(owner), std::move(result), now);
    if (s && !was_committed && !key.key.empty()) emit_idem_change(key, now);
    return s;
}

Status Broker::consume_fail_if_owner(const IdemKey& key, std::string_view owner,
                                     std::string cause, TimeMs now) {
    const CallGuard guard(*this, now);
    Status s = idem_.fail_if_owner(key, std::string(owner), std::move(cause), now);
    if (s && !key.key.empty()) emit_idem_change(key, now);
    return s;
}

}  // namespace driftq
