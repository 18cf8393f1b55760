// Messages, the agent envelope and routing metadata. A stored message is an immutable body shared
// between the partition log, in-flight entries and deliveries, so handing a message to a consumer
// copies a pointer, not the payload.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "base/time.hpp"

namespace driftq {

using StreamId = std::uint64_t;

struct RetryPolicy {
    int max_attempts = 0;             // deliveries allowed; 0 = unlimited, never dead-lettered
    std::int64_t backoff_ms = 0;      // first backoff; doubles per retry from the second retry on
    std::int64_t max_backoff_ms = 0;  // clamp; 0 = no clamp

    bool operator==(const RetryPolicy&) const = default;
};

// Set only by the broker on copies published to the dead-letter topic.
struct DlqMetadata {
    std::string original_topic;
    std::int32_t original_partition = 0;
    std::int64_t original_offset = 0;
    int attempts = 0;
    std::string last_error;
    TimeMs routed_at_ms = 0;

    bool operator==(const DlqMetadata&) const = default;
};

struct Envelope {
    std::string run_id;
    std::string step_id;
    std::string parent_step_id;
    std::string tenant_id;
    std::string idempotency_key;  // empty = no idempotency
    std::string target_topic;     // empty = the requested topic
    std::optional<TimeMs> deadline_ms;
    std::optional<RetryPolicy> retry_policy;
    std::optional<std::int32_t> partition_override;
    std::map<std::string, std::string> labels;
    std::optional<DlqMetadata> dlq;

    bool operator==(const Envelope&) const = default;
};

// What the router attached at produce time.
struct Routing {
    std::string label;
    std::map<std::string, std::string> meta;

    bool operator==(const Routing&) const = default;
};

struct MessageBody {
    std::string key;
    std::string value;
    std::shared_ptr<const Envelope> envelope;  // null = no envelope
    std::shared_ptr<const Routing> routing;    // null = no router decision
};

struct Message {
    std::int64_t offset = 0;  // topic-global
    std::int32_t partition = 0;
    std::shared_ptr<const MessageBody> body;

    const std::string& key() const { return body->key; }
    const std::string& value() const { return body->value; }
    const Envelope* envelope() const { return body->envelope.get(); }
    const Routing* routing() const { return body->routing.get(); }
    // The idempotency key, or empty when the message has none.
    const std::string& idempotency_key() const;
    const std::string& tenant_id() const;
};

// One copy of a message handed to a consumer stream. The stream's topic, group and owner are
// those it subscribed with (Broker::streams()); they are not repeated in every delivery.
struct Delivery {
    StreamId stream = 0;
    Message message;
    int attempts = 1;        // 1 on the first delivery, +1 per redelivery
    std::string last_error;  // reason chain of earlier failures
    TimeMs delivered_at = 0;
};

}  // namespace driftq
