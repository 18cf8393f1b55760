// The broker's state as plain structs. The broker owns them; the UI, the state dump and tests read
// them through const references. Every container is ordered, so iteration order never depends on
// hashing or addresses.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "base/cow_vector.hpp"
#include "base/message.hpp"
#include "broker/offset_map.hpp"
#include "base/time.hpp"

namespace driftq {

// Where a message sits: its partition and its topic-global offset.
struct Position {
    std::int32_t partition = 0;
    std::int64_t offset = 0;

    bool operator==(const Position&) const = default;
};

// Append-only, so copies (time travel snapshots) share all but the last chunk.
using MessageLog = CowVector<Message>;

struct PartitionLog {
    MessageLog messages;  // append-only, ascending offsets (not contiguous)
    // bytes_through[i] = key+value bytes of messages[0..i]; answers the byte cap in O(log n).
    CowVector<std::uint64_t> bytes_through;
};

// Index of the first message with an offset above `offset` (a binary search: offsets ascend).
inline std::size_t first_index_after(const MessageLog& log, std::int64_t offset) {
    std::size_t lo = 0, hi = log.size();
    while (lo < hi) {
        const std::size_t mid = lo + (hi - lo) / 2;
        if (log[mid].offset <= offset) lo = mid + 1;
        else hi = mid;
    }
    return lo;
}

// A delivered, not yet acked message of one group.
struct InFlightEntry {
    Message message;
    TimeMs sent_at = 0;
    int attempts = 1;
    std::optional<TimeMs> next_deliver_at;  // backoff gate for the next redelivery
    std::string last_error;
    std::string owner;            // receiver of the latest delivery: the only one who may ack
    bool expiry_reported = false;  // a lease_expired event was emitted for this delivery
};

// Durable failure reason of a message for a group (reference retryState).
struct RetryStateEntry {
    std::string last_error;
    TimeMs at = 0;

    bool operator==(const RetryStateEntry&) const = default;
};

struct GroupPartition {
    std::optional<std::int64_t> committed;  // none = nothing committed yet (reads as -1)
    std::optional<std::size_t> next_index;  // next log index never dispatched to this group
    OffsetMap<InFlightEntry> in_flight;  // ascending offsets
    std::map<std::int64_t, RetryStateEntry> retry_state;
    std::set<std::int64_t> done_above_commit;  // contiguous rule: acked, waiting for a gap
};

struct Group {
    std::vector<StreamId> streams;  // live streams in join order
    std::size_t rr_cursor = 0;      // shared by all partitions, first dispatch and redelivery
    // The group is in the reference's consumerOffsets map (it acked or skipped something), so
    // producer backpressure counts it.
    bool has_offsets = false;
    std::vector<GroupPartition> partitions;
    // Bit p set: partition p may hold messages not yet dispatched to this group. Every dispatch
    // trigger scans all partitions (reference 3.3); the bits let it visit only those that can
    // change, in the same ascending order.
    std::vector<std::uint64_t> undispatched;
};

struct Topic {
    std::string name;
    std::vector<PartitionLog> partitions;
    std::int64_t next_offset = 0;
    std::map<std::string, Group, std::less<>> groups;
};

// One consumer connection (an HTTP /v1/consume request upstream).
struct Stream {
    StreamId id = 0;
    std::string topic;
    std::string group;
    std::string owner;
    TimeMs lease_ms = 0;
    std::deque<Delivery> outbox;  // deliveries not yet taken by the consumer, FIFO
};

struct PartitionGauge {
    std::string topic;
    std::string group;
    std::int32_t partition = 0;
    std::int64_t in_flight = 0;
    std::int64_t lag = 0;  // messages after the committed offset, in-flight ones included

    bool operator==(const PartitionGauge&) const = default;
};

// The reference's four metrics.
struct MetricsSnapshot {
    std::map<std::string, std::int64_t> produce_rejected_total;  // by reason
    std::map<std::string, std::int64_t> dlq_messages_total;      // by source topic
    std::vector<PartitionGauge> partitions;                      // inflight_messages, consumer_lag
};

}  // namespace driftq
