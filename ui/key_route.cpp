#include "ui/key_route.hpp"

#include "broker/partitioning.hpp"

namespace driftq::ui {

namespace {

std::string quoted(const std::string& s) { return "\"" + s + "\""; }

}  // namespace

std::string explain_partition(const std::string& key, std::int32_t partitions, std::optional<std::int32_t> partition_override) {
    if (partition_override) return "partition override " + std::to_string(*partition_override);
    if (key.empty()) return "no key: partition 0 (every keyless message goes there, as upstream does)";
    const std::uint32_t h = fnv1a32(key);
    return "fnv1a32(" + quoted(key) + ") = " + std::to_string(h) + ", " + std::to_string(h) + " mod " + std::to_string(partitions) +
           " = " + std::to_string(pick_partition(key, partitions));
}

KeyRoute route_key(const sim::Scenario& scenario, const Broker* broker, const std::string& topic,
                   const std::string& key, std::optional<std::int32_t> partition_override) {
    KeyRoute r{topic, std::nullopt, {}};
    std::string rule;
    for (std::size_t i = 0; i < scenario.router.size(); ++i) {
        const sim::RouterRule& x = scenario.router[i];
        if (key.rfind(x.key_prefix, 0) != 0) continue;
        rule = "router rule " + std::to_string(i + 1) + " (key prefix " + quoted(x.key_prefix) + ")";
        if (!x.target_topic.empty()) r.topic = x.target_topic;
        if (x.partition) partition_override = x.partition;  // the router's decision replaces the envelope's
        break;
    }
    const Topic* t = broker ? broker->find_topic(r.topic) : nullptr;
    if (!t) {
        r.why = "topic " + quoted(r.topic) + " does not exist yet: the broker will refuse it";
        return r;
    }
    const auto n = static_cast<std::int32_t>(t->partitions.size());
    std::string to = r.topic != topic ? rule + " sends it to " + r.topic + "; " : rule.empty() ? "" : rule + " applies; ";
    if (partition_override) {
        r.partition = *partition_override;
        r.why = to + explain_partition(key, n, partition_override) +
                (*partition_override < 0 || *partition_override >= n ? ": out of range, the broker will refuse it" : "");
        if (*partition_override < 0 || *partition_override >= n) r.partition.reset();
        return r;
    }
    r.partition = pick_partition(key, n);
    r.why = to + explain_partition(key, n, std::nullopt);
    return r;
}

}  // namespace driftq::ui
