// Where a produced message goes and why, worked out for the person as the broker works it out:
// a router rule of the scenario (first whose key prefix matches), then a partition override,
// else the key's hash (`fnv1a32(key) mod partitions`), and every keyless message to partition 0.
// The Produce form shows it beside the key.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "broker/broker.hpp"
#include "sim/scenario.hpp"

namespace driftq::ui {

struct KeyRoute {
    std::string topic;                   // after the router
    std::optional<std::int32_t> partition;  // none: the topic does not exist (yet)
    std::string why;                     // in words, with the arithmetic
};

// Why a message with `key` (and `partition_override`, if any) is on the partition it is on, of a
// topic with `partitions`: the arithmetic, in words.
std::string explain_partition(const std::string& key, std::int32_t partitions, std::optional<std::int32_t> partition_override);

KeyRoute route_key(const sim::Scenario& scenario, const Broker* broker, const std::string& topic,
                   const std::string& key, std::optional<std::int32_t> partition_override);

}  // namespace driftq::ui
