// Canonical text dump of the whole broker state. One fact per line, ordered containers only, so
// the same state always prints the same bytes (golden tests, `state --at`, replay comparison).
#include <string>
#include <vector>

#include "broker/broker.hpp"
#include "base/json_text.hpp"

namespace driftq {

namespace {

class Dump {
public:
    void line(int indent, const std::string& text) {
        out_.append(static_cast<std::size_t>(indent) * 2, ' ');
        out_ += text;
        out_ += '\n';
    }
    std::string take() { return std::move(out_); }

private:
    std::string out_;
};

std::string q(std::string_view s) {
    std::string out;
    append_json_string(out, s);
    return out;
}

std::string opt(const std::optional<std::int64_t>& v) { return v ? std::to_string(*v) : "-"; }

std::string string_map(const std::map<std::string, std::string>& m) {
    std::string out = "{";
    for (const auto& [k, v] : m) {
        if (out.size() > 1) out += ',';
        out += q(k) + ":" + q(v);
    }
    return out + "}";
}

std::string envelope_text(const Envelope& env) {
    std::string out;
    auto field = [&](const char* name, const std::string& v) {
        if (!v.empty()) out += std::string(" ") + name + "=" + q(v);
    };
    field("run", env.run_id);
    field("step", env.step_id);
    field("parent", env.parent_step_id);
    field("tenant", env.tenant_id);
    field("idem", env.idempotency_key);
    field("target", env.target_topic);
    if (env.deadline_ms) out += " deadline=" + std::to_string(*env.deadline_ms);
    if (env.retry_policy) {
        const RetryPolicy& r = *env.retry_policy;
        out += " retry=" + std::to_string(r.max_attempts) + "/" + std::to_string(r.backoff_ms) +
               "/" + std::to_string(r.max_backoff_ms);
    }
    if (env.partition_override) out += " override=" + std::to_string(*env.partition_override);
    if (!env.labels.empty()) out += " labels=" + string_map(env.labels);
    if (env.dlq) {
        const DlqMetadata& d = *env.dlq;
        out += " dlq=" + q(d.original_topic) + "/" + std::to_string(d.original_partition) + "/" +
               std::to_string(d.original_offset) + " dlq_attempts=" + std::to_string(d.attempts) +
               " dlq_last_error=" + q(d.last_error) + " dlq_at=" + std::to_string(d.routed_at_ms);
    }
    return out;
}

std::string message_text(const Message& m) {
    std::string out = "msg " + std::to_string(m.offset) + " key=" + q(m.key()) +
                      " value=" + q(m.value());
    if (const Envelope* env = m.envelope()) out += " env{" + envelope_text(*env) + " }";
    if (const Routing* r = m.routing()) {
        out += " routing{label=" + q(r->label) + " meta=" + string_map(r->meta) + "}";
    }
    return out;
}

void dump_group(Dump& d, const std::string& name, const Group& g,
                const std::map<StreamId, Stream>& streams) {
    d.line(1, "group " + q(name) + " rr_cursor=" + std::to_string(g.rr_cursor) +
                  " has_offsets=" + (g.has_offsets ? "true" : "false"));
    for (StreamId id : g.streams) {
        const Stream& s = streams.at(id);
        d.line(2, "stream " + std::to_string(id) + " owner=" + q(s.owner) +
                      " lease=" + std::to_string(s.lease_ms) +
                      " outbox=" + std::to_string(s.outbox.size()));
    }
    for (std::size_t p = 0; p < g.partitions.size(); ++p) {
        const GroupPartition& gp = g.partitions[p];
        std::string next = gp.next_index ? std::to_string(*gp.next_index) : "-";
        d.line(2, "partition " + std::to_string(p) + " committed=" + opt(gp.committed) +
                      " next_index=" + next);
        for (const auto& [off, e] : gp.in_flight) {
            d.line(3, "in_flight " + std::to_string(off) + " owner=" + q(e.owner) +
                          " attempts=" + std::to_string(e.attempts) +
                          " sent_at=" + std::to_string(e.sent_at) +
                          " next_deliver_at=" + opt(e.next_deliver_at) +
                          " last_error=" + q(e.last_error));
        }
        for (const auto& [off, r] : gp.retry_state) {
            d.line(3, "retry_state " + std::to_string(off) + " last_error=" + q(r.last_error) +
                          " at=" + std::to_string(r.at));
        }
        for (std::int64_t off : gp.done_above_commit) {
            d.line(3, "done_above_commit " + std::to_string(off));
        }
    }
}

}  // namespace

std::string Broker::dump_state() const {
    Dump d;
    d.line(0, "driftq-state v1 last_tick=" + std::to_string(last_tick_at_) +
                  " in_flight=" + std::to_string(in_flight_total_));
    for (const auto& [name, t] : topics_) {
        d.line(0, "topic " + q(name) + " partitions=" + std::to_string(t.partitions.size()) +
                      " next_offset=" + std::to_string(t.next_offset));
        for (std::size_t p = 0; p < t.partitions.size(); ++p) {
            const PartitionLog& log = t.partitions[p];
            d.line(1, "partition " + std::to_string(p) +
                          " messages=" + std::to_string(log.messages.size()) + " bytes=" +
                          std::to_string(log.bytes_through.empty() ? 0 : log.bytes_through.back()));
            for (const Message& m : log.messages) d.line(2, message_text(m));
        }
        for (const auto& [gname, g] : t.groups) dump_group(d, gname, g, streams_);
    }
    for (const auto& [key, rec] : idem_.records()) {
        d.line(0, "idempotency " + std::string(to_string(key.scope)) + " tenant=" + q(key.tenant) +
                      " topic=" + q(key.topic) + " group=" + q(key.group) + " key=" + q(key.key) +
                      " status=" + std::string(to_string(rec.status)) + " owner=" + q(rec.owner) +
                      " lease_until=" + std::to_string(rec.lease_until) +
                      " updated_at=" + std::to_string(rec.updated_at) +
                      " result=" + q(rec.result) + " last_error=" + q(rec.last_error));
    }
    for (const auto& [reason, n] : produce_rejected_) {
        d.line(0, "metric produce_rejected_total reason=" + q(reason) + " " + std::to_string(n));
    }
    for (const auto& [topic, n] : dlq_routed_) {
        d.line(0, "metric dlq_messages_total topic=" + q(topic) +
                      " reason=\"max_attempts_reached\" " + std::to_string(n));
    }
    return d.take();
}

std::string Broker::dump_durable_state() const {
    Dump d;
    d.line(0, "driftq-durable v1");
    for (const auto& [name, t] : topics_) {
        d.line(0, "topic " + q(name) + " partitions=" + std::to_string(t.partitions.size()) +
                      " next_offset=" + std::to_string(t.next_offset));
        for (std::size_t p = 0; p < t.partitions.size(); ++p) {
            for (const Message& m : t.partitions[p].messages) {
                d.line(1, "p" + std::to_string(p) + " " + message_text(m));
            }
        }
        for (const auto& [gname, g] : t.groups) {
            std::vector<std::string> lines;
            for (std::size_t p = 0; p < g.partitions.size(); ++p) {
                const GroupPartition& gp = g.partitions[p];
                if (gp.committed) {
                    lines.push_back("p" + std::to_string(p) + " committed=" +
                                    std::to_string(*gp.committed));
                }
                // Replay drops retry state at or below the commit; so does this view.
                for (auto it = gp.retry_state.upper_bound(gp.committed.value_or(-1));
                     it != gp.retry_state.end(); ++it) {
                    lines.push_back("p" + std::to_string(p) + " retry_state " +
                                    std::to_string(it->first) + " " + q(it->second.last_error) +
                                    " at=" + std::to_string(it->second.at));
                }
            }
            if (lines.empty()) continue;
            d.line(1, "group " + q(gname));
            for (const std::string& l : lines) d.line(2, l);
        }
    }
    for (const auto& [key, rec] : idem_.records()) {
        // Produce scope is rebuilt from messages. Leases (PENDING) do not survive a restart, so
        // a key that went FAILED -> PENDING comes back FAILED; both let the next delivery take
        // the lease, and only COMMITTED (never run the side effect again) is compared.
        if (key.scope != IdemScope::consume || rec.status != IdemStatus::committed) continue;
        d.line(0, "consume_idempotency tenant=" + q(key.tenant) + " topic=" + q(key.topic) +
                      " group=" + q(key.group) + " key=" + q(key.key) +
                      " status=" + std::string(to_string(rec.status)) + " result=" + q(rec.result) +
                      " last_error=" + q(rec.last_error) +
                      " updated_at=" + std::to_string(rec.updated_at));
    }
    return d.take();
}

}  // namespace driftq
