// Commands: everything a person, a scenario's timeline or (later) an HTTP client can do to the
// simulated world at its current virtual time. A front end never changes state any other way, so
// everything a person does is a Command, lands in the run's timeline and replays exactly.
//
// A Command is one flat, comparable struct: `kind` says what it is and which fields it reads
// (written next to each field). Flat rather than a variant so that the scenario reader and
// writer, the UI's forms and the HTTP layer all handle one shape.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "base/error.hpp"
#include "base/message.hpp"
#include "base/time.hpp"
#include "wal/memory_storage.hpp"

namespace driftq::sim {

// How a simulated consumer answers its deliveries.
enum class ConsumerBehaviour : std::uint8_t {
    ack,     // acks after its processing time
    nack,    // nacks with its reason after its processing time
    hang,    // never answers: its leases expire
    manual,  // answers only through ack/nack commands (a person at the controls, a lesson)
};

struct Command {
    enum class Kind : std::uint8_t {
        create_topic,      // topic, partitions
        produce,           // topic, key, value, envelope
        subscribe,         // consumer, topic, group, owner, lease_ms, behaviour, processing_ms, text (nack reason)
        unsubscribe,       // consumer
        ack,               // topic, group, partition, offset: the Go API's plain ack (no owner check)
        ack_if_owner,      // topic, group, partition, offset, owner: the HTTP API's ack
        nack,              // topic, group, partition, offset, owner, text (reason)
        idem_begin,        // tenant, topic, group, key, owner, lease_ms: consume-scope lease
        idem_renew,        // tenant, topic, group, key, owner, lease_ms
        idem_commit,       // tenant, topic, group, key, owner, text (result)
        idem_fail,         // tenant, topic, group, key, owner, text (cause)
        consumer_crash,    // consumer: dies holding its deliveries; answers in progress are lost
        consumer_restart,  // consumer: comes back after a crash or an unsubscribe
        consumer_pause,    // consumer: stops taking deliveries (they wait in its stream)
        consumer_resume,   // consumer: takes deliveries and answers them again (after pause or hang)
        consumer_hang,     // consumer: keeps taking deliveries but never answers them: leases expire
        lose_ack,          // consumer: the next ack it sends (for the next delivery it takes) is lost
        broker_crash,      // power_loss: the broker process dies; unsynced WAL bytes are lost
        broker_restart,    // recover the WAL and replay it
        torn_tail,         // bytes: cut that many bytes off the end of the last WAL segment
        flip_byte,         // bytes: flip the byte that many bytes before the end of the last segment
        // topic (a dead-letter topic), partition, offset: produce that dead letter again to its
        // original topic as a new message (same key, value and envelope, its dlq metadata removed)
        redrive,
    };
    Kind kind = Kind::produce;
    std::string topic;
    std::int32_t partitions = 1;
    std::string key;    // produce: message key; idem_*: idempotency key
    std::string value;  // produce
    std::optional<Envelope> envelope;
    std::string consumer;
    std::string group = "g";
    std::string owner;   // empty in subscribe: the consumer's name
    TimeMs lease_ms = 0;  // 0: the broker's default
    ConsumerBehaviour behaviour = ConsumerBehaviour::manual;
    TimeMs processing_ms = 50;
    std::int32_t partition = 0;
    std::int64_t offset = 0;
    std::string text;
    std::string tenant;
    std::uint64_t bytes = 1;
    // broker_crash: what becomes of unsynced WAL bytes (all lost, or some kept, drawn from the
    // world's seed).
    PowerLoss power_loss = PowerLoss::drop_unsynced;

    bool operator==(const Command&) const = default;
};

// The answer to a command: ok, or the error with the reference's exact text.
struct CommandResult {
    std::optional<Error> error;
    std::string detail;  // what it did, e.g. "orders p1@3" or "stream 2"; empty when refused

    bool ok() const { return !error; }
    // "ok" or the exact error text: what scenario files compare against.
    std::string text() const { return ok() ? std::string("ok") : error->message; }
    bool operator==(const CommandResult&) const = default;
};

// A command at a virtual time, as it stands in a scenario's timeline.
struct TimedCommand {
    TimeMs at = 0;
    Command command;
    std::optional<std::string> expect;  // "ok" or the exact error text the result must have
    std::string path;                   // JSON path, for reports ("/timeline/3"); not compared

    bool operator==(const TimedCommand& o) const {
        return at == o.at && command == o.command && expect == o.expect;
    }
};

// Which fields a command kind reads, for the scenario reader and writer and for forms: a field
// outside `fields` is an error in a file; one in `required` must be present.
enum CommandField : std::uint32_t {
    kTopic = 1u << 0, kPartitions = 1u << 1, kKey = 1u << 2, kValue = 1u << 3,
    kEnvelope = 1u << 4, kConsumer = 1u << 5, kGroup = 1u << 6, kOwner = 1u << 7,
    kLeaseMs = 1u << 8, kBehaviour = 1u << 9, kProcessingMs = 1u << 10, kPartition = 1u << 11,
    kOffset = 1u << 12, kText = 1u << 13, kTenant = 1u << 14, kBytes = 1u << 15,
    kPowerLoss = 1u << 16,
};
struct CommandShape {
    std::uint32_t fields = 0;
    std::uint32_t required = 0;
    const char* text_name = "";  // what `text` is called in files: "reason", "result", ...
};
CommandShape command_shape(Command::Kind kind);

// The name used in scenario files ("ack_if_owner", ...), and back.
std::string_view to_string(Command::Kind kind);
std::optional<Command::Kind> command_kind(std::string_view name);
std::string_view to_string(ConsumerBehaviour behaviour);
// "drop_unsynced", "keep_prefix", "keep_sectors"
std::string_view to_string(PowerLoss mode);
inline constexpr const char* kPowerLossNames[] = {"drop_unsynced", "keep_prefix", "keep_sectors"};

// One line saying what the command does, for the trace and the UI ("ack_if_owner orders/g p0@3
// as bob").
std::string describe(const Command& command);

}  // namespace driftq::sim
