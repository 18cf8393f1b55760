// The router hook (reference section 5): called once per public produce, before the deadline check
// and idempotency, with the requested topic. An error is ignored (the produce goes on unrouted).
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>

#include "base/error.hpp"
#include "base/message.hpp"

namespace driftq {

struct ProduceRequest {
    std::string topic;
    std::string key;    // empty = keyless (partition 0)
    std::string value;
    std::optional<Envelope> envelope;
    // Routing metadata supplied by the producer (Go API only); a router decision replaces it.
    std::optional<Routing> routing;
};

struct RoutingDecision {
    std::string label;
    std::string target_topic;                        // overrides the envelope's when non-empty
    std::optional<std::int32_t> partition_override;  // overrides the envelope's when set
    std::map<std::string, std::string> meta;
};

using Router =
    std::function<Result<RoutingDecision>(const std::string& topic, const ProduceRequest& msg)>;

}  // namespace driftq
