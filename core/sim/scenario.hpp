// A scenario: a situation (topics, producers, consumers, faults, timing) and what must be true.
// Plain structs, filled by parse_scenario() from a JSON file (docs/scenario-format.md); defaults
// are written next to each field.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "base/error.hpp"
#include "base/message.hpp"
#include "broker/options.hpp"
#include "base/time.hpp"
#include "sim/command.hpp"
#include "wal/wal.hpp"

namespace driftq::sim {

struct TopicSpec {
    std::string name;
    std::int32_t partitions = 1;
};

struct KeySpec {
    enum class Kind { none, fixed, round_robin, zipf } kind = Kind::none;
    std::string value;     // fixed: the key; round_robin/zipf: the prefix ("k" -> k0, k1, ...)
    int count = 1;         // round_robin/zipf: how many distinct keys
    double skew = 1.0;     // zipf exponent
};

struct MessageSpec {
    TimeMs at = 0;
    std::string key;
    std::string value;
    std::optional<Envelope> envelope;
};

struct ProducerSpec {
    std::string name;
    std::string topic;
    std::vector<MessageSpec> messages;  // explicit messages
    // A rate: `count` messages every `every_ms` from `start_ms`.
    int count = 0;
    TimeMs start_ms = 0;
    TimeMs every_ms = 100;
    KeySpec keys;
    std::optional<Envelope> envelope;  // applied to rate messages
    bool retry_on_backpressure = true;  // retry after the broker's Retry-After
    // Chance that a successful produce's response is lost, so the producer sends the same
    // message again after Retry-After: a duplicate, unless an idempotency key dedupes it.
    double duplicate_probability = 0;
    bool idempotent_retries = false;    // give each rate message an idempotency key
};

struct Processing {
    enum class Kind { constant, uniform, exponential } kind = Kind::constant;
    TimeMs ms = 50;       // constant, or the mean of exponential
    TimeMs min_ms = 0;    // uniform
    TimeMs max_ms = 100;  // uniform
};

struct ConsumerSpec {
    std::string name;  // also the owner unless `owner` is set
    std::string owner;
    std::string topic;
    std::string group = "g";
    TimeMs lease_ms = 0;  // 0 = broker default
    TimeMs join_at = 0;
    std::optional<TimeMs> leave_at;
    std::optional<TimeMs> crash_at;   // leaves without acking what it holds
    std::optional<TimeMs> rejoin_at;  // comes back after leave/crash
    Processing processing;
    using Behaviour = ConsumerBehaviour;
    Behaviour behaviour = Behaviour::ack;
    std::string nack_reason = "nack";
    double fail_probability = 0;      // nack (with nack_reason) instead of ack
    double ack_loss_probability = 0;  // the ack never reaches the broker
    std::vector<std::int64_t> hang_on_offsets;  // never answer these offsets
};

struct RouterRule {
    std::string key_prefix;  // matches keys starting with it ("" matches all)
    std::string label;
    std::string target_topic;
    std::optional<std::int32_t> partition;
    std::map<std::string, std::string> meta;  // routing metadata the rule attaches
};

// One option of a scenario changed, for a run beside it (sim/what_if.hpp).
struct WhatIf {
    enum class Kind { commit_rule, lease_ms, max_attempts, backoff_ms, max_in_flight, durability } kind = Kind::commit_rule;
    // commit_rule: 0 highest_acked, 1 contiguous; durability: 0 always, 1 batch, 2 none; else the
    // new value (a lease or backoff in ms, attempts, deliveries in flight per partition).
    std::int64_t value = 0;
};

// One thing that must hold at a time (or at the end when `at` is absent).
struct Expectation {
    std::optional<TimeMs> at;
    enum class Kind {
        committed,    // committed offset of topic/group/partition == value
        deliveries,   // number of deliveries of topic@offset to group == value
        attempts,     // highest attempt delivered for topic@offset to group == value
        last_error,   // last_error of the latest delivery of topic@offset to group == text
        dlq_count,    // messages in dlq.<topic> == value
        in_flight,    // in-flight deliveries (of topic/group if given, else all) == value
        topic_messages,  // messages in topic == value
        metric,       // produce_rejected_total{reason=text} or dlq_messages_total{topic} == value
        partitions,   // partition count of topic == value
        lag,          // consumer lag of topic/group/partition (messages after the commit) == value
        message_partition,  // partition of the message at topic@offset == value
        dlq_metadata, // the DLQ copy of topic@offset: `field` attempts|original_partition == value,
                      // or last_error|original_topic == text
        idempotency,  // status of an idempotency key (group empty: produce scope) == text
                      // ("PENDING", "COMMITTED", "FAILED" or "absent")
        retry_state,  // durable last_error chain of topic/group/partition@offset == text ("" = none)
        recovery,     // the last restart's report: `field` records_recovered|records_unsynced|
                      // records_quarantined|bytes_torn == value
        consumer,     // a scenario consumer's state == text: live, paused, hanging, gone or not joined
    } kind;
    std::string topic;
    std::string group;
    std::int32_t partition = 0;
    std::int64_t offset = 0;
    std::int64_t value = 0;  // equals
    std::optional<std::int64_t> at_least, at_most;  // instead of equals: bounds
    std::string text;    // last_error: the expected chain
    std::string metric;  // metric: produce_rejected_total | dlq_messages_total
    std::string label;   // metric: its reason or topic label
    std::string field;   // dlq_metadata, recovery: which value
    std::string key;     // idempotency: the key
    std::string tenant;  // idempotency: the tenant
    std::string consumer;  // consumer: its name
    std::string path;    // JSON path, for reports
};

// Something a lesson step points at; the Flow panel and the lanes highlight it at that step.
struct Pointer {
    enum class Kind : std::uint8_t { partition, message, member, commit, wal } kind = Kind::partition;
    std::string topic;          // partition, message, commit
    std::int32_t partition = 0; // partition, message, commit
    std::int64_t offset = 0;    // message
    std::string group;          // member, commit
    std::string member;         // member: a consumer's name (or owner)
};
std::string_view to_string(Pointer::Kind k);

// A lesson step may give the person something to do: the goal is a list of checks in the
// scenario's own terms ("expect" entries without "at"), which must hold at the cursor through
// the person's commands. The run waits at the step until they do; Skip applies `solution`.
struct Task {
    std::string text;                // what to do (Markdown)
    std::vector<Expectation> goal;
    std::string hint;                // shown after a while (the UI says how long)
    std::vector<Command> solution;   // applied in order, at the moment Skip is pressed
};

struct Lesson {
    TimeMs at = 0;
    std::string text;  // Markdown
    // The step offers to compare this run with one where `what_if` is changed, and to open
    // `what_if_lesson` (a bundled lesson's file name) that teaches the other side.
    std::optional<WhatIf> what_if;
    std::string what_if_lesson;
    std::vector<Pointer> look;
    std::optional<Task> task;
};

// What an expectation checks, in the words reports use ("committed orders/billing p0").
std::string describe(const Expectation& x);

enum class Invariant {
    committed_monotonic,
    no_durable_produce_lost,
    per_key_order,
    all_acked_or_dead_lettered,
    no_duplicate_side_effect,
    // After each restart the broker's durable state is exactly what the WAL records that
    // survived the crash build, in order; with no WAL damage those are at least the records
    // synced before it.
    replay_equals_durable_state,
};
inline constexpr Invariant kAllInvariants[] = {
    Invariant::committed_monotonic,        Invariant::no_durable_produce_lost,
    Invariant::per_key_order,              Invariant::all_acked_or_dead_lettered,
    Invariant::no_duplicate_side_effect,   Invariant::replay_equals_durable_state,
};
std::string_view to_string(Invariant i);

struct Scenario {
    std::string file;
    std::string source;  // the JSON text it was read from: saving edits it, keeping the rest as written
    std::string name;
    std::string description;
    std::uint64_t seed = 1;
    TimeMs until_ms = 10'000;
    BrokerOptions broker;
    std::optional<WalOptions> wal;  // set: the broker journals to an in-memory WAL
    std::vector<TopicSpec> topics;
    std::vector<ProducerSpec> producers;
    std::vector<ConsumerSpec> consumers;
    std::vector<RouterRule> router;
    std::vector<TimedCommand> timeline;  // commands at their times (sim/command.hpp)
    std::vector<Lesson> lessons;
    std::vector<Expectation> expectations;
    std::vector<Invariant> invariants;
};

// Limits on what a scenario file may ask for, each named in the error that refuses it
// (docs/scenario-format.md#limits).
inline constexpr std::size_t kMaxJsonDepth = 64;                 // nesting of arrays and objects
inline constexpr std::int64_t kMaxScenarioMessages = 10'000'000;  // produced, over all producers
inline constexpr std::int64_t kMaxScenarioPasses = 10'000'000;    // until_ms / tick_ms

struct ParseOptions {
    // The head of a live broker's history (driftqd's /live/commands): its topics and commands
    // arrive afterwards, so it may have none yet.
    bool live_head = false;
};

// Parses and validates a scenario. Every problem is reported as "FILE: /json/path: what was
// expected" (several at once), before anything runs.
Result<Scenario> parse_scenario(std::string_view json_text, const std::string& file, ParseOptions options = {});

// One timeline entry on its own ({"action": ..., "at"?: ..., ...}), as a front end or a session
// script sends a command. Errors name `where` and the JSON path.
Result<TimedCommand> parse_command(std::string_view json_text, const std::string& where);

// The scenario as a JSON file: its source with `timeline` and `until_ms` written from the structs
// (how a session is saved), or, with no source, a new file holding its name, topics, timeline,
// expectations' absence and until_ms. parse_scenario() reads the result back to an equal timeline.
std::string write_scenario(const Scenario& scenario);

// One timeline entry as a single line of JSON, as write_scenario() writes it (a live recording
// appends them one at a time).
std::string write_command(const TimedCommand& command);

}  // namespace driftq::sim
