#include "ui/narration.hpp"

namespace driftq::ui {

namespace {

std::string n(std::int64_t v) { return std::to_string(v); }

std::string who(const Event& e) { return e.owner.empty() ? std::string("someone") : e.owner; }

}  // namespace

std::string where_of(const Event& e) {
    std::string s = e.topic;
    if (e.partition >= 0) s += " p" + n(e.partition);
    if (e.offset >= 0 && e.kind != EventKind::offset_committed) s += "@" + n(e.offset);
    return s;
}

bool is_fault(EventKind k) {
    switch (k) {
        case EventKind::broker_crashed:
        case EventKind::wal_damaged:
        case EventKind::ack_lost:
        case EventKind::produce_response_lost:
        case EventKind::sim_error: return true;
        default: return false;
    }
}

bool is_marker(EventKind k) {
    return is_fault(k) || k == EventKind::broker_restarted || k == EventKind::lease_expired ||
           k == EventKind::dead_lettered || k == EventKind::command;
}

std::string narrate(const Event& e) {
    const std::string at = where_of(e);
    switch (e.kind) {
        case EventKind::topic_created:
            return "Topic " + e.topic + " created with " + n(e.value.value_or(0)) + " partition(s)";
        case EventKind::consumer_joined:
            return who(e) + " joined group " + e.group + " on " + e.topic + " (stream " + n(static_cast<std::int64_t>(e.stream)) +
                   ", lease " + n(e.value.value_or(0)) + " ms)";
        case EventKind::consumer_left: return who(e) + " left group " + e.group + " on " + e.topic;
        case EventKind::routed:
            return "The router labelled a message for " + e.topic + " \"" + e.text + "\"" +
                   (e.target.empty() ? "" : " and sent it to " + e.target);
        case EventKind::router_failed: return "The router failed on " + e.topic + ": " + e.text + " (ignored, as upstream does)";
        case EventKind::produced:
            return "Appended " + at + (e.text.empty() ? " (no key)" : " (key \"" + e.text + "\")");
        case EventKind::produce_rejected: return "A produce to " + e.topic + " was refused: " + e.text;
        case EventKind::deduplicated: return "A repeated produce with idempotency key \"" + e.text + "\" was dropped";
        case EventKind::delivered: return at + " delivered to " + who(e) + " (group " + e.group + ")";
        case EventKind::redelivered:
            return at + " redelivered to " + who(e) + ", attempt " + n(e.attempts) +
                   (e.text.empty() ? "" : " after " + e.text);
        case EventKind::lease_expired: return who(e) + "'s lease on " + at + " ran out";
        case EventKind::retry_state_recorded: return "Failure history of " + at + " saved: " + e.text;
        case EventKind::acked: return who(e) + " acked " + at;
        case EventKind::late_ack: return who(e) + " acked " + at + " again; it was already committed";
        case EventKind::nacked: return who(e) + " nacked " + at + ": " + e.text;
        case EventKind::offset_committed:
            return "Group " + e.group + " committed " + e.topic + " p" + n(e.partition) + " up to offset " + n(e.offset);
        case EventKind::dead_lettered:
            return at + " gave up after " + n(e.attempts) + " attempt(s) and moved to " + e.target;
        case EventKind::dlq_publish_failed: return "Could not move " + at + " to the dead-letter topic: " + e.text;
        case EventKind::idempotent_skip: return at + " skipped: its idempotency key is already committed";
        case EventKind::idempotency_changed: return "Idempotency key \"" + e.target + "\" is now " + e.text;
        case EventKind::idempotency_error: return "Idempotency lease refused for " + at + ": " + e.text;
        case EventKind::ack_lost: return who(e) + "'s ack for " + at + " was lost on the way";
        case EventKind::produce_response_lost: return who(e) + " did not hear back and will send again";
        case EventKind::ack_refused: return "The broker refused " + who(e) + "'s answer for " + at + ": " + e.text;
        case EventKind::broker_crashed: return "The broker crashed: what the WAL had not synced is gone";
        case EventKind::broker_restarted:
            return "The broker restarted and replayed " + n(e.value.value_or(0)) + " WAL record(s)" +
                   (e.text.empty() ? "" : ": " + e.text);
        case EventKind::wal_damaged: return "WAL damaged: " + e.text;
        case EventKind::sim_error: return "Refused: " + e.text;
        case EventKind::command:
            return "Command: " + e.text + (e.value.value_or(0) == 0 ? "" : " (refused: " + e.target + ")");
    }
    return e.text;
}

}  // namespace driftq::ui
