#include "sim/command.hpp"

#include <array>
#include <cassert>
#include <iterator>
#include <utility>

namespace driftq::sim {

namespace {

using Kind = Command::Kind;

constexpr std::array<std::pair<Kind, std::string_view>, 22> kKindNames{{
    {Kind::create_topic, "create_topic"},
    {Kind::produce, "produce"},
    {Kind::subscribe, "subscribe"},
    {Kind::unsubscribe, "unsubscribe"},
    {Kind::ack, "ack"},
    {Kind::ack_if_owner, "ack_if_owner"},
    {Kind::nack, "nack"},
    {Kind::idem_begin, "idem_begin"},
    {Kind::idem_renew, "idem_renew"},
    {Kind::idem_commit, "idem_commit"},
    {Kind::idem_fail, "idem_fail"},
    {Kind::consumer_crash, "consumer_crash"},
    {Kind::consumer_restart, "consumer_restart"},
    {Kind::consumer_pause, "consumer_pause"},
    {Kind::consumer_resume, "consumer_resume"},
    {Kind::consumer_hang, "consumer_hang"},
    {Kind::lose_ack, "lose_ack"},
    {Kind::broker_crash, "broker_crash"},
    {Kind::broker_restart, "broker_restart"},
    {Kind::torn_tail, "torn_tail"},
    {Kind::flip_byte, "flip_byte"},
    {Kind::redrive, "redrive"},
}};

std::string position(const Command& c) {
    return c.topic + "/" + c.group + " p" + std::to_string(c.partition) + "@" +
           std::to_string(c.offset);
}

std::string idem_key(const Command& c) {
    return c.topic + "/" + c.group + " key " + c.key + (c.tenant.empty() ? "" : " tenant " + c.tenant);
}

}  // namespace

CommandShape command_shape(Command::Kind kind) {
    constexpr std::uint32_t position = kTopic | kGroup | kPartition | kOffset;
    constexpr std::uint32_t idem = kTenant | kTopic | kGroup | kKey | kOwner;
    constexpr std::uint32_t idem_required = kTopic | kKey | kOwner;
    switch (kind) {
        case Kind::create_topic: return {kTopic | kPartitions, kTopic};
        case Kind::produce: return {kTopic | kKey | kValue | kEnvelope, kTopic};
        case Kind::subscribe:
            return {kConsumer | kTopic | kGroup | kOwner | kLeaseMs | kBehaviour | kProcessingMs | kText,
                    kConsumer | kTopic, "nack_reason"};
        case Kind::ack: return {position, kTopic | kOffset};
        case Kind::ack_if_owner: return {position | kOwner, kTopic | kOffset | kOwner};
        case Kind::nack: return {position | kOwner | kText, kTopic | kOffset | kOwner, "reason"};
        case Kind::idem_begin:
        case Kind::idem_renew: return {idem | kLeaseMs, idem_required};
        case Kind::idem_commit: return {idem | kText, idem_required, "result"};
        case Kind::idem_fail: return {idem | kText, idem_required, "cause"};
        case Kind::unsubscribe:
        case Kind::consumer_crash:
        case Kind::consumer_restart:
        case Kind::consumer_pause:
        case Kind::consumer_resume:
        case Kind::consumer_hang:
        case Kind::lose_ack: return {kConsumer, kConsumer};
        case Kind::broker_crash: return {kPowerLoss, 0};
        case Kind::broker_restart: return {};
        case Kind::torn_tail:
        case Kind::flip_byte: return {kBytes, 0};
        case Kind::redrive: return {kTopic | kPartition | kOffset, kTopic | kOffset};
    }
    return {};
}

std::string_view to_string(Command::Kind kind) {
    for (const auto& [k, name] : kKindNames) {
        if (k == kind) return name;
    }
    return "?";
}

std::optional<Command::Kind> command_kind(std::string_view name) {
    for (const auto& [k, n] : kKindNames) {
        if (n == name) return k;
    }
    return std::nullopt;
}

std::string_view to_string(ConsumerBehaviour behaviour) {
    switch (behaviour) {
        case ConsumerBehaviour::ack: return "ack";
        case ConsumerBehaviour::nack: return "nack";
        case ConsumerBehaviour::hang: return "hang";
        case ConsumerBehaviour::manual: return "manual";
    }
    return "?";
}

std::string_view to_string(PowerLoss mode) {
    const auto i = static_cast<std::size_t>(mode);
    assert(i < std::size(kPowerLossNames));
    return kPowerLossNames[i];
}

std::string describe(const Command& c) {
    std::string out(to_string(c.kind));
    switch (c.kind) {
        case Kind::create_topic:
            return out + " " + c.topic + " (" + std::to_string(c.partitions) + " partitions)";
        case Kind::produce:
            return out + " " + c.topic + (c.key.empty() ? "" : " key " + c.key) + " value " + c.value;
        case Kind::subscribe:
            return out + " " + c.consumer + " to " + c.topic + "/" + c.group + " (" +
                   std::string(to_string(c.behaviour)) + ")";
        case Kind::ack: return out + " " + position(c);
        case Kind::ack_if_owner: return out + " " + position(c) + " as " + c.owner;
        case Kind::nack: return out + " " + position(c) + " as " + c.owner + ": " + c.text;
        case Kind::idem_begin:
        case Kind::idem_renew:
        case Kind::idem_commit:
        case Kind::idem_fail: return out + " " + idem_key(c) + " as " + c.owner;
        case Kind::unsubscribe:
        case Kind::consumer_crash:
        case Kind::consumer_restart:
        case Kind::consumer_pause:
        case Kind::consumer_resume:
        case Kind::consumer_hang:
        case Kind::lose_ack: return out + " " + c.consumer;
        case Kind::torn_tail:
        case Kind::flip_byte: return out + " " + std::to_string(c.bytes) + " bytes from the end";
        case Kind::broker_crash:
            return c.power_loss == PowerLoss::drop_unsynced ? out : out + " (" + std::string(to_string(c.power_loss)) + ")";
        case Kind::broker_restart: return out;
        case Kind::redrive: return out + " " + c.topic + " p" + std::to_string(c.partition) + "@" + std::to_string(c.offset);
    }
    return out;
}

}  // namespace driftq::sim
