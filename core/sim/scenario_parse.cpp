// JSON -> Scenario. Every field is read through Node, which knows its JSON path, checks types
// and ranges, rejects unknown fields (typos), and collects every error instead of stopping at
// the first one.
#include <nlohmann/json.hpp>

#include <algorithm>
#include <set>

#include "sim/scenario.hpp"

namespace driftq::sim {

namespace {

using nlohmann::json;

class Errors {
public:
    void add(const std::string& path, const std::string& what) {
        list.push_back((path.empty() ? "/" : path) + ": " + what);
    }
    std::vector<std::string> list;
};

// A value quoted in an error: its type, and for a string or number a short excerpt, never the
// whole value (a 16 MiB string stays out of the message; dump() of a deep value is never taken).
std::string excerpt(const json& j);

std::string type_name(const json& j) {
    if (j.is_null()) return "null";
    if (j.is_boolean()) return "a boolean";
    if (j.is_number_integer()) return "an integer";
    if (j.is_number()) return "a number";
    if (j.is_string()) return "a string";
    if (j.is_array()) return "an array";
    return "an object";
}

std::string excerpt(const json& j) {
    constexpr std::size_t kMax = 40;
    if (j.is_string()) {
        const auto& v = j.get_ref<const std::string&>();
        if (v.size() <= kMax) return "\"" + v + "\"";
        return "\"" + v.substr(0, kMax) + "...\" (a string of " + std::to_string(v.size()) + " bytes)";
    }
    if (j.is_number() || j.is_boolean()) return j.dump();
    return type_name(j);
}

// One JSON object being read. Fields read are remembered; the rest are reported as unknown.
class Node {
public:
    Node(const json& j, std::string path, Errors& e) : j_(j), path_(std::move(path)), e_(e) {}
    ~Node() = default;

    bool ok_object() {
        if (j_.is_object()) return true;
        e_.add(path_, "expected an object, found " + type_name(j_));
        return false;
    }
    const json* get(const char* name) {
        seen_.insert(name);
        auto it = j_.find(name);
        return it == j_.end() || it->is_null() ? nullptr : &*it;
    }
    std::string at(const char* name) const { return path_ + "/" + name; }

