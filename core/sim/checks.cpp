// Expectations and invariants of a scenario run.
#include <cassert>

#include "sim/world.hpp"

namespace driftq::sim {

namespace {

std::string where(const Expectation& x) {
    std::string out = x.topic;
    if (!x.group.empty()) out += "/" + x.group;
    return out;
}

std::string_view kind_name(Expectation::Kind k) {
    switch (k) {
        case Expectation::Kind::committed: return "committed";
        case Expectation::Kind::deliveries: return "deliveries";
        case Expectation::Kind::attempts: return "attempts";
        case Expectation::Kind::last_error: return "last_error";
        case Expectation::Kind::dlq_count: return "dlq_count";
        case Expectation::Kind::in_flight: return "in_flight";
        case Expectation::Kind::topic_messages: return "topic_messages";
        case Expectation::Kind::metric: return "metric";
        case Expectation::Kind::partitions: return "partitions";
        case Expectation::Kind::lag: return "lag";
        case Expectation::Kind::message_partition: return "message_partition";
        case Expectation::Kind::dlq_metadata: return "dlq_metadata";
        case Expectation::Kind::idempotency: return "idempotency";
        case Expectation::Kind::retry_state: return "retry_state";
        case Expectation::Kind::recovery: return "recovery";
        case Expectation::Kind::consumer: return "consumer";
    }
    return "?";
}

std::int64_t messages_in(const Topic* t) {
    if (!t) return 0;
    std::int64_t n = 0;
    for (const PartitionLog& p : t->partitions) n += static_cast<std::int64_t>(p.messages.size());
    return n;
}

}  // namespace

void World::record(std::string what, bool ok, std::string observed) {
    checks_.push_back(result(std::move(what), ok, std::move(observed)));
}

CheckResult World::result(std::string what, bool ok, std::string observed) const {
    return CheckResult{std::move(what), ok, std::move(observed), now_, event_count_};
}

bool World::passed() const {
    return !checks_.empty() && std::all_of(checks_.begin(), checks_.end(), [](const CheckResult& c) { return c.ok; });
}

const Message* World::find_message(const std::string& topic, std::int32_t p, std::int64_t offset) const {
    if (!broker_) return nullptr;
    const Topic* t = broker_->find_topic(topic);
    if (!t || p < 0 || static_cast<std::size_t>(p) >= t->partitions.size()) return nullptr;
    const auto& log = t->partitions[static_cast<std::size_t>(p)].messages;
    auto it = std::lower_bound(log.begin(), log.end(), offset,
                               [](const Message& m, std::int64_t o) { return m.offset < o; });
    return it != log.end() && it->offset == offset ? &*it : nullptr;
}

std::string describe(const Expectation& x) {
    std::string what = std::string(kind_name(x.kind)) + " " + where(x);
    using K = Expectation::Kind;
    if (x.kind == K::committed || x.kind == K::lag || x.kind == K::retry_state) what += " p" + std::to_string(x.partition);
    if (x.kind == K::deliveries || x.kind == K::attempts || x.kind == K::last_error ||
        x.kind == K::message_partition || x.kind == K::dlq_metadata || x.kind == K::retry_state) {
        what += " @" + std::to_string(x.offset);
    }
    if (!x.field.empty()) what += " " + x.field;
    if (x.kind == K::idempotency) what += " key " + x.key;
    if (x.kind == K::consumer) what += x.consumer;
    if (x.kind == K::metric) what += x.metric + "{" + x.label + "}";
    while (!what.empty() && what.back() == ' ') what.pop_back();
    return what;
}

void World::check(const Expectation& x) { checks_.push_back(evaluate(x)); }

CheckResult World::evaluate(const Expectation& x) const {
    using K = Expectation::Kind;
    std::string what = x.path + " " + describe(x);
    if (x.kind == K::recovery) {  // about the last restart, whether or not the broker is up now
        if (!last_recovery_) return result(what, false, "no restart has happened");
        const RecoveryReport& r = *last_recovery_;
        const std::uint64_t got = x.field == "records_recovered"     ? r.records_recovered
                                  : x.field == "records_unsynced"    ? r.records_unsynced
                                  : x.field == "records_quarantined" ? r.records_quarantined
                                                                     : r.bytes_torn;
        return compare(x, what, static_cast<std::int64_t>(got));
    }
    if (x.kind == K::consumer) {  // the simulated client's own state, broker up or not
        const std::string got = consumer_state_text(x.consumer);
        return result(what + " == \"" + x.text + "\"", got == x.text, "\"" + got + "\"");
    }
    if (!broker_) {
        return result(what, false, "the broker is down at this time");
    }
    const Broker& b = *broker_;
    std::int64_t got = 0;
    std::string got_text;
    bool text_check = false;
    switch (x.kind) {
        case Expectation::Kind::committed: got = b.committed_offset(x.topic, x.group, x.partition); break;
        case Expectation::Kind::deliveries:
        case Expectation::Kind::attempts:
        case Expectation::Kind::last_error: {
            if (const MessageStats* st = find_stats(x.topic, x.group, x.offset)) {
                got = x.kind == Expectation::Kind::deliveries ? st->deliveries : st->max_attempts;
                got_text = st->last_error;
            }
            text_check = x.kind == Expectation::Kind::last_error;
            break;
        }
        case Expectation::Kind::dlq_count: got = messages_in(b.find_topic(dlq_topic_name(x.topic))); break;
        case Expectation::Kind::topic_messages: got = messages_in(b.find_topic(x.topic)); break;
        case Expectation::Kind::partitions: {
            const Topic* t = b.find_topic(x.topic);
            got = t ? static_cast<std::int64_t>(t->partitions.size()) : 0;
            break;
        }
        case Expectation::Kind::in_flight:
            if (x.topic.empty()) {
                got = static_cast<std::int64_t>(b.in_flight_total());
            } else if (const Topic* t = b.find_topic(x.topic)) {
                for (const auto& [name, g] : t->groups) {
                    if (!x.group.empty() && name != x.group) continue;
                    for (const GroupPartition& gp : g.partitions) got += static_cast<std::int64_t>(gp.in_flight.size());
                }
            }
            break;
        case Expectation::Kind::metric: {
            const MetricsSnapshot m = b.metrics();
            const auto& series = x.metric == "dlq_messages_total" ? m.dlq_messages_total : m.produce_rejected_total;
            auto it = series.find(x.label);
            got = it == series.end() ? 0 : it->second;
            what += x.metric + "{" + x.label + "}";
            break;
        }
        default: text_check = check_more(x, got, got_text); break;
    }
    if (text_check) {
        return result(what + " == \"" + x.text + "\"", got_text == x.text, "\"" + got_text + "\"");
    }
    return compare(x, what, got);
}

CheckResult World::compare(const Expectation& x, const std::string& what, std::int64_t got) const {
    if (x.at_least || x.at_most) {
        const bool ok = (!x.at_least || got >= *x.at_least) && (!x.at_most || got <= *x.at_most);
        std::string bounds;
        if (x.at_least) bounds += " >= " + std::to_string(*x.at_least);
        if (x.at_most) bounds += (bounds.empty() ? "" : " and") + std::string(" <= ") + std::to_string(*x.at_most);
        return result(what + bounds, ok, std::to_string(got));
    }
    return result(what + " == " + std::to_string(x.value), got == x.value, std::to_string(got));
}

// The DLQ copy of topic@offset, if it was dead-lettered.
const Message* World::find_dlq_copy(const std::string& topic, std::int64_t offset) const {
    const Topic* dlq = broker_->find_topic(dlq_topic_name(topic));
    if (!dlq) return nullptr;
    for (const PartitionLog& p : dlq->partitions) {
        for (const Message& m : p.messages) {
            const Envelope* e = m.envelope();
            if (e && e->dlq && e->dlq->original_topic == topic && e->dlq->original_offset == offset) return &m;
        }
    }
    return nullptr;
}

std::string World::consumer_state_text(const std::string& name) const {
    const auto i = find_consumer(name);
    if (!i) return "no such consumer";
    const Consumer& c = consumers_[*i];
    if (c.gone) return "gone";
    if (!c.stream) return "not joined";
    if (c.paused) return "paused";
    if (c.hanging) return "hanging";
    return "live";
}

bool World::check_more(const Expectation& x, std::int64_t& got, std::string& got_text) const {
    using K = Expectation::Kind;
    const Broker& b = *broker_;
    switch (x.kind) {
        case K::lag:
            got = 0;
            for (const PartitionGauge& g : b.metrics().partitions) {
                if (g.topic == x.topic && g.group == x.group && g.partition == x.partition) got = g.lag;
            }
            return false;
        case K::message_partition: {
            got = -1;
            if (const Topic* t = b.find_topic(x.topic)) {
                for (std::size_t p = 0; p < t->partitions.size(); ++p) {
                    if (find_message(x.topic, static_cast<std::int32_t>(p), x.offset)) got = static_cast<std::int64_t>(p);
                }
            }
            return false;
        }
        case K::dlq_metadata: {
            const Message* m = find_dlq_copy(x.topic, x.offset);
            if (!m) {
                got = -1;
                got_text = "(not dead-lettered)";
                return x.field == "last_error" || x.field == "original_topic";
            }
            const DlqMetadata& d = *m->envelope()->dlq;
            if (x.field == "attempts") got = d.attempts;
            if (x.field == "original_partition") got = d.original_partition;
            got_text = x.field == "last_error" ? d.last_error : d.original_topic;
            return x.field == "last_error" || x.field == "original_topic";
        }
        case K::idempotency: {
            const IdemKey key{x.group.empty() ? IdemScope::produce : IdemScope::consume, x.tenant, x.topic,
                              x.group, x.key};
            const IdemRecord* rec = b.idempotency().peek(key, now_);
            got_text = rec ? std::string(to_string(rec->status)) : "absent";
            return true;
        }
        case K::retry_state: {
            got_text.clear();
            const Topic* t = b.find_topic(x.topic);
            if (!t) return true;
            auto g = t->groups.find(x.group);
            if (g == t->groups.end() || static_cast<std::size_t>(x.partition) >= g->second.partitions.size()) return true;
            const auto& rs = g->second.partitions[static_cast<std::size_t>(x.partition)].retry_state;
            if (auto it = rs.find(x.offset); it != rs.end()) got_text = it->second.last_error;
            return true;
        }
        default: break;
    }
    assert(false && "check() handles the other kinds");
    return false;
}

void World::check_durable_after_restart() {
    for (const auto& [topic, p, offset] : durable_produced_) {
        if (!find_message(topic, p, offset)) {
            record("invariant no_durable_produce_lost", false,
                   topic + " p" + std::to_string(p) + "@" + std::to_string(offset) +
                       " was durable before the crash and is gone after the restart");
        }
    }
    for (const auto& [key, max] : max_committed_) {
        const auto& [topic, group, p] = key;
        const std::int64_t now = broker_->committed_offset(topic, group, p);
        if (now < max) {
            record("invariant committed_monotonic", false,
                   topic + "/" + group + " p" + std::to_string(p) + " committed went back from " +
                       std::to_string(max) + " to " + std::to_string(now) + " across the restart");
        }
    }
}

bool World::wants(Invariant i) const {
    return std::find(scenario_->invariants.begin(), scenario_->invariants.end(), i) != scenario_->invariants.end();
}

namespace {

// The first line where two dumps differ, both ways, for a failure report.
std::string first_difference(const std::string& want, const std::string& got) {
    std::size_t at = 0;
    while (at < want.size() && at < got.size() && want[at] == got[at]) ++at;
    const auto line_at = [at](const std::string& s) {
        const std::size_t from = s.rfind('\n', at == 0 ? 0 : at - 1);
        const std::size_t start = from == std::string::npos || at == 0 ? 0 : from + 1;
        return s.substr(start, s.find('\n', start) - start);
    };
    return "expected '" + line_at(want) + "', replay gave '" + line_at(got) + "'";
}

}  // namespace

void World::check_replay_against_journal(std::uint64_t recovered) {
    const char* name = "invariant replay_equals_durable_state";
    const std::uint64_t written = journaled_.size();
    if (recovered > written) {
        record(name, false, "replay found " + std::to_string(recovered) + " records; only " +
                                std::to_string(written) + " were ever written");
        return;
    }
    if (!damaged_since_crash_ && recovered < crash_durable_) {
        record(name, false, "replay found " + std::to_string(recovered) + " records; " +
                                std::to_string(crash_durable_) + " were synced before the crash");
    }
    // The reference: the surviving records applied straight from memory, with no encoding,
    // storage or recovery in between.
    Broker reference(scenario_->broker);
    for (std::uint64_t i = 0; i < recovered; ++i) {
        if (Status s = reference.apply_record(journaled_[static_cast<std::size_t>(i)], now_); !s) {
            record(name, false, "record " + std::to_string(i) + " as written does not apply: " + s.message());
            return;
        }
    }
    reference.finish_replay();
    const std::string want = reference.dump_durable_state();
    const std::string got = broker_->dump_durable_state();
    if (want != got) record(name, false, "after the restart at " + std::to_string(now_) + " ms: " + first_difference(want, got));
    journaled_.truncate(static_cast<std::size_t>(recovered));  // new records follow the survivors
}

void World::check_invariants_at_end() {
    // The two restart invariants record failures as they happen (check_durable_after_restart);
    // drop those the scenario did not ask for, and record a pass for those it did.
    std::vector<CheckResult> kept;
    for (CheckResult& c : checks_) {
        const bool monotonic = c.what == "invariant committed_monotonic";
        const bool durable = c.what == "invariant no_durable_produce_lost";
        const bool replay = c.what == "invariant replay_equals_durable_state";
        if ((replay && !wants(Invariant::replay_equals_durable_state)) ||
            (monotonic && !wants(Invariant::committed_monotonic)) ||
            (durable && !wants(Invariant::no_durable_produce_lost))) {
            continue;
        }
        kept.push_back(std::move(c));
    }
    checks_ = std::move(kept);
    auto failed_already = [&](const char* name) {
        return std::any_of(checks_.begin(), checks_.end(), [&](const CheckResult& c) { return c.what == name; });
    };
    for (Invariant inv : scenario_->invariants) {
        const std::string name = "invariant " + std::string(to_string(inv));
        switch (inv) {
            case Invariant::committed_monotonic:
            case Invariant::no_durable_produce_lost:
            case Invariant::replay_equals_durable_state:
                if (!failed_already(name.c_str())) record(name, true, "held");
                break;
            case Invariant::per_key_order:
                record(name, order_violations_.empty(),
                       order_violations_.empty() ? "held" : order_violations_.front());
                break;
            case Invariant::no_duplicate_side_effect:
                record(name, duplicate_effects_.empty(),
                       duplicate_effects_.empty() ? "held" : "acked twice: " + duplicate_effects_.front());
                break;
            case Invariant::all_acked_or_dead_lettered: {
                std::string missing;
                std::size_t count = 0;
                if (broker_) {
                    std::set<std::pair<std::string, std::string>> groups;
                    for (const Consumer& c : consumers_) groups.insert({c.spec.topic, c.spec.group});
                    for (const auto& [topic, group] : groups) {
                        const Topic* t = broker_->find_topic(topic);
                        if (!t) continue;
                        for (const PartitionLog& p : t->partitions) {
                            for (const Message& m : p.messages) {
                                const MessageStats* st = find_stats(topic, group, m.offset);
                                if (st && st->done) continue;
                                if (++count == 1) missing = topic + "/" + group + " @" + std::to_string(m.offset);
                            }
                        }
                    }
                }
                record(name, broker_ && count == 0,
                       !broker_ ? "the broker is down at the end"
                                : count == 0 ? "held"
                                             : std::to_string(count) + " message(s) neither acked nor dead-lettered, first " + missing);
                break;
            }
        }
    }
}

void World::finish() {
    run_until(scenario_->until_ms);
    run_tasks_at_now();  // the checks of the last moment
    for (const Expectation& x : scenario_->expectations) {
        if (!x.at) {
            check(x);
        } else if (*x.at > scenario_->until_ms) {
            record(x.path + " at " + std::to_string(*x.at) + " ms", false,
                   "never reached: the run ends at " + std::to_string(scenario_->until_ms) + " ms");
        }
    }
    check_invariants_at_end();
}

}  // namespace driftq::sim
