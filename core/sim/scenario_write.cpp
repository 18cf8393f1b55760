// Scenario -> JSON, for saving sessions. The file a scenario was read from is kept as written
// (lessons, comments in descriptions, field order) and only its timeline and length change.
#include <nlohmann/json.hpp>

#include "sim/scenario.hpp"

namespace driftq::sim {

namespace {

using json = nlohmann::ordered_json;

json envelope_json(const Envelope& e) {
    json j = json::object();
    auto put = [&](const char* name, const std::string& v) {
        if (!v.empty()) j[name] = v;
    };
    put("run_id", e.run_id);
    put("step_id", e.step_id);
    put("parent_step_id", e.parent_step_id);
    put("tenant_id", e.tenant_id);
    put("idempotency_key", e.idempotency_key);
    put("target_topic", e.target_topic);
    if (e.deadline_ms) j["deadline_ms"] = *e.deadline_ms;
    if (e.partition_override) j["partition_override"] = *e.partition_override;
    if (e.retry_policy) {
        j["retry_policy"] = {{"max_attempts", e.retry_policy->max_attempts},
                             {"backoff_ms", e.retry_policy->backoff_ms},
                             {"max_backoff_ms", e.retry_policy->max_backoff_ms}};
    }
    if (!e.labels.empty()) {
        json labels = json::object();
        for (const auto& [k, v] : e.labels) labels[k] = v;
        j["labels"] = labels;
    }
    return j;
}

json command_json(const TimedCommand& t) {
    const Command& c = t.command;
    const Command defaults;
    const CommandShape shape = command_shape(c.kind);
    json j = json::object();
    j["at"] = t.at;
    j["action"] = std::string(to_string(c.kind));
    // A field is written when this kind reads it and it is required or not the default.
    auto wanted = [&](std::uint32_t f, bool differs) {
        return (shape.fields & f) && ((shape.required & f) || differs);
    };
    if (wanted(kConsumer, c.consumer != defaults.consumer)) j["consumer"] = c.consumer;
    if (wanted(kTopic, c.topic != defaults.topic)) j["topic"] = c.topic;
    if (wanted(kPartitions, c.partitions != defaults.partitions)) j["partitions"] = c.partitions;
    if (wanted(kGroup, c.group != defaults.group)) j["group"] = c.group;
    if (wanted(kPartition, c.partition != defaults.partition)) j["partition"] = c.partition;
    if (wanted(kOffset, c.offset != defaults.offset)) j["offset"] = c.offset;
    if (wanted(kTenant, c.tenant != defaults.tenant)) j["tenant"] = c.tenant;
    if (wanted(kKey, c.key != defaults.key)) j["key"] = c.key;
    if (shape.fields & kValue) j["value"] = c.value;  // the reader's default is "v", not ""
    if (wanted(kEnvelope, c.envelope.has_value()) && c.envelope) j["envelope"] = envelope_json(*c.envelope);
    if (wanted(kOwner, c.owner != defaults.owner)) j["owner"] = c.owner;
    if (wanted(kLeaseMs, c.lease_ms != defaults.lease_ms)) j["lease_ms"] = c.lease_ms;
    if (shape.fields & kBehaviour) j["behaviour"] = std::string(to_string(c.behaviour));
    if (wanted(kProcessingMs, c.processing_ms != defaults.processing_ms)) j["processing_ms"] = c.processing_ms;
    if (wanted(kText, c.text != defaults.text)) j[shape.text_name] = c.text;
    if (wanted(kBytes, c.bytes != defaults.bytes)) j["bytes"] = c.bytes;
    if (wanted(kPowerLoss, c.power_loss != defaults.power_loss)) j["power_loss"] = std::string(to_string(c.power_loss));
    if (t.expect) j["expect"] = *t.expect;
    return j;
}

}  // namespace

std::string write_command(const TimedCommand& t) {
    // A key or value that is not UTF-8 (an HTTP query may carry any byte) is written with U+FFFD
    // for each bad byte: JSON text cannot hold it.
    return command_json(t).dump(-1, ' ', false, json::error_handler_t::replace);
}

std::string write_scenario(const Scenario& s) {
    json root = s.source.empty() ? json::object() : json::parse(s.source, nullptr, false);
    if (root.is_discarded() || !root.is_object()) root = json::object();
    if (s.source.empty()) {
        root["name"] = s.name;
        if (!s.description.empty()) root["description"] = s.description;
        root["seed"] = s.seed;
        json topics = json::array();
        for (const TopicSpec& t : s.topics) topics.push_back({{"name", t.name}, {"partitions", t.partitions}});
        root["topics"] = topics;
    }
    root["until_ms"] = s.until_ms;
    json timeline = json::array();
    for (const TimedCommand& t : s.timeline) timeline.push_back(command_json(t));
    root["timeline"] = timeline;
    // A key or value that is not UTF-8 (a live broker's client may send any byte) is written with
    // U+FFFD for each bad byte: JSON text cannot hold it.
    return root.dump(2, ' ', false, json::error_handler_t::replace) + "\n";
}

}  // namespace driftq::sim
