// Binary payloads of WAL records. Layout per type in docs/wal-format.md.
#include <string>

#include "base/byte_io.hpp"
#include "base/json_text.hpp"
#include "wal/wal_record.hpp"

namespace driftq {

namespace {

// Envelope presence bits.
constexpr std::uint8_t kHasEnvelope = 1, kHasRouting = 2;
// Optional envelope fields.
constexpr std::uint8_t kHasDeadline = 1, kHasRetry = 2, kHasOverride = 4, kHasDlq = 8;

void put_map(ByteWriter& w, const std::map<std::string, std::string>& m) {
    w.u32(static_cast<std::uint32_t>(m.size()));
    for (const auto& [k, v] : m) {
        w.str(k);
        w.str(v);
    }
}

bool get_map(ByteReader& r, std::map<std::string, std::string>& m) {
    std::uint32_t n;
    if (!r.u32(n)) return false;
    for (std::uint32_t i = 0; i < n; ++i) {
        std::string k, v;
        if (!r.str(k) || !r.str(v)) return false;
        m.emplace(std::move(k), std::move(v));
    }
    return true;
}

void put_envelope(ByteWriter& w, const Envelope& e) {
    for (const std::string* s : {&e.run_id, &e.step_id, &e.parent_step_id, &e.tenant_id,
                                 &e.idempotency_key, &e.target_topic}) {
        w.str(*s);
    }
    std::uint8_t opt = 0;
    if (e.deadline_ms) opt |= kHasDeadline;
    if (e.retry_policy) opt |= kHasRetry;
    if (e.partition_override) opt |= kHasOverride;
    if (e.dlq) opt |= kHasDlq;
    w.u8(opt);
    if (e.deadline_ms) w.i64(*e.deadline_ms);
    if (e.retry_policy) {
        w.i32(e.retry_policy->max_attempts);
        w.i64(e.retry_policy->backoff_ms);
        w.i64(e.retry_policy->max_backoff_ms);
    }
    if (e.partition_override) w.i32(*e.partition_override);
    put_map(w, e.labels);
    if (e.dlq) {
        w.str(e.dlq->original_topic);
        w.i32(e.dlq->original_partition);
        w.i64(e.dlq->original_offset);
        w.i32(e.dlq->attempts);
        w.str(e.dlq->last_error);
        w.i64(e.dlq->routed_at_ms);
    }
}

bool get_envelope(ByteReader& r, Envelope& e) {
    for (std::string* s : {&e.run_id, &e.step_id, &e.parent_step_id, &e.tenant_id,
                           &e.idempotency_key, &e.target_topic}) {
        if (!r.str(*s)) return false;
    }
    std::uint8_t opt;
    if (!r.u8(opt) || (opt & ~(kHasDeadline | kHasRetry | kHasOverride | kHasDlq)) != 0) {
        return false;
    }
    if (opt & kHasDeadline) {
        std::int64_t d;
        if (!r.i64(d)) return false;
        e.deadline_ms = d;
    }
    if (opt & kHasRetry) {
        RetryPolicy p;
        if (!r.i32(p.max_attempts) || !r.i64(p.backoff_ms) || !r.i64(p.max_backoff_ms)) return false;
        e.retry_policy = p;
    }
    if (opt & kHasOverride) {
        std::int32_t o;
        if (!r.i32(o)) return false;
        e.partition_override = o;
    }
    if (!get_map(r, e.labels)) return false;
    if (opt & kHasDlq) {
        DlqMetadata d;
        if (!r.str(d.original_topic) || !r.i32(d.original_partition) ||
            !r.i64(d.original_offset) || !r.i32(d.attempts) || !r.str(d.last_error) ||
            !r.i64(d.routed_at_ms)) {
            return false;
        }
        e.dlq = std::move(d);
    }
    return true;
}

struct Encoder {
    ByteWriter& w;
    void operator()(const TopicRecord& r) {
        w.str(r.name);
        w.i32(r.partitions);
    }
    void operator()(const MessageRecord& r) {
        w.str(r.topic);
        w.i32(r.partition);
        w.i64(r.offset);
        w.str(r.body->key);
        w.str(r.body->value);
        std::uint8_t has = 0;
        if (r.body->envelope) has |= kHasEnvelope;
        if (r.body->routing) has |= kHasRouting;
        w.u8(has);
        if (r.body->envelope) put_envelope(w, *r.body->envelope);
        if (r.body->routing) {
            w.str(r.body->routing->label);
            put_map(w, r.body->routing->meta);
        }
    }
    void operator()(const OffsetRecord& r) {
        w.str(r.topic);
        w.str(r.group);
        w.i32(r.partition);
        w.i64(r.offset);
    }
    void operator()(const RetryStateRecord& r) {
        w.str(r.topic);
        w.str(r.group);
        w.i32(r.partition);
        w.i64(r.offset);
        w.str(r.last_error);
        w.i64(r.at);
    }
    void operator()(const ConsumeIdemRecord& r) {
        w.str(r.key.tenant);
        w.str(r.key.topic);
        w.str(r.key.group);
        w.str(r.key.key);
        w.u8(static_cast<std::uint8_t>(r.record.status));
        w.str(r.record.owner);
        w.i64(r.record.lease_until);
        w.str(r.record.result);
        w.str(r.record.last_error);
        w.i64(r.record.updated_at);
    }
};

Error malformed(RecordType type) {
    return make_error(Errc::corrupt_data,
                      "malformed " + std::string(to_string(type)) + " record payload");
}

std::optional<WalRecord> decode_message(ByteReader& r) {
    MessageRecord m;
    auto body = std::make_shared<MessageBody>();
    std::uint8_t has;
    if (!r.str(m.topic) || !r.i32(m.partition) || !r.i64(m.offset) || !r.str(body->key) ||
        !r.str(body->value) || !r.u8(has) || (has & ~(kHasEnvelope | kHasRouting)) != 0) {
        return std::nullopt;
    }
    if (has & kHasEnvelope) {
        Envelope e;
        if (!get_envelope(r, e)) return std::nullopt;
        body->envelope = std::make_shared<const Envelope>(std::move(e));
    }
    if (has & kHasRouting) {
        Routing rt;
        if (!r.str(rt.label) || !get_map(r, rt.meta)) return std::nullopt;
        body->routing = std::make_shared<const Routing>(std::move(rt));
    }
    m.body = std::move(body);
    return WalRecord(std::move(m));
}

}  // namespace

bool MessageRecord::operator==(const MessageRecord& o) const {
    auto same = [](const auto& a, const auto& b) { return a == b || (a && b && *a == *b); };
    return topic == o.topic && partition == o.partition && offset == o.offset &&
           body->key == o.body->key && body->value == o.body->value &&
           same(body->envelope, o.body->envelope) && same(body->routing, o.body->routing);
}

RecordType record_type(const WalRecord& record) {
    return static_cast<RecordType>(record.index() + 1);  // variant order = type numbers
}

std::string_view to_string(RecordType type) {
    switch (type) {
        case RecordType::topic_created: return "topic";
        case RecordType::message: return "message";
        case RecordType::offset_commit: return "offset";
        case RecordType::retry_state: return "retry_state";
        case RecordType::consume_idempotency: return "consume_idempotency";
    }
    return "unknown";
}

bool is_known_type(std::uint8_t type) { return type >= 1 && type <= 5; }

void encode_payload(const WalRecord& record, std::string& out) {
    ByteWriter w(out);
    std::visit(Encoder{w}, record);
}

namespace {

std::optional<WalRecord> decode_fields(RecordType type, ByteReader& r) {
    switch (type) {
        case RecordType::topic_created: {
            TopicRecord t;
            if (r.str(t.name) && r.i32(t.partitions)) return WalRecord(std::move(t));
            return std::nullopt;
        }
        case RecordType::message: return decode_message(r);
        case RecordType::offset_commit: {
            OffsetRecord o;
            if (r.str(o.topic) && r.str(o.group) && r.i32(o.partition) && r.i64(o.offset)) {
                return WalRecord(std::move(o));
            }
            return std::nullopt;
        }
        case RecordType::retry_state: {
            RetryStateRecord s;
            if (r.str(s.topic) && r.str(s.group) && r.i32(s.partition) && r.i64(s.offset) &&
                r.str(s.last_error) && r.i64(s.at)) {
                return WalRecord(std::move(s));
            }
            return std::nullopt;
        }
        case RecordType::consume_idempotency: {
            ConsumeIdemRecord c;
            c.key.scope = IdemScope::consume;
            std::uint8_t status;
            if (r.str(c.key.tenant) && r.str(c.key.topic) && r.str(c.key.group) &&
                r.str(c.key.key) && r.u8(status) && status <= 2 && r.str(c.record.owner) &&
                r.i64(c.record.lease_until) && r.str(c.record.result) &&
                r.str(c.record.last_error) && r.i64(c.record.updated_at)) {
                c.record.status = static_cast<IdemStatus>(status);
                return WalRecord(std::move(c));
            }
            return std::nullopt;
        }
    }
    return std::nullopt;
}

}  // namespace

Result<WalRecord> decode_payload(RecordType type, std::string_view payload) {
    ByteReader r(payload);
    std::optional<WalRecord> out = decode_fields(type, r);
    // Trailing bytes mean the payload is not what was written.
    if (!out || !r.done()) return malformed(type);
    return std::move(*out);
}

std::string describe(const WalRecord& record) {
    struct Describer {
        std::string operator()(const TopicRecord& r) {
            return "topic " + r.name + " partitions=" + std::to_string(r.partitions);
        }
        std::string operator()(const MessageRecord& r) {
            std::string out = "message " + r.topic + " p" + std::to_string(r.partition) + "@" +
                              std::to_string(r.offset) + " key=";
            append_json_string(out, r.body->key);
            out += " value_bytes=" + std::to_string(r.body->value.size());
            if (r.body->envelope && r.body->envelope->dlq) out += " dlq";
            return out;
        }
        std::string operator()(const OffsetRecord& r) {
            return "offset " + r.topic + "/" + r.group + " p" + std::to_string(r.partition) +
                   " committed=" + std::to_string(r.offset);
        }
        std::string operator()(const RetryStateRecord& r) {
            std::string out = "retry_state " + r.topic + "/" + r.group + " p" +
                              std::to_string(r.partition) + "@" + std::to_string(r.offset) +
                              " last_error=";
            append_json_string(out, r.last_error);
            return out;
        }
        std::string operator()(const ConsumeIdemRecord& r) {
            return "consume_idempotency " + r.key.topic + "/" + r.key.group + " key=" + r.key.key +
                   " " + std::string(to_string(r.record.status)) + " owner=" + r.record.owner;
        }
    };
    return std::visit(Describer{}, record);
}

}  // namespace driftq
