#include "broker/event.hpp"

#include "base/json_text.hpp"

namespace driftq {

std::string_view to_string(EventKind kind) {
    switch (kind) {
        case EventKind::topic_created: return "topic_created";
        case EventKind::consumer_joined: return "consumer_joined";
        case EventKind::consumer_left: return "consumer_left";
        case EventKind::routed: return "routed";
        case EventKind::router_failed: return "router_failed";
        case EventKind::produced: return "produced";
        case EventKind::produce_rejected: return "produce_rejected";
        case EventKind::deduplicated: return "deduplicated";
        case EventKind::delivered: return "delivered";
        case EventKind::redelivered: return "redelivered";
        case EventKind::lease_expired: return "lease_expired";
        case EventKind::retry_state_recorded: return "retry_state_recorded";
        case EventKind::acked: return "acked";
        case EventKind::late_ack: return "late_ack";
        case EventKind::nacked: return "nacked";
        case EventKind::offset_committed: return "offset_committed";
        case EventKind::dead_lettered: return "dead_lettered";
        case EventKind::dlq_publish_failed: return "dlq_publish_failed";
        case EventKind::idempotent_skip: return "idempotent_skip";
        case EventKind::idempotency_changed: return "idempotency_changed";
        case EventKind::idempotency_error: return "idempotency_error";
        case EventKind::ack_lost: return "ack_lost";
        case EventKind::produce_response_lost: return "produce_response_lost";
        case EventKind::ack_refused: return "ack_refused";
        case EventKind::broker_crashed: return "broker_crashed";
        case EventKind::broker_restarted: return "broker_restarted";
        case EventKind::wal_damaged: return "wal_damaged";
        case EventKind::sim_error: return "sim_error";
        case EventKind::command: return "command";
    }
    return "unknown";
}

std::string to_json(const Event& e) {
    std::string out = "{";
    append_json_field(out, "seq", static_cast<std::int64_t>(e.seq));
    append_json_field(out, "at", e.at);
    append_json_field(out, "kind", to_string(e.kind));
    if (!e.topic.empty()) append_json_field(out, "topic", e.topic);
    if (!e.group.empty()) append_json_field(out, "group", e.group);
    if (e.partition >= 0) append_json_field(out, "partition", e.partition);
    if (e.offset >= 0) append_json_field(out, "offset", e.offset);
    if (!e.owner.empty()) append_json_field(out, "owner", e.owner);
    if (e.stream != 0) append_json_field(out, "stream", static_cast<std::int64_t>(e.stream));
    if (e.attempts != 0) append_json_field(out, "attempts", e.attempts);
    if (e.value) append_json_field(out, "value", *e.value);
    if (!e.text.empty()) append_json_field(out, "text", e.text);
    if (!e.target.empty()) append_json_field(out, "target", e.target);
    out += '}';
    return out;
}

}  // namespace driftq

namespace driftq {

namespace {

std::string where(const Event& e) {
    std::string out = e.topic;
    if (!e.group.empty()) out += "/" + e.group;
    if (e.partition >= 0) out += " p" + std::to_string(e.partition);
    if (e.offset >= 0) out += "@" + std::to_string(e.offset);
    return out;
}

std::string details(const Event& e) {
    switch (e.kind) {
        case EventKind::topic_created: return std::to_string(e.value.value_or(0)) + " partitions";
        case EventKind::consumer_joined:
            return e.owner + " (stream " + std::to_string(e.stream) + ", lease " +
                   std::to_string(e.value.value_or(0)) + " ms)";
        case EventKind::consumer_left: return e.owner + " (stream " + std::to_string(e.stream) + ")";
        case EventKind::routed:
            return "label \"" + e.text + "\"" + (e.target.empty() ? "" : " -> " + e.target);
        case EventKind::produced: return e.text.empty() ? "keyless" : "key \"" + e.text + "\"";
        case EventKind::delivered:
        case EventKind::redelivered:
            return "-> " + e.owner + " attempt " + std::to_string(e.attempts) +
                   (e.text.empty() ? "" : " (" + e.text + ")");
        case EventKind::lease_expired:
            return e.owner + " did not ack attempt " + std::to_string(e.attempts);
        case EventKind::acked:
        case EventKind::late_ack: return "by " + (e.owner.empty() ? "-" : e.owner);
        case EventKind::nacked: return "by " + e.owner + ": " + e.text;
        case EventKind::offset_committed: return "committed";
        case EventKind::dead_lettered:
            return "-> " + e.target + "@" + std::to_string(e.value.value_or(0)) + " after " +
                   std::to_string(e.attempts) + " attempts (" + e.text + ")";
        case EventKind::idempotency_changed: return "key \"" + e.target + "\" " + e.text + " " + e.owner;
        case EventKind::broker_restarted:
            return "replayed " + std::to_string(e.value.value_or(0)) + " WAL records" +
                   (e.text.empty() ? "" : "; " + e.text);
        case EventKind::ack_lost: return e.owner + "'s ack for attempt " + std::to_string(e.attempts) + " was lost";
        case EventKind::ack_refused: return e.owner + "'s answer refused: " + e.text;
        case EventKind::produce_response_lost: return e.owner + " did not get the response and will send again";
        case EventKind::command: return e.text + (e.value.value_or(0) == 0 ? " -> ok" : " -> refused: " + e.target);
        default: return e.text;
    }
}

}  // namespace

std::string to_text(const Event& e) {
    std::string at = std::to_string(e.at);
    std::string kind(to_string(e.kind));
    std::string out;
    out.append(at.size() < 7 ? 7 - at.size() : 0, ' ');
    out += at + "  " + kind;
    out.append(kind.size() < 21 ? 21 - kind.size() : 1, ' ');
    const std::string w = where(e);
    out += w;
    const std::string d = details(e);
    if (!d.empty()) out += (w.empty() ? "" : "  ") + d;
    return out;
}

}  // namespace driftq
