#include "native/driftqd/metrics_text.hpp"

#include <algorithm>
#include <tuple>
#include <vector>

namespace driftq::http {

namespace {

std::string label_value(const std::string& v) {
    std::string out;
    for (char c : v) {
        if (c == '\\') out += "\\\\";
        else if (c == '"') out += "\\\"";
        else if (c == '\n') out += "\\n";
        else out += c;
    }
    return out;
}

void family(std::string& out, const char* name, const char* type, const char* help) {
    out += std::string("# HELP ") + name + " " + help + "\n# TYPE " + name + " " + type + "\n";
}

void sample(std::string& out, const char* name, const std::vector<std::pair<const char*, std::string>>& labels,
            std::int64_t value) {
    out += name;
    if (!labels.empty()) {
        out += "{";
        for (std::size_t i = 0; i < labels.size(); ++i) {
            out += (i ? "," : "") + std::string(labels[i].first) + "=\"" + label_value(labels[i].second) + "\"";
        }
        out += "}";
    }
    out += " " + go_format_g(value) + "\n";
}

}  // namespace

std::string go_format_g(std::int64_t v) {
    const bool negative = v < 0;
    const std::uint64_t mag = negative ? 0 - static_cast<std::uint64_t>(v) : static_cast<std::uint64_t>(v);
    std::string digits = std::to_string(mag);
    if (digits.size() <= 6) return (negative ? "-" : "") + digits;  // %g switches to e at 1e6
    const int exp = static_cast<int>(digits.size()) - 1;
    while (digits.size() > 1 && digits.back() == '0') digits.pop_back();
    std::string out = negative ? "-" : "";
    out += digits[0];
    if (digits.size() > 1) out += "." + digits.substr(1);
    out += "e+";
    if (exp < 10) out += "0";
    return out + std::to_string(exp);
}

std::string metrics_text(const MetricsSnapshot& m, const ServerGauges& s) {
    std::string out;
    // Families in name order: consumer_lag, dlq_messages_total, driftqd_*, inflight_messages,
    // produce_rejected_total.
    auto gauges = m.partitions;
    std::sort(gauges.begin(), gauges.end(), [](const PartitionGauge& a, const PartitionGauge& b) {
        // client_golang orders series by their label values, labels in name order (group,
        // partition, topic), each compared as text.
        return std::make_tuple(a.group, std::to_string(a.partition), a.topic) <
               std::make_tuple(b.group, std::to_string(b.partition), b.topic);
    });
    if (!gauges.empty()) {
        family(out, "consumer_lag", "gauge", "Consumer lag per topic/group/partition (messages after committed offset).");
        for (const PartitionGauge& g : gauges) {
            sample(out, "consumer_lag", {{"group", g.group}, {"partition", std::to_string(g.partition)}, {"topic", g.topic}}, g.lag);
        }
    }
    if (!m.dlq_messages_total.empty()) {
        family(out, "dlq_messages_total", "counter", "Total number of messages routed to DLQ.");
        for (const auto& [topic, n] : m.dlq_messages_total) {
            sample(out, "dlq_messages_total", {{"reason", "max_attempts_reached"}, {"topic", topic}}, n);
        }
    }
    auto own = [&](const char* name, const char* type, const char* help, std::uint64_t v) {
        family(out, name, type, help);
        sample(out, name, {}, static_cast<std::int64_t>(v));
    };
    own("driftqd_commit_rounds_total", "counter", "Rounds of the broker thread: each applies the requests queued since the last and syncs the WAL once.", s.rounds);
    own("driftqd_commands_total", "counter", "Commands the broker thread applied (produce, ack, nack, subscribe, ...).", s.commands);
    own("driftqd_consume_streams", "gauge", "Open /v1/consume streams.", s.streams_open);
    own("driftqd_consume_streams_overflowed_total", "counter", "Consume streams disconnected because their client fell too far behind.", s.streams_overflowed);
    if (s.live_readers) own("driftqd_live_readers", "gauge", "Pages reading /live/commands (--web).", *s.live_readers);
    own("driftqd_wal_records_appended", "gauge", "WAL records accepted since start.", s.wal_appended);
    own("driftqd_wal_records_durable", "gauge", "WAL records synced since start.", s.wal_durable);
    own("driftqd_wal_syncs_total", "counter", "WAL syncs (one per commit round that wrote).", s.syncs);
    if (!gauges.empty()) {
        family(out, "inflight_messages", "gauge", "Current number of in-flight messages per topic/group/partition.");
        for (const PartitionGauge& g : gauges) {
            sample(out, "inflight_messages", {{"group", g.group}, {"partition", std::to_string(g.partition)}, {"topic", g.topic}}, g.in_flight);
        }
    }
    if (!m.produce_rejected_total.empty()) {
        family(out, "produce_rejected_total", "counter", "Total number of produce calls rejected (backpressure/overload).");
        for (const auto& [reason, n] : m.produce_rejected_total) sample(out, "produce_rejected_total", {{"reason", reason}}, n);
    }
    return out;
}

}  // namespace driftq::http
