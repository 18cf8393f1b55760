#include "native/driftqd/consume_item.hpp"

#include "native/driftqd/go_json.hpp"
#include "native/driftqd/go_time.hpp"

namespace driftq::http {

namespace {

void field(std::string& out, const char* name, const std::string& value, bool omit_empty = true) {
    if (omit_empty && value.empty()) return;
    if (out.back() != '{') out += ',';
    out += '"';
    out += name;
    out += "\":";
    out += go_json_string(value);
}

void number(std::string& out, const char* name, std::int64_t value) {
    if (out.back() != '{') out += ',';
    out += '"';
    out += name;
    out += "\":";
    out += std::to_string(value);
}

std::string envelope_json(const Envelope& e, TimeMs origin) {
    std::string out = "{";
    field(out, "run_id", e.run_id);
    field(out, "step_id", e.step_id);
    field(out, "parent_step_id", e.parent_step_id);
    field(out, "tenant_id", e.tenant_id);
    field(out, "idempotency_key", e.idempotency_key);
    field(out, "target_topic", e.target_topic);
    if (e.deadline_ms) field(out, "deadline", go_format_rfc3339_nano(*e.deadline_ms + origin));
    if (e.retry_policy) {
        const RetryPolicy& p = *e.retry_policy;
        std::string rp = "{";
        if (p.max_attempts != 0) number(rp, "max_attempts", p.max_attempts);
        if (p.backoff_ms != 0) number(rp, "backoff_ms", p.backoff_ms);
        if (p.max_backoff_ms != 0) number(rp, "max_backoff_ms", p.max_backoff_ms);
        if (out.back() != '{') out += ',';
        out += "\"retry_policy\":" + rp + "}";
    }
    if (e.partition_override) number(out, "partition_override", *e.partition_override);
    return out + "}";
}

}  // namespace

std::string consume_item_json(const Delivery& d, TimeMs origin) {
    const Message& m = d.message;
    std::string out = "{\"partition\":" + std::to_string(m.partition) + ",\"offset\":" + std::to_string(m.offset) +
                      ",\"attempts\":" + std::to_string(d.attempts) + ",\"key\":" + go_json_string(m.key()) +
                      ",\"value\":" + go_json_string(m.value()) + ",\"last_error\":" + go_json_string(d.last_error);
    if (const Routing* r = m.routing()) {
        out += ",\"routing\":{\"label\":" + go_json_string(r->label);
        if (!r->meta.empty()) {
            out += ",\"meta\":{";
            bool first = true;
            for (const auto& [k, v] : r->meta) {
                out += (first ? "" : ",") + go_json_string(k) + ":" + go_json_string(v);
                first = false;
            }
            out += "}";
        }
        out += "}";
    }
    if (const Envelope* e = m.envelope()) out += ",\"envelope\":" + envelope_json(*e, origin);
    return out + "}\n";
}

}  // namespace driftq::http
