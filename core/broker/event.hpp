// Every state change of the broker is reported as an Event stamped with its virtual time. Traces,
// the UI and tests all consume this one stream.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/message.hpp"
#include "base/time.hpp"

namespace driftq {

enum class EventKind {
    topic_created,         // topic; value = partitions
    consumer_joined,       // topic, group, owner, stream; value = lease ms
    consumer_left,         // topic, group, owner, stream
    routed,                // topic (requested); text = label; target = target topic if set
    router_failed,         // topic; text = router error (the reference ignores it silently)
    produced,              // topic (final), partition, offset
    produce_rejected,      // topic; text = error message
    deduplicated,          // topic; text = idempotency key (produce scope: nothing enqueued)
    delivered,             // first delivery: topic, group, partition, offset, owner, stream, attempts
    redelivered,           // same fields; attempts > 1
    lease_expired,         // an in-flight delivery outlived its lease; owner = last receiver
    retry_state_recorded,  // text = the durable last_error chain for (group, partition, offset)
    acked,                 // topic, group, partition, offset, owner
    late_ack,              // ack of an offset at or below the committed offset (no commit change)
    nacked,                // text = reason
    offset_committed,      // offset = new committed offset of (topic, group, partition)
    dead_lettered,         // target = DLQ topic, value = offset in the DLQ topic
    dlq_publish_failed,    // text = error; the message stays in flight
    idempotent_skip,       // consume-scope key already COMMITTED: not delivered, offset advanced
    idempotency_changed,   // text = new status (PENDING, COMMITTED, FAILED); owner; target = key
    idempotency_error,     // text = error from taking a consume lease; the partition waits
    // Simulator events (the world around the broker):
    ack_lost,              // a consumer's ack never reached the broker
    produce_response_lost, // the producer did not hear back and will send the message again
    ack_refused,           // the broker refused a consumer's ack or nack; text = error
    broker_crashed,        // the broker process died; unsynced WAL bytes are gone
    broker_restarted,      // replayed the WAL; value = records replayed; text = recovery issues
    wal_damaged,           // a fault cut or flipped WAL bytes; text = what
    sim_error,             // the scenario asked for something the broker refused; text = why
    command,               // a command applied now; text = what, target = "ok" or the error, value = 0 ok / 1 refused
};

std::string_view to_string(EventKind kind);

struct Event {
    TimeMs at = 0;
    std::uint64_t seq = 0;  // position in the broker's event stream, from 1
    EventKind kind = EventKind::produced;
    std::string topic;
    std::string group;
    std::int32_t partition = -1;
    std::int64_t offset = -1;
    std::string owner;
    StreamId stream = 0;
    int attempts = 0;
    std::optional<std::int64_t> value;
    std::string text;
    std::string target;

    bool operator==(const Event&) const = default;
};

// One JSON object per event (NDJSON trace line, without the newline). Fields that do not apply
// to the event kind are omitted, so traces stay readable and byte-stable.
std::string to_json(const Event& event);

// One human-readable line, e.g. "   500  redelivered    orders/billing p1@0 -> worker-b
// attempt 2 (ack_timeout)". Used by the CLI and the UI's event log.
std::string to_text(const Event& event);

// Receives events as they happen. The broker holds a non-owning pointer.
class EventSink {
public:
    virtual ~EventSink() = default;
    virtual void on_event(const Event& event) = 0;
};

class VectorEventSink final : public EventSink {
public:
    void on_event(const Event& event) override { events.push_back(event); }
    std::vector<Event> events;
};

}  // namespace driftq
