#include "wal/upstream_wal.hpp"

#include <cstdint>

#include <nlohmann/json.hpp>

#include "base/text_codecs.hpp"

namespace driftq {

namespace {

using nlohmann::json;

// Reads typed fields of one entry; the first type error is kept and reported for the line.
class Entry {
public:
    explicit Entry(const json& j) : j_(j) {}

    std::string str(const char* name) {
        auto it = j_.find(name);
        if (it == j_.end() || it->is_null()) return {};
        if (!it->is_string()) return fail(name, "a string"), std::string();
        return it->get<std::string>();
    }
    std::int64_t num(const char* name) {
        auto it = j_.find(name);
        if (it == j_.end() || it->is_null()) return 0;
        if (!it->is_number_integer()) return fail(name, "an integer"), 0;
        // An unsigned number past INT64_MAX would wrap to a negative one.
        if (it->is_number_unsigned() && it->get<std::uint64_t>() > static_cast<std::uint64_t>(INT64_MAX)) {
            return fail(name, "a 64-bit signed integer"), 0;
        }
        return it->get<std::int64_t>();
    }
    // A number that must fit 32 bits (partitions, attempts): checked, never narrowed silently.
    std::int32_t num32(const char* name) {
        const std::int64_t v = num(name);
        if (v < INT32_MIN || v > INT32_MAX) return fail(name, "a 32-bit integer"), 0;
        return static_cast<std::int32_t>(v);
    }
    bool has(const char* name) const {
        auto it = j_.find(name);
        return it != j_.end() && !it->is_null();
    }
    std::string bytes(const char* name) {
        const std::string text = str(name);
        auto decoded = base64_decode(text);
        if (!decoded) return fail(name, "base64 (" + decoded.error().message + ")"), std::string();
        return decoded.value();
    }
    TimeMs timestamp(const char* name) {
        const std::string text = str(name);
        if (text.empty()) return 0;
        auto t = parse_rfc3339_ms(text);
        if (!t) return fail(name, t.error().message), 0;
        return t.value();
    }
    std::map<std::string, std::string> map(const char* name) {
        std::map<std::string, std::string> out;
        auto it = j_.find(name);
        if (it == j_.end() || it->is_null()) return out;
        if (!it->is_object()) return fail(name, "an object"), out;
        for (auto& [k, v] : it->items()) {
            if (!v.is_string()) return fail(name, "an object of strings"), out;
            out[k] = v.get<std::string>();
        }
        return out;
    }
    const std::string& error() const { return error_; }

private:
    void fail(const char* field, const std::string& expected) {
        if (error_.empty()) error_ = "field \"" + std::string(field) + "\": expected " + expected;
    }
    const json& j_;
    std::string error_;
};

std::shared_ptr<const Envelope> envelope_of(Entry& e) {
    Envelope env;
    env.run_id = e.str("run_id");
    env.step_id = e.str("step_id");
    env.parent_step_id = e.str("parent_step_id");
    env.labels = e.map("labels");
    env.target_topic = e.str("target_topic");
    if (e.has("partition_override")) env.partition_override = e.num32("partition_override");
    env.idempotency_key = e.str("idempotency_key");
    if (e.has("deadline")) env.deadline_ms = e.timestamp("deadline");
    RetryPolicy rp{e.num32("retry_max_attempts"), e.num("retry_backoff_ms"),
                   e.num("retry_max_backoff_ms")};
    if (rp.max_attempts != 0 || rp.backoff_ms != 0 || rp.max_backoff_ms != 0) env.retry_policy = rp;
    env.tenant_id = e.str("tenant_id");
    DlqMetadata d{e.str("dlq_original_topic"), e.num32("dlq_original_partition"),
                  e.num("dlq_original_offset"), e.num32("dlq_attempts"),
                  e.str("dlq_last_error"), e.num("dlq_routed_at_ms")};
    if (!d.original_topic.empty() || d.routed_at_ms != 0 || !d.last_error.empty()) env.dlq = d;
    // Upstream's envelopeFromEntry: no envelope unless some field is set.
    if (env == Envelope{}) return nullptr;
    return std::make_shared<const Envelope>(std::move(env));
}

std::optional<WalRecord> record_of(Entry& e, std::int64_t type, TimeMs now) {
    switch (type) {
        case 1: {
            auto body = std::make_shared<MessageBody>();
            body->key = e.bytes("key");
            body->value = e.bytes("value");
            Routing r{e.str("routing_label"), e.map("routing_meta")};
            if (!r.label.empty() || !r.meta.empty()) body->routing = std::make_shared<const Routing>(std::move(r));
            body->envelope = envelope_of(e);
            return MessageRecord{e.str("topic"), e.num32("partition"),
                                 e.num("offset"), std::move(body)};
        }
        case 2:
            return OffsetRecord{e.str("topic"), e.str("group"),
                                e.num32("partition"), e.num("offset")};
        case 4:
            return RetryStateRecord{e.str("topic"), e.str("group"),
                                    e.num32("partition"), e.num("offset"),
                                    e.str("last_error"), e.timestamp("last_error_at")};
        case 5: {
            if (e.str("idempotency_scope") != "consume") return std::nullopt;
            const std::string status = e.str("idempotency_status");
            ConsumeIdemRecord c;
            c.key = IdemKey{IdemScope::consume, e.str("tenant_id"), e.str("topic"), e.str("group"),
                            e.str("idempotency_key")};
            if (status == "COMMITTED") {
                c.record.status = IdemStatus::committed;
            } else if (status == "FAILED") {
                c.record.status = IdemStatus::failed;
            } else if (status == "PENDING") {
                c.record.status = IdemStatus::pending;
            } else {
                return std::nullopt;  // unknown statuses are ignored by upstream replay
            }
            c.record.owner = e.str("lease_owner");
            c.record.lease_until = e.timestamp("lease_until");
            c.record.result = e.bytes("result");
            c.record.last_error = e.str("last_error");
            c.record.updated_at = e.has("updated_at") ? e.timestamp("updated_at") : now;
            return c;
        }
        default: return std::nullopt;  // type 3 (never written) and unknown types
    }
}

}  // namespace

UpstreamWal parse_upstream_wal(std::string_view text, TimeMs now) {
    UpstreamWal out;
    std::size_t line_no = 0;
    while (!text.empty()) {
        const std::size_t nl = text.find('\n');
        const std::string_view line = text.substr(0, nl);
        text.remove_prefix(nl == std::string_view::npos ? text.size() : nl + 1);
        ++line_no;
        if (line.find_first_not_of(" \t\r") == std::string_view::npos) continue;
        ++out.lines;
        const json j = json::parse(line, nullptr, /*allow_exceptions=*/false);
        if (j.is_discarded() || !j.is_object()) {
            out.errors.push_back("line " + std::to_string(line_no) + ": not a JSON object" +
                                 (nl == std::string_view::npos ? " (torn last line?)" : ""));
            continue;
        }
        Entry e(j);
        const std::int64_t type = e.num("type");
        std::optional<WalRecord> rec = e.error().empty() ? record_of(e, type, now) : std::nullopt;
        if (!e.error().empty()) {
            out.errors.push_back("line " + std::to_string(line_no) + ": " + e.error());
        } else if (rec) {
            out.records.push_back(std::move(*rec));
            out.record_lines.push_back(line_no);
        } else {
            ++out.ignored;
        }
    }
    return out;
}

}  // namespace driftq
