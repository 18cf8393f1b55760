// Every constant the reference broker hard-codes, as a field whose default is the reference value.
#pragma once

#include <cstdint>

#include "base/time.hpp"

namespace driftq {

// How a group's committed offset moves when a message is acked.
enum class CommitRule {
    // Reference behaviour: committed = highest acked offset, even with unacked offsets below it.
    // After a restart those lower offsets are never delivered again (a teaching point).
    highest_acked,
    // Only the contiguous acked prefix of the partition is committed: nothing can be skipped.
    contiguous,
};

struct BrokerOptions {
    // Unacked deliveries allowed per (topic, group, partition); <= 0 means unlimited.
    int max_in_flight = 2;
    // Lease used for an owner that has no live stream (reference `ackTimeout`).
    TimeMs ack_timeout_ms = 2000;
    // Lease of a stream that subscribes with lease <= 0.
    TimeMs default_lease_ms = 2000;
    // Period of the redelivery pass; passes run at tick_origin_ms + k * tick_ms.
    TimeMs tick_ms = 250;
    TimeMs tick_origin_ms = 0;
    // Producer backpressure caps per partition, counting messages after the slowest committing
    // group. 0 disables a cap.
    std::int64_t max_partition_messages = 100;
    std::int64_t max_partition_bytes = 64 * 1024;
    // Suggested retry delay reported with an overload error (HTTP Retry-After).
    TimeMs overload_retry_after_ms = 1000;
    // Produce-scope dedupe window; also the age after which idle idempotency records are dropped.
    TimeMs idempotency_window_ms = 10 * 60 * 1000;
    // Bounds on consume-scope idempotency leases.
    TimeMs min_idempotency_lease_ms = 250;
    TimeMs max_idempotency_lease_ms = 10 * 60 * 1000;
    CommitRule commit_rule = CommitRule::highest_acked;
    // Reference behaviour (false): topic creation is not journaled, so after a restart a topic
    // exists only if it has messages, with as many partitions as its highest used index + 1.
    // true journals topic creation with its partition count, so topics come back as created.
    bool persist_topics = false;
    // Reference behaviour (true): an ack or nack looks its group up with ensureInFlight, which
    // creates it, so even an ack that fails (not in flight, not owner) leaves a group, with state
    // for every partition, in the broker and its metrics. false creates nothing for an answer to a
    // group that does not exist: it is not in flight. driftqd, facing the network, sets false.
    bool failed_answer_creates_group = true;

    // Bounds. The reference has none: a message longer than its WAL scanner's 10 MiB line is
    // acknowledged and then fails replay, and partition numbers are unchecked. Each bound here
    // refuses at the call, with an error naming it (Errc::too_large), so nothing is accepted that
    // a restart would lose.
    // Largest message: key + value + every text of its envelope and routing, in bytes. 0 or more
    // than kMaxMessageBytes means kMaxMessageBytes, the most a WAL record holds.
    std::int64_t max_message_bytes = 8 << 20;
    // Most partitions a topic may have (create_topic; replay refuses records beyond it).
    std::int32_t max_partitions = 4096;
    // Longest topic name, in bytes (Kafka's limit; "dlq." + name stays under 256).
    std::int32_t max_topic_name_bytes = 249;
    // Longest last_error chain. The reference appends every nack reason, and a failed DLQ publish
    // on every tick, without bound (reproduced: 0 = no bound of its own), but a chain must still
    // fit a WAL record, so it never exceeds kMaxLastErrorBytes. Past the bound the oldest reasons
    // are dropped whole and "..." stands where they were.
    std::int64_t max_last_error_bytes = 0;
    // Counts a client can grow, each 0 = no bound (the reference; the simulator's default).
    // driftqd, facing the network, sets all three. Topics created by create_topic (dead-letter
    // topics, made by the broker itself, are not refused):
    std::int32_t max_topics = 0;
    // Group state held for partitions: a new group on a topic of P partitions adds P, so a
    // flood of group names on a wide topic is refused before it costs gigabytes.
    std::int64_t max_group_partitions = 0;
    // Produce-scope idempotency records (expired ones are dropped first). Consume-scope ones
    // are bounded by the messages: one per keyed message and group.
    std::int64_t max_idempotency_records = 0;
};

// The longest last_error chain any option allows (well inside one WAL record).
inline constexpr std::int64_t kMaxLastErrorBytes = 1 << 20;

// The most any message may take: a WAL record's payload bound (wal_format.hpp) less room for
// the record's other fields, and for its dead-letter copy's envelope, which adds a last_error
// chain of up to kMaxLastErrorBytes and the names around it.
inline constexpr std::int64_t kMaxMessageBytes = (64 << 20) - 2 * kMaxLastErrorBytes;

}  // namespace driftq
