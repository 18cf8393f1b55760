// Topics and the produce pipeline (reference 3.1).
#include <algorithm>
#include <map>

#include "broker/broker_internal.hpp"
#include "broker/partitioning.hpp"
#include "wal/wal_format.hpp"

namespace driftq {

std::string dlq_topic_name(std::string_view topic) {
    std::string name = "dlq.";
    name += topic;
    return name;
}

Broker::Broker(BrokerOptions options)
    : options_(options), idem_(options), last_tick_at_(options.tick_origin_ms) {
    install_idempotency_hook();
}

Broker::Broker(const Broker& o)
    : options_(o.options_),
      topics_(o.topics_),
      streams_(o.streams_),
      next_stream_id_(o.next_stream_id_),
      idem_(o.idem_),
      router_(o.router_),
      sink_(o.sink_),
      journal_(o.journal_),
      event_seq_(o.event_seq_),
      last_tick_at_(o.last_tick_at_),
      in_flight_total_(o.in_flight_total_),
      produce_rejected_(o.produce_rejected_),
      dlq_routed_(o.dlq_routed_) {
    install_idempotency_hook();
}

void Broker::install_idempotency_hook() {
    // Consume-scope idempotency transitions are durable: journal each before it is stored.
    idem_.set_write_hook([this](const IdemKey& key, const IdemRecord& rec) {
        return journaling() ? journal(ConsumeIdemRecord{key, rec}, rec.updated_at) : Status{};
    });
}

namespace {

// What a message weighs against max_message_bytes: every byte of text it carries (numbers are
// a few bytes each, within the margin kMaxMessageBytes leaves).
std::int64_t message_bytes(const ProduceRequest& r) {
    std::size_t n = r.key.size() + r.value.size();
    const auto map_bytes = [](const std::map<std::string, std::string>& m) {
        std::size_t b = 0;
        for (const auto& [k, v] : m) b += k.size() + v.size();
        return b;
    };
    if (r.envelope) {
        const Envelope& e = *r.envelope;
        n += e.run_id.size() + e.step_id.size() + e.parent_step_id.size() + e.tenant_id.size() +
             e.idempotency_key.size() + e.target_topic.size() + map_bytes(e.labels);
        if (e.dlq) n += e.dlq->original_topic.size() + e.dlq->last_error.size();
    }
    if (r.routing) n += r.routing->label.size() + map_bytes(r.routing->meta);
    return static_cast<std::int64_t>(n);
}

std::int64_t message_limit(const BrokerOptions& o) {
    return o.max_message_bytes <= 0 ? kMaxMessageBytes : std::min(o.max_message_bytes, kMaxMessageBytes);
}

static_assert(kMaxMessageBytes < static_cast<std::int64_t>(kMaxRecordPayload), "every message fits a WAL record");

}  // namespace

Status Broker::create_topic(std::string_view name, std::int32_t partitions, TimeMs now) {
    const CallGuard guard(*this, now);
    if (name.empty()) return make_error(Errc::invalid_argument, "topic name cannot be empty");
    if (partitions <= 0) return make_error(Errc::invalid_argument, "partitions must be > 0");
    if (partitions > options_.max_partitions) {
        return make_error(Errc::too_large, "partitions must be <= " + std::to_string(options_.max_partitions) +
                                              " (max_partitions)");
    }
    if (name.size() > static_cast<std::size_t>(std::max(options_.max_topic_name_bytes, 0))) {
        return make_error(Errc::too_large, "topic name too long: " + std::to_string(name.size()) + " bytes, at most " +
                                               std::to_string(options_.max_topic_name_bytes) + " (max_topic_name_bytes)");
    }
    if (options_.max_topics > 0 && topics_.find(name) == topics_.end() &&
        topics_.size() >= static_cast<std::size_t>(options_.max_topics)) {
        return make_error(Errc::too_large, "too many topics: " + std::to_string(topics_.size()) + " exist, at most " +
                                               std::to_string(options_.max_topics) + " (max_topics)");
    }
    return add_topic(name, partitions, now);
}

Status Broker::add_topic(std::string_view name, std::int32_t partitions, TimeMs now) {
    if (topics_.find(name) != topics_.end()) return {};  // silent no-op, count unchanged
    TopicRecord rec{std::string(name), partitions};
    if (options_.persist_topics) {
        if (Status s = journal(rec, now); !s) return s;
    }
    apply_topic(rec, now);
    return {};
}

std::vector<std::string> Broker::list_topics() const {
    std::vector<std::string> names;
    names.reserve(topics_.size());
    for (const auto& [name, t] : topics_) names.push_back(name);
    return names;
}

const Topic* Broker::find_topic(std::string_view name) const {
    auto it = topics_.find(name);
    return it == topics_.end() ? nullptr : &it->second;
}

std::optional<Routing> Broker::apply_router(ProduceRequest& request, TimeMs now) {
    if (!router_ || (request.envelope && request.envelope->dlq)) return std::nullopt;
    Result<RoutingDecision> decision = router_(request.topic, request);
    if (!decision) {
        emit(EventKind::router_failed, now, [&](Event& e) {
            e.topic = request.topic;
            e.text = decision.error().message;
        });
        return std::nullopt;
    }
    const RoutingDecision& d = decision.value();
    if (!d.target_topic.empty() || d.partition_override) {
        if (!request.envelope) request.envelope.emplace();
        if (!d.target_topic.empty()) request.envelope->target_topic = d.target_topic;
        if (d.partition_override) request.envelope->partition_override = d.partition_override;
    }
    emit(EventKind::routed, now, [&](Event& e) {
        e.topic = request.topic;
        e.text = d.label;
        e.target = d.target_topic;
        if (d.partition_override) e.partition = *d.partition_override;
    });
    return Routing{d.label, d.meta};
}

Result<ProduceResult> Broker::produce(ProduceRequest request, TimeMs now) {
    const CallGuard guard(*this, now);
    auto reject = [&](Error err) -> Result<ProduceResult> {
        emit(EventKind::produce_rejected, now, [&](Event& e) {
            e.topic = request.topic;
            e.text = err.message;
        });
        return err;
    };
    if (request.topic.empty()) return reject(make_error(Errc::invalid_argument, "topic cannot be empty"));
    // Refused before anything happens: a message the WAL could not hold would be acknowledged
    // and then lost at the next restart.
    if (const std::int64_t size = message_bytes(request), limit = message_limit(options_); size > limit) {
        return reject(make_error(Errc::too_large, "message too large: " + std::to_string(size) + " bytes, at most " +
                                                      std::to_string(limit) + " (max_message_bytes)"));
    }

    std::optional<Routing> routing = apply_router(request, now);
    if (!routing) routing = std::move(request.routing);
    if (request.envelope && request.envelope->deadline_ms && now > *request.envelope->deadline_ms) {
        return reject(make_error(Errc::deadline_exceeded, "message deadline exceeded"));
    }

    // Build the immutable body now (it has no side effects); the pipeline below reads the
    // envelope from it, so nothing is copied twice.
    auto body = std::make_shared<MessageBody>();
    body->key = std::move(request.key);
    body->value = std::move(request.value);
    if (request.envelope) body->envelope = std::make_shared<const Envelope>(std::move(*request.envelope));
    if (routing) body->routing = std::make_shared<const Routing>(std::move(*routing));
    const Envelope* env = body->envelope.get();
    const std::string& final_topic =
        env && !env->target_topic.empty() ? env->target_topic : request.topic;

    const bool idempotent = env && !env->idempotency_key.empty();
    if (idempotent) {
        Result<bool> begun =
            idem_.begin_produce(env->tenant_id, final_topic, env->idempotency_key, now);
        if (!begun) return reject(begun.error());
        if (begun.value()) {
            emit(EventKind::deduplicated, now, [&](Event& e) {
                e.topic = final_topic;
                e.text = env->idempotency_key;
            });
            return ProduceResult{true, final_topic, {}};
        }
    }

    Result<Message> appended = append_message(final_topic, body, now);
    if (!appended) {
        if (idempotent) {
            idem_.fail_produce(env->tenant_id, final_topic, env->idempotency_key,
                               appended.error().message, now);
        }
        return reject(appended.error());
    }
    if (idempotent) idem_.commit_produce(env->tenant_id, final_topic, env->idempotency_key, now);
    const Message& m = appended.value();
    return ProduceResult{false, final_topic, Position{m.partition, m.offset}};
}

std::int64_t Broker::slowest_commit(const Topic& t, std::int32_t partition) const {
    bool any = false;
    std::int64_t slowest = -1;
    for (const auto& [name, g] : t.groups) {
        if (!g.has_offsets) continue;
        const auto& committed = g.partitions[static_cast<std::size_t>(partition)].committed;
        const std::int64_t c = committed.value_or(-1);
        slowest = any ? std::min(slowest, c) : c;
        any = true;
    }
    return slowest;
}

Status Broker::check_backpressure(const Topic& t, std::int32_t partition,
                                  const MessageBody& body) {
    const bool count_cap = options_.max_partition_messages > 0;
    const bool byte_cap = options_.max_partition_bytes > 0;
    if (!count_cap && !byte_cap) return {};
    const PartitionLog& log = t.partitions[static_cast<std::size_t>(partition)];
    const std::int64_t slowest = slowest_commit(t, partition);
    // Messages with offset > slowest are "buffered"; offsets ascend, so binary search.
    const std::size_t first_index = first_index_after(log.messages, slowest);
    const auto buffered = static_cast<std::int64_t>(log.messages.size() - first_index);

    auto overload = [&](const char* reason) -> Status {
        ++produce_rejected_[reason];
        return make_error(Errc::producer_overloaded, std::string("producer overload: ") + reason,
                          reason);
    };
    if (count_cap && buffered >= options_.max_partition_messages) {
        return overload("partition_buffer_full");
    }
    if (byte_cap) {
        std::uint64_t bytes = body.key.size() + body.value.size();
        if (buffered > 0) {
            bytes += log.bytes_through.back();
            if (first_index > 0) bytes -= log.bytes_through[first_index - 1];
        }
        if (bytes >= static_cast<std::uint64_t>(options_.max_partition_bytes)) {
            return overload("partition_buffer_bytes_full");
        }
    }
    return {};
}

Result<Message> Broker::append_message(const std::string& topic,
                                       std::shared_ptr<const MessageBody> body, TimeMs now) {
    auto it = topics_.find(topic);
    if (it == topics_.end()) {
        return make_error(Errc::topic_not_found, "topic does not exist (create it first)");
    }
    Topic& t = it->second;
    const auto partitions = static_cast<std::int32_t>(t.partitions.size());
    if (partitions <= 0) return make_error(Errc::invalid_argument, "topic has no partitions");
    std::int32_t part = pick_partition(body->key, partitions);
    if (body->envelope && body->envelope->partition_override) {
        const std::int32_t po = *body->envelope->partition_override;
        if (po < 0 || po >= partitions) {
            return make_error(Errc::out_of_range, "partition_override out of range");
        }
        part = po;
    }
    if (Status s = check_backpressure(t, part, *body); !s) return s.error();

    if (journaling()) {
        if (Status s = journal(MessageRecord{topic, part, t.next_offset, body}, now); !s) {
            return s.error();  // offset not consumed
        }
    }
    if (Status s = apply_message(t, part, t.next_offset, std::move(body)); !s) return s.error();
    const Message m = t.partitions[static_cast<std::size_t>(part)].messages.back();
    emit(EventKind::produced, now, [&](Event& e) {
        e.topic = topic;
        e.partition = part;
        e.offset = m.offset;
        if (!m.key().empty()) e.text = m.key();
    });
    dispatch(t, now);
    return m;
}

}  // namespace driftq
