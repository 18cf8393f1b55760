// The journal and the apply functions that live operations (after journaling) and WAL replay
// share, so a replayed broker is built by the same code as the one that wrote the log.
#include <algorithm>

#include "broker/broker_internal.hpp"

namespace driftq {

Status Broker::journal(const WalRecord& record, TimeMs now) {
    // Callers on hot paths check journaling() first, so an in-memory broker builds no records.
    return journal_ ? journal_->write(record, now) : Status{};
}

void Broker::resize_partitions(Topic& t, std::size_t n) {
    t.partitions.resize(n);
    for (auto& [name, g] : t.groups) {
        g.partitions.resize(n);
        g.undispatched.resize((n + 63) / 64, 0);
        for (std::size_t p = 0; p < n; ++p) set_undispatched(g, p);
    }
}

void Broker::apply_topic(const TopicRecord& r, TimeMs now) {
    if (topics_.find(r.name) != topics_.end()) return;
    Topic t;
    t.name = r.name;
    t.partitions.resize(static_cast<std::size_t>(r.partitions));
    topics_.emplace(r.name, std::move(t));
    emit(EventKind::topic_created, now, [&](Event& e) {
        e.topic = r.name;
        e.value = r.partitions;
    });
}

Status Broker::apply_message(Topic& t, std::int32_t partition, std::int64_t offset,
                             std::shared_ptr<const MessageBody> body) {
    PartitionLog& log = t.partitions[static_cast<std::size_t>(partition)];
    // Binary searches over a partition rely on ascending offsets; the live path guarantees it,
    // a hand-edited or imported log might not.
    if (offset < 0 || offset == INT64_MAX) {  // the next offset, offset + 1, must exist
        return make_error(Errc::corrupt_data, "message " + t.name + " p" + std::to_string(partition) + "@" +
                                                  std::to_string(offset) + ": offset out of range");
    }
    if (!log.messages.empty() && offset <= log.messages.back().offset) {
        return make_error(Errc::corrupt_data,
                          "message " + t.name + " p" + std::to_string(partition) + "@" +
                              std::to_string(offset) + " is not above the partition's last offset " +
                              std::to_string(log.messages.back().offset));
    }
    const std::uint64_t size = body->key.size() + body->value.size();
    log.bytes_through.push_back((log.bytes_through.empty() ? 0 : log.bytes_through.back()) + size);
    log.messages.push_back(Message{offset, partition, std::move(body)});
    t.next_offset = std::max(t.next_offset, offset + 1);
    for (auto& [name, g] : t.groups) set_undispatched(g, static_cast<std::size_t>(partition));
    return {};
}

Topic& Broker::replay_topic(const std::string& name, std::int32_t min_partitions, TimeMs now) {
    // Reference replay: a topic is created with no partitions and grows to the highest
    // partition index seen + 1. With persist_topics its record came first and sets the count.
    auto it = topics_.find(name);
    if (it == topics_.end()) {
        apply_topic(TopicRecord{name, min_partitions}, now);
        it = topics_.find(name);
    }
    if (it->second.partitions.size() < static_cast<std::size_t>(min_partitions)) {
        resize_partitions(it->second, static_cast<std::size_t>(min_partitions));
    }
    return it->second;
}

namespace {
// Numbers from the log are checked before use: `partition + 1` must not overflow, and a topic
// must not grow past what create_topic would allow.
Status check_partition(const std::string& what, std::int32_t p, std::int64_t offset, std::int32_t max_partitions) {
    if (p < 0 || offset < 0) {
        return make_error(Errc::corrupt_data, what + " record with negative partition or offset");
    }
    if (p >= max_partitions) {
        return make_error(Errc::corrupt_data, what + " record for partition " + std::to_string(p) + ", beyond max_partitions " +
                                                  std::to_string(max_partitions));
    }
    return {};
}
}  // namespace

Status Broker::apply_record(const WalRecord& record, TimeMs now) {
    if (const auto* r = std::get_if<TopicRecord>(&record)) {
        if (r->name.empty() || r->partitions <= 0) {
            return make_error(Errc::corrupt_data, "topic record without a name or partitions");
        }
        if (r->partitions > options_.max_partitions) {
            return make_error(Errc::corrupt_data, "topic record with " + std::to_string(r->partitions) +
                                                      " partitions, beyond max_partitions " + std::to_string(options_.max_partitions));
        }
        apply_topic(*r, now);
        return {};
    }
    if (const auto* r = std::get_if<MessageRecord>(&record)) {
        if (Status s = check_partition("message", r->partition, r->offset, options_.max_partitions); !s) return s;
        if (r->topic.empty()) return make_error(Errc::corrupt_data, "message record without a topic");
        Topic& t = replay_topic(r->topic, r->partition + 1, now);
        if (Status s = apply_message(t, r->partition, r->offset, r->body); !s) return s;
        // Produce-scope dedupe is rebuilt from the messages, with a fresh window from now.
        const Envelope* env = r->body->envelope.get();
        if (env && !env->idempotency_key.empty()) {
            idem_.commit_produce(env->tenant_id, r->topic, env->idempotency_key, now);
        }
        return {};
    }
    if (const auto* r = std::get_if<OffsetRecord>(&record)) {
        if (Status s = check_partition("offset", r->partition, r->offset, options_.max_partitions); !s) return s;
        if (r->topic.empty() || r->group.empty()) return {};
        Topic& t = replay_topic(r->topic, r->partition + 1, now);
        apply_commit(t, r->group, ensure_group(t, r->group), r->partition, r->offset, now);
        return {};
    }
    if (const auto* r = std::get_if<RetryStateRecord>(&record)) {
        if (Status s = check_partition("retry_state", r->partition, r->offset, options_.max_partitions); !s) return s;
        if (r->topic.empty() || r->group.empty()) return {};
        Topic& t = replay_topic(r->topic, r->partition + 1, now);
        Group& g = ensure_group(t, r->group);
        g.partitions[static_cast<std::size_t>(r->partition)].retry_state[r->offset] =
            RetryStateEntry{r->last_error, r->at};
        return {};
    }
    const auto& r = std::get<ConsumeIdemRecord>(record);
    if (r.key.key.empty() || r.key.topic.empty() || r.key.group.empty()) return {};
    // Leases do not survive a restart: PENDING records are dropped, the others lose their owner.
    if (r.record.status == IdemStatus::pending) return {};
    IdemRecord rec = r.record;
    rec.owner.clear();
    rec.lease_until = 0;
    idem_.restore(r.key, std::move(rec));
    return {};
}

void Broker::finish_replay() {
    for (auto& [name, t] : topics_) {
        for (auto& [gname, g] : t.groups) {
            for (GroupPartition& gp : g.partitions) {
                if (!gp.committed) continue;
                gp.retry_state.erase(gp.retry_state.begin(),
                                     gp.retry_state.upper_bound(*gp.committed));
            }
        }
    }
}

}  // namespace driftq