    std::string str(const char* name, std::string def = {}, bool required = false) {
        const json* v = get(name);
        if (!v) {
            if (required) e_.add(at(name), "required string is missing");
            return def;
        }
        if (!v->is_string()) return bad(name, "a string", *v), def;
        return v->get<std::string>();
    }
    std::int64_t integer(const char* name, std::int64_t def, std::int64_t min = INT64_MIN,
                         std::int64_t max = INT64_MAX) {
        const json* v = get(name);
        if (!v) return def;
        if (!v->is_number_integer()) return bad(name, "an integer", *v), def;
        if (v->is_number_unsigned() && v->get<std::uint64_t>() > static_cast<std::uint64_t>(INT64_MAX)) {
            e_.add(at(name), "integer too large");
            return def;
        }
        const auto x = v->get<std::int64_t>();
        if (x < min || x > max) {
            e_.add(at(name), "expected an integer in [" + std::to_string(min) + ", " +
                                 (max == INT64_MAX ? std::string("...") : std::to_string(max)) +
                                 "], found " + std::to_string(x));
            return def;
        }
        return x;
    }
    std::optional<std::int64_t> opt_integer(const char* name, std::int64_t min = 0,
                                            std::int64_t max = INT64_MAX) {
        const json* v = get(name);
        if (!v) return std::nullopt;
        return integer(name, 0, min, max);
    }
    // A virtual time or duration: bounded so that sums of them cannot overflow the clock.
    std::int64_t time(const char* name, std::int64_t def, std::int64_t min = 0) {
        return integer(name, def, min, kMaxTime);
    }
    std::optional<std::int64_t> opt_time(const char* name) { return opt_integer(name, 0, kMaxTime); }
    static constexpr std::int64_t kMaxTime = 1'000'000'000;  // about 11.5 days of virtual time
    double number(const char* name, double def, double min, double max) {
        const json* v = get(name);
        if (!v) return def;
        if (!v->is_number()) return bad(name, "a number", *v), def;
        const double x = v->get<double>();
        if (x < min || x > max) {
            e_.add(at(name), "expected a number in [" + std::to_string(min) + ", " +
                                 std::to_string(max) + "]");
            return def;
        }
        return x;
    }
    bool boolean(const char* name, bool def) {
        const json* v = get(name);
        if (!v) return def;
        if (!v->is_boolean()) return bad(name, "true or false", *v), def;
        return v->get<bool>();
    }
    // One of `choices`; returns its index.
    int choice(const char* name, std::initializer_list<const char*> choices, int def) {
        const json* v = get(name);
        if (!v) return def;
        std::string list;
        int i = 0;
        for (const char* c : choices) {
            if (v->is_string() && v->get<std::string>() == c) return i;
            list += (i++ ? ", " : "") + std::string("\"") + c + "\"";
        }
        e_.add(at(name), "expected one of " + list + ", found " + excerpt(*v));
        return def;
    }
    // Calls f(Node&) for each object of an array field.
    template <class F>
    void each(const char* name, F&& f) {
        const json* v = get(name);
        if (!v) return;
        if (!v->is_array()) return bad(name, "an array", *v);
        for (std::size_t i = 0; i < v->size(); ++i) {
            Node child((*v)[i], at(name) + "/" + std::to_string(i), e_);
            if (child.ok_object()) {
                f(child);
                child.finish();
            }
        }
    }
    template <class F>
    void object(const char* name, F&& f) {
        const json* v = get(name);
        if (!v) return;
        Node child(*v, at(name), e_);
        if (child.ok_object()) {
            f(child);
            child.finish();
        }
    }
    std::vector<std::string> strings(const char* name) {
        std::vector<std::string> out;
        const json* v = get(name);
        if (!v) return out;
        if (!v->is_array()) return bad(name, "an array of strings", *v), out;
        for (std::size_t i = 0; i < v->size(); ++i) {
            if (!(*v)[i].is_string()) {
                e_.add(at(name) + "/" + std::to_string(i), "expected a string, found " + type_name((*v)[i]));
            } else {
                out.push_back((*v)[i].get<std::string>());
            }
        }
        return out;
    }
    void finish() {
        for (auto it = j_.begin(); it != j_.end(); ++it) {
            if (!seen_.count(it.key())) e_.add(at(it.key().c_str()), "unknown field");
        }
    }
    Errors& errors() { return e_; }
    const std::string& path() const { return path_; }

private:
    void bad(const char* name, const char* expected, const json& found) {
        e_.add(at(name), std::string("expected ") + expected + ", found " + type_name(found));
    }
    const json& j_;
    std::string path_;
    Errors& e_;
    std::set<std::string> seen_;
};

Envelope read_envelope(Node& n) {
    Envelope e;
    e.run_id = n.str("run_id");
    e.step_id = n.str("step_id");
    e.parent_step_id = n.str("parent_step_id");
    e.tenant_id = n.str("tenant_id");
    e.idempotency_key = n.str("idempotency_key");
    e.target_topic = n.str("target_topic");
    if (auto d = n.opt_integer("deadline_ms")) e.deadline_ms = *d;
    // Any 32-bit number: the broker, not the reader, refuses one outside the topic (a lesson
    // shows "partition_override out of range").
    if (auto p = n.opt_integer("partition_override", INT32_MIN, INT32_MAX)) {
        e.partition_override = static_cast<std::int32_t>(*p);
    }
    n.object("retry_policy", [&](Node& r) {
        e.retry_policy = RetryPolicy{static_cast<int>(r.integer("max_attempts", 0, 0, 1'000'000)),
                                     r.integer("backoff_ms", 0, 0), r.integer("max_backoff_ms", 0, 0)};
    });
    const json* labels = n.get("labels");
    if (labels) {
        if (!labels->is_object()) {
            n.errors().add(n.at("labels"), "expected an object of strings");
        } else {
            for (auto& [k, v] : labels->items()) {
                if (v.is_string()) e.labels[k] = v.get<std::string>();
                else n.errors().add(n.at("labels") + "/" + k, "expected a string");
            }
        }
    }
    return e;
}

void read_broker(Node& n, BrokerOptions& o) {
    o.max_in_flight = static_cast<int>(n.integer("max_in_flight", o.max_in_flight, 0, 1'000'000));
    o.ack_timeout_ms = n.time("ack_timeout_ms", o.ack_timeout_ms, 1);
    o.default_lease_ms = n.time("default_lease_ms", o.default_lease_ms, 1);
    o.tick_ms = n.time("tick_ms", o.tick_ms, 1);
    o.max_partition_messages = n.integer("max_partition_messages", o.max_partition_messages, 0);
    o.max_partition_bytes = n.integer("max_partition_bytes", o.max_partition_bytes, 0);
    o.idempotency_window_ms = n.time("idempotency_window_ms", o.idempotency_window_ms, 1);
    o.commit_rule = n.choice("commit_rule", {"highest_acked", "contiguous"}, 0) == 0
                        ? CommitRule::highest_acked
                        : CommitRule::contiguous;
    o.persist_topics = n.boolean("persist_topics", o.persist_topics);
    o.failed_answer_creates_group = n.boolean("failed_answer_creates_group", o.failed_answer_creates_group);
    o.max_message_bytes = n.integer("max_message_bytes", o.max_message_bytes, 0, kMaxMessageBytes);
    o.max_partitions = static_cast<std::int32_t>(n.integer("max_partitions", o.max_partitions, 1, INT32_MAX));
    o.max_topic_name_bytes = static_cast<std::int32_t>(n.integer("max_topic_name_bytes", o.max_topic_name_bytes, 1, INT32_MAX));
    o.max_last_error_bytes = n.integer("max_last_error_bytes", 0, 0, kMaxLastErrorBytes);
    o.max_topics = static_cast<std::int32_t>(n.integer("max_topics", o.max_topics, 0, INT32_MAX));
    o.max_group_partitions = n.integer("max_group_partitions", o.max_group_partitions, 0);
    o.max_idempotency_records = n.integer("max_idempotency_records", o.max_idempotency_records, 0);
    if (o.max_last_error_bytes != 0 && o.max_last_error_bytes < 64) {
        n.errors().add(n.at("max_last_error_bytes"), "expected 0 (no bound but the WAL's) or at least 64");
    }
}

void read_wal(Node& n, WalOptions& w) {
    const int d = n.choice("durability", {"always", "batch", "none"}, 0);
    w.durability = d == 0 ? Durability::always : d == 1 ? Durability::batch : Durability::none;
    w.batch_max_records = static_cast<std::uint32_t>(n.integer("batch_max_records", w.batch_max_records, 1, UINT32_MAX));
    w.batch_max_delay_ms = n.time("batch_max_delay_ms", w.batch_max_delay_ms, 0);
    w.segment_bytes = static_cast<std::uint64_t>(n.integer("segment_bytes", static_cast<std::int64_t>(w.segment_bytes), 256));
    w.buffer_bytes = static_cast<std::size_t>(n.integer("buffer_bytes", static_cast<std::int64_t>(w.buffer_bytes), 1, 1 << 30));
    const int m = n.choice("recovery", {"tolerate_tail", "point_in_time", "absolute"}, 0);
    w.recovery = m == 0 ? RecoveryMode::tolerate_tail : m == 1 ? RecoveryMode::point_in_time : RecoveryMode::absolute;
}

KeySpec read_keys(Node& n) {
    KeySpec k;
    k.kind = static_cast<KeySpec::Kind>(n.choice("kind", {"none", "fixed", "round_robin", "zipf"}, 0));
    k.value = n.str("value", "k");
    k.count = static_cast<int>(n.integer("count", 1, 1, 1'000'000));
    k.skew = n.number("skew", 1.0, 0.0, 10.0);
    return k;
}

void read_producer(Node& n, ProducerSpec& p) {
    p.name = n.str("name", "producer");
    p.topic = n.str("topic", {}, true);
    n.each("messages", [&](Node& m) {
        MessageSpec s;
        s.at = m.time("at", 0);
        s.key = m.str("key");
        s.value = m.str("value", "v");
        m.object("envelope", [&](Node& e) { s.envelope = read_envelope(e); });
        p.messages.push_back(std::move(s));
    });
    n.object("rate", [&](Node& r) {
        p.count = static_cast<int>(r.integer("count", 0, 0, 10'000'000));
        p.start_ms = r.time("start_ms", 0);
        p.every_ms = r.time("every_ms", 100, 1);
        r.object("keys", [&](Node& k) { p.keys = read_keys(k); });
        r.object("envelope", [&](Node& e) { p.envelope = read_envelope(e); });
        p.idempotent_retries = r.boolean("idempotent_retries", false);
    });
    p.retry_on_backpressure = n.boolean("retry_on_backpressure", true);
    p.duplicate_probability = n.number("duplicate_probability", 0, 0, 1);
}

void read_consumer(Node& n, ConsumerSpec& c) {
    c.name = n.str("name", {}, true);
    c.owner = n.str("owner", c.name);
    c.topic = n.str("topic", {}, true);
    c.group = n.str("group", "g");
    c.lease_ms = n.time("lease_ms", 0);
    c.join_at = n.time("join_at", 0);
    c.leave_at = n.opt_time("leave_at");
    c.crash_at = n.opt_time("crash_at");
    c.rejoin_at = n.opt_time("rejoin_at");
    const std::optional<TimeMs> gone = c.leave_at ? c.leave_at : c.crash_at;
    if (gone && *gone < c.join_at) n.errors().add(n.at(c.leave_at ? "leave_at" : "crash_at"), "must not be before join_at");
    if (c.rejoin_at && (!gone || *c.rejoin_at <= *gone)) {
        n.errors().add(n.at("rejoin_at"), "needs an earlier leave_at or crash_at");
    }
    n.object("processing", [&](Node& p) {
        c.processing.kind = static_cast<Processing::Kind>(p.choice("kind", {"constant", "uniform", "exponential"}, 0));
        c.processing.ms = p.time("ms", 50);
        c.processing.min_ms = p.time("min_ms", 0);
        c.processing.max_ms = p.time("max_ms", 100);
        if (c.processing.min_ms > c.processing.max_ms) p.errors().add(p.at("min_ms"), "must not exceed max_ms");
    });
    c.behaviour = static_cast<ConsumerSpec::Behaviour>(n.choice("behaviour", {"ack", "nack", "hang", "manual"}, 0));
    c.nack_reason = n.str("nack_reason", "nack");
    c.fail_probability = n.number("fail_probability", 0, 0, 1);
    c.ack_loss_probability = n.number("ack_loss_probability", 0, 0, 1);
    const json* hang = n.get("hang_on_offsets");
    if (hang) {
        if (!hang->is_array()) {
            n.errors().add(n.at("hang_on_offsets"), "expected an array of integers");
        } else {
            for (const json& v : *hang) {
                if (v.is_number_integer()) c.hang_on_offsets.push_back(v.get<std::int64_t>());
                else n.errors().add(n.at("hang_on_offsets"), "expected an array of integers");
            }
        }
    }
}

void read_command(Node& n, TimedCommand& t) {
    t.path = n.path();
    t.at = n.time("at", 0);
    const std::string name = n.str("action", {}, true);
    const auto kind = command_kind(name);
    if (!kind) {
        if (!name.empty()) n.errors().add(n.at("action"), "unknown action \"" + name + "\"");
        return;
    }
    Command& c = t.command;
    c.kind = *kind;
    const CommandShape shape = command_shape(c.kind);
    // Only the fields this kind reads are read, so any other is reported as unknown.
    auto has = [&](std::uint32_t f) { return (shape.fields & f) != 0; };
    auto need = [&](std::uint32_t f, const char* field) {
        if ((shape.required & f) && !n.get(field)) n.errors().add(n.at(field), "required for " + name);
    };
    const std::pair<std::uint32_t, const char*> named[] = {
        {kTopic, "topic"}, {kKey, "key"}, {kConsumer, "consumer"}, {kOwner, "owner"}, {kOffset, "offset"}};
    for (const auto& [f, field] : named) {
        if (has(f)) need(f, field);
    }
    if (has(kTopic)) c.topic = n.str("topic");
    // Numbers the broker refuses with its own error (a lesson may show it) are read as they are.
    if (has(kPartitions)) c.partitions = static_cast<std::int32_t>(n.integer("partitions", 1, INT32_MIN, INT32_MAX));
    if (has(kKey)) c.key = n.str("key");
    if (has(kValue)) c.value = n.str("value", "v");
    if (has(kEnvelope)) n.object("envelope", [&](Node& e) { c.envelope = read_envelope(e); });
    if (has(kConsumer)) c.consumer = n.str("consumer");
    if (has(kGroup)) c.group = n.str("group", "g");
    if (has(kOwner)) c.owner = n.str("owner");
    if (has(kLeaseMs)) c.lease_ms = n.time("lease_ms", 0);
    if (has(kBehaviour)) {
        c.behaviour = static_cast<ConsumerBehaviour>(n.choice("behaviour", {"ack", "nack", "hang", "manual"}, 3));
    }
    if (has(kProcessingMs)) c.processing_ms = n.time("processing_ms", 50);
    if (has(kPartition)) c.partition = static_cast<std::int32_t>(n.integer("partition", 0, INT32_MIN, INT32_MAX));
    if (has(kOffset)) c.offset = n.integer("offset", 0);
    if (has(kText)) c.text = n.str(shape.text_name);
    if (has(kTenant)) c.tenant = n.str("tenant");
    if (has(kBytes)) c.bytes = static_cast<std::uint64_t>(n.integer("bytes", 1, 1, 1'000'000'000));
    if (has(kPowerLoss)) {
        c.power_loss = static_cast<PowerLoss>(n.choice("power_loss", {"drop_unsynced", "keep_prefix", "keep_sectors"}, 0));
    }
    if (n.get("expect")) t.expect = n.str("expect");
}

void read_expectation(Node& n, Expectation& x) {
    x.path = n.path();
    x.at = n.opt_time("at");
    const json* kind = n.get("check");
    x.kind = static_cast<Expectation::Kind>(n.choice(
        "check", {"committed", "deliveries", "attempts", "last_error", "dlq_count", "in_flight",
                  "topic_messages", "metric", "partitions", "lag", "message_partition", "dlq_metadata",
                  "idempotency", "retry_state", "recovery", "consumer"}, 0));
    if (!kind) n.errors().add(n.at("check"), "required string is missing");
    x.topic = n.str("topic");
    x.group = n.str("group");
    x.partition = static_cast<std::int32_t>(n.integer("partition", 0, 0, 1023));
    x.offset = n.integer("offset", 0, -1);
    x.value = n.integer("equals", 0, INT64_MIN);
    x.at_least = n.opt_integer("at_least", INT64_MIN);
    x.at_most = n.opt_integer("at_most", INT64_MIN);
    const bool has_equals = n.get("equals") != nullptr;
    if (has_equals && (x.at_least || x.at_most)) {
        n.errors().add(n.at("equals"), "use either equals or at_least/at_most, not both");
    }
    x.text = n.str("text");
    x.metric = n.str("metric");
    x.label = n.str("label");
    if (x.kind == Expectation::Kind::metric && x.metric != "produce_rejected_total" &&
        x.metric != "dlq_messages_total") {
        n.errors().add(n.at("metric"), "expected \"produce_rejected_total\" or \"dlq_messages_total\"");
    }
    x.field = n.str("field");
    x.key = n.str("key");
    x.tenant = n.str("tenant");
    x.consumer = n.str("consumer");
    using K = Expectation::Kind;
    auto field_in = [&](std::initializer_list<const char*> names) {
        for (const char* f : names) {
            if (x.field == f) return true;
        }
        std::string list;
        for (const char* f : names) list += (list.empty() ? "\"" : ", \"") + std::string(f) + "\"";
        n.errors().add(n.at("field"), "expected one of " + list + ", found \"" + x.field + "\"");
        return false;
    };
    if (x.kind == K::dlq_metadata) {
        field_in({"attempts", "original_partition", "last_error", "original_topic"});
    }
    if (x.kind == K::recovery) {
        field_in({"records_recovered", "records_unsynced", "records_quarantined", "bytes_torn"});
    }
    if (x.kind == K::idempotency && x.key.empty()) n.errors().add(n.at("key"), "this check needs the key");
    if (x.kind == K::consumer && x.consumer.empty()) n.errors().add(n.at("consumer"), "this check needs the consumer's name");
    if (x.kind == K::consumer && x.text != "live" && x.text != "paused" && x.text != "hanging" && x.text != "gone" && x.text != "not joined") {
        n.errors().add(n.at("text"), "expected one of \"live\", \"paused\", \"hanging\", \"gone\", \"not joined\"");
    }
    const bool compares_text = x.kind == K::last_error || x.kind == K::idempotency || x.kind == K::retry_state || x.kind == K::consumer ||
                               (x.kind == K::dlq_metadata && (x.field == "last_error" || x.field == "original_topic"));
    if (!compares_text && !has_equals && !x.at_least && !x.at_most) {
        n.errors().add(n.at("equals"), "this check needs equals, at_least or at_most");
    }
    if (compares_text && !n.get("text")) n.errors().add(n.at("text"), "this check needs the expected text");
    if (x.kind == Expectation::Kind::in_flight && !x.group.empty() && x.topic.empty()) {
        n.errors().add(n.at("group"), "a group needs its topic");
    }
    const bool needs_topic = x.kind != K::in_flight && x.kind != K::metric && x.kind != K::recovery && x.kind != K::consumer;
    if (needs_topic && x.topic.empty()) n.errors().add(n.at("topic"), "this check needs a topic");
    const bool needs_group = x.kind == Expectation::Kind::committed ||
                             x.kind == Expectation::Kind::deliveries ||
                             x.kind == Expectation::Kind::attempts ||
                             x.kind == Expectation::Kind::last_error || x.kind == K::lag ||
                             x.kind == K::retry_state;
    if (needs_group && x.group.empty()) n.errors().add(n.at("group"), "this check needs a group");
}

// Every topic a producer, consumer, router rule or check names must be declared (in `topics` or
// by a create_topic action), or be the DLQ topic of one: a typo would otherwise pass silently.
void check_topic_names(const Scenario& s, Errors& errors) {
    std::set<std::string> known;
    for (const TopicSpec& t : s.topics) known.insert(t.name);
    for (const TimedCommand& t : s.timeline) {
        if (t.command.kind == Command::Kind::create_topic) known.insert(t.command.topic);
    }
    auto ok = [&](const std::string& name) {
        return name.empty() || known.count(name) || (name.rfind("dlq.", 0) == 0 && known.count(name.substr(4)));
    };
    auto need = [&](const std::string& name, const std::string& path) {
        if (!ok(name)) errors.add(path, "unknown topic \"" + name + "\" (declare it in /topics)");
    };
    for (std::size_t i = 0; i < s.producers.size(); ++i) need(s.producers[i].topic, "/producers/" + std::to_string(i) + "/topic");
    for (std::size_t i = 0; i < s.consumers.size(); ++i) need(s.consumers[i].topic, "/consumers/" + std::to_string(i) + "/topic");
    for (std::size_t i = 0; i < s.router.size(); ++i) need(s.router[i].target_topic, "/router/" + std::to_string(i) + "/target_topic");
    for (const Expectation& x : s.expectations) need(x.topic, x.path + "/topic");
    for (const Lesson& l : s.lessons) {
        if (!l.task) continue;
        for (const Expectation& x : l.task->goal) need(x.topic, x.path + "/topic");
    }
    for (const TimedCommand& t : s.timeline) {
        // A command that expects a result may name a missing topic on purpose, to show the error.
        if (t.command.kind != Command::Kind::create_topic && !t.expect) need(t.command.topic, t.path + "/topic");
    }
}

// {"commit_rule": "contiguous"} or one other option, and optionally "lesson": a file name.
void read_what_if(Node& w, Lesson& lesson) {
    using K = WhatIf::Kind;
    lesson.what_if_lesson = w.str("lesson");
    int found = 0;
    auto take = [&](K kind, std::optional<std::int64_t> v) {
        if (!v) return;
        lesson.what_if = WhatIf{kind, *v};
        ++found;
    };
    if (w.get("commit_rule")) take(K::commit_rule, w.choice("commit_rule", {"highest_acked", "contiguous"}, 0));
    take(K::lease_ms, w.opt_integer("lease_ms", 1, 1'000'000'000));
    take(K::max_attempts, w.opt_integer("max_attempts", 0, 1'000'000));
    take(K::backoff_ms, w.opt_integer("backoff_ms", 0, 1'000'000'000));
    take(K::max_in_flight, w.opt_integer("max_in_flight", 0, 1'000'000));
    if (w.get("durability")) take(K::durability, w.choice("durability", {"always", "batch", "none"}, 0));
    if (found != 1) w.errors().add(w.path(), "expected exactly one of commit_rule, lease_ms, max_attempts, backoff_ms, max_in_flight, durability");
}

// {"what": "partition", "topic": "orders", "partition": 1}, "message" (+ "offset"), "member"
// ("group", "member"), "commit" ("topic", "group", "partition") or "wal".
void read_pointer(Node& n, Pointer& p) {
    using K = Pointer::Kind;
    if (!n.get("what")) n.errors().add(n.at("what"), "required string is missing");
    p.kind = static_cast<K>(n.choice("what", {"partition", "message", "member", "commit", "wal"}, 0));
    const bool on_partition = p.kind == K::partition || p.kind == K::message || p.kind == K::commit;
    if (on_partition) {
        p.topic = n.str("topic", {}, true);
        p.partition = static_cast<std::int32_t>(n.integer("partition", 0, 0, 1023));
    }
    if (p.kind == K::message) p.offset = n.integer("offset", 0, 0);
    if (p.kind == K::member || p.kind == K::commit) p.group = n.str("group", {}, true);
    if (p.kind == K::member) p.member = n.str("member", {}, true);
}

// A goal holds whenever the person makes it true, so its checks have no time; the solution's
// commands are applied when Skip is pressed, so they have none either.
void read_task(Node& n, Task& task) {
    task.text = n.str("text", {}, true);
    task.hint = n.str("hint");
    n.each("goal", [&](Node& x) {
        if (x.get("at")) x.errors().add(x.at("at"), "a task's goal is checked whenever the person acts: it has no \"at\"");
        read_expectation(x, task.goal.emplace_back());
        task.goal.back().at.reset();
    });
    if (task.goal.empty()) n.errors().add(n.at("goal"), "a task needs at least one check in its goal");
    n.each("solution", [&](Node& c) {
        if (c.get("at")) c.errors().add(c.at("at"), "a solution's commands are applied when Skip is pressed: they have no \"at\"");
        TimedCommand t;
        read_command(c, t);
        task.solution.push_back(t.command);
    });
    if (task.solution.empty()) n.errors().add(n.at("solution"), "a task needs a solution (what Skip does)");
}

// The deepest nesting of arrays and objects, found before parsing: nlohmann's values are freed
// (and dumped) recursively, so a document nested a million deep would overflow the stack.
std::optional<std::string> nesting_error(std::string_view text) {
    std::size_t depth = 0;
    bool in_string = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (in_string) {
            if (c == '\\') ++i;
            else if (c == '"') in_string = false;
            continue;
        }
        if (c == '"') in_string = true;
        else if (c == '[' || c == '{') {
            if (++depth > kMaxJsonDepth) {
                return "nested deeper than " + std::to_string(kMaxJsonDepth) + " levels (at byte " + std::to_string(i) +
                       "): a scenario is never that deep";
            }
        } else if ((c == ']' || c == '}') && depth > 0) {
            --depth;
        }
    }
    return std::nullopt;
}

// The most work a scenario may ask of a run: messages produced (explicit ones and rates) and
// redelivery passes up to its end. Past these a run would freeze a browser tab for minutes.
void check_size(const Scenario& s, Errors& errors) {
    std::int64_t messages = 0;
    for (const ProducerSpec& p : s.producers) messages += static_cast<std::int64_t>(p.messages.size()) + p.count;
    if (messages > kMaxScenarioMessages) {
        errors.add("/producers", "the producers send " + std::to_string(messages) + " messages; a scenario may send at most " +
                                     std::to_string(kMaxScenarioMessages) + " (kMaxScenarioMessages)");
    }
    const TimeMs tick = std::max<TimeMs>(1, s.broker.tick_ms);
    if (s.until_ms / tick > kMaxScenarioPasses) {
        errors.add("/until_ms", "runs " + std::to_string(s.until_ms / tick) + " redelivery passes (until_ms " + std::to_string(s.until_ms) +
                                    " over tick_ms " + std::to_string(tick) + "); a scenario may run at most " +
                                    std::to_string(kMaxScenarioPasses) + " (kMaxScenarioPasses)");
    }
}

}  // namespace

Result<TimedCommand> parse_command(std::string_view text, const std::string& where) {
    if (auto deep = nesting_error(text)) return make_error(Errc::invalid_argument, where + ": " + *deep);
    const json root = json::parse(text, nullptr, /*allow_exceptions=*/false);
    if (root.is_discarded()) return make_error(Errc::invalid_argument, where + ": not valid JSON");
    Errors errors;
    TimedCommand t;
    Node n(root, "", errors);
    if (n.ok_object()) {
        read_command(n, t);
        n.finish();
    }
    if (!errors.list.empty()) {
        std::string msg;
        for (const std::string& e : errors.list) msg += (msg.empty() ? "" : "\n") + where + ": " + e;
        return make_error(Errc::invalid_argument, msg);
    }
    return t;
}

Result<Scenario> parse_scenario(std::string_view text, const std::string& file, ParseOptions options) {
    if (auto deep = nesting_error(text)) return make_error(Errc::invalid_argument, file + ": " + *deep);
    const json root = json::parse(text, nullptr, /*allow_exceptions=*/false);
    if (root.is_discarded()) {
        return make_error(Errc::invalid_argument, file + ": not valid JSON");
    }
    Errors errors;
    Scenario s;
    s.file = file;
    s.source = std::string(text);
    Node n(root, "", errors);
    if (n.ok_object()) {
        n.get("$schema");  // allowed, for editors
        s.name = n.str("name", {}, true);
        s.description = n.str("description");
        if (const json* seed = n.get("seed")) {
            if (seed->is_number_unsigned()) s.seed = seed->get<std::uint64_t>();
            else errors.add("/seed", "expected a non-negative integer, found " + type_name(*seed));
        }
        s.until_ms = n.integer("until_ms", 10'000, 0, 1'000'000'000);
        n.object("broker", [&](Node& b) { read_broker(b, s.broker); });
        n.object("wal", [&](Node& w) {
            s.wal.emplace();
            read_wal(w, *s.wal);
        });
        n.each("topics", [&](Node& t) {
            s.topics.push_back(TopicSpec{t.str("name", {}, true),
                                         static_cast<std::int32_t>(t.integer("partitions", 1, 1, 1024))});
        });
        n.each("producers", [&](Node& p) { read_producer(p, s.producers.emplace_back()); });
        n.each("consumers", [&](Node& c) { read_consumer(c, s.consumers.emplace_back()); });
        n.each("router", [&](Node& r) {
            RouterRule rule{r.str("key_prefix"), r.str("label"), r.str("target_topic"), std::nullopt, {}};
            if (auto p = r.opt_integer("partition", 0, 1023)) rule.partition = static_cast<std::int32_t>(*p);
            if (const json* meta = r.get("meta")) {
                if (!meta->is_object()) errors.add(r.at("meta"), "expected an object of strings, found " + type_name(*meta));
                else {
                    for (const auto& [k, v] : meta->items()) {
                        if (v.is_string()) rule.meta[k] = v.get<std::string>();
                        else errors.add(r.at("meta") + "/" + k, "expected a string, found " + type_name(v));
                    }
                }
            }
            s.router.push_back(std::move(rule));
        });
        n.each("timeline", [&](Node& a) { read_command(a, s.timeline.emplace_back()); });
        n.each("lessons", [&](Node& l) {
            Lesson& lesson = s.lessons.emplace_back();
            lesson.at = l.time("at", 0);
            lesson.text = l.str("text", {}, true);
            l.object("what_if", [&](Node& w) { read_what_if(w, lesson); });
            l.each("look", [&](Node& p) { read_pointer(p, lesson.look.emplace_back()); });
            l.object("task", [&](Node& t) { read_task(t, lesson.task.emplace()); });
        });
        n.each("expect", [&](Node& x) { read_expectation(x, s.expectations.emplace_back()); });
        std::size_t i = 0;
        for (const std::string& name : n.strings("invariants")) {
            const std::string path = "/invariants/" + std::to_string(i++);
            bool found = false;
            for (Invariant inv : kAllInvariants) {
                if (to_string(inv) == name) {
                    s.invariants.push_back(inv);
                    found = true;
                }
            }
            if (!found) errors.add(path, "unknown invariant \"" + name + "\"");
        }
        n.finish();
        const bool creates_topic = std::any_of(s.timeline.begin(), s.timeline.end(), [](const TimedCommand& t) {
            return t.command.kind == Command::Kind::create_topic;
        });
        if (s.topics.empty() && !creates_topic && !options.live_head) {
            errors.add("/topics", "a scenario needs at least one topic (in /topics or a create_topic action)");
        }
        check_topic_names(s, errors);
        check_size(s, errors);
    }
    if (!errors.list.empty()) {
        std::string msg;
        for (const std::string& e : errors.list) msg += (msg.empty() ? "" : "\n") + file + ": " + e;
        return make_error(Errc::invalid_argument, msg);
    }
    return s;
}

}  // namespace driftq::sim
