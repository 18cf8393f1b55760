// The durable records of the broker: everything a restart needs (reference section 7 plus topic
// creation). The broker journals a record before it changes memory, and replay applies records
// through the same functions the live path uses.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <variant>

#include "base/error.hpp"
#include "base/idem_record.hpp"
#include "base/message.hpp"

namespace driftq {

// Type byte of a record. Bit 0x80 marks a type that an older reader may skip if it does not
// know it; an unknown type without the bit stops replay.
enum class RecordType : std::uint8_t {
    topic_created = 1,
    message = 2,
    offset_commit = 3,
    retry_state = 4,
    consume_idempotency = 5,
};
constexpr std::uint8_t kSafeToIgnoreBit = 0x80;

struct TopicRecord {
    std::string name;
    std::int32_t partitions = 0;
    bool operator==(const TopicRecord&) const = default;
};

struct MessageRecord {
    std::string topic;
    std::int32_t partition = 0;
    std::int64_t offset = 0;
    std::shared_ptr<const MessageBody> body;
    bool operator==(const MessageRecord& o) const;
};

struct OffsetRecord {
    std::string topic;
    std::string group;
    std::int32_t partition = 0;
    std::int64_t offset = 0;
    bool operator==(const OffsetRecord&) const = default;
};

struct RetryStateRecord {
    std::string topic;
    std::string group;
    std::int32_t partition = 0;
    std::int64_t offset = 0;
    std::string last_error;
    TimeMs at = 0;
    bool operator==(const RetryStateRecord&) const = default;
};

struct ConsumeIdemRecord {
    IdemKey key;  // scope is always consume
    IdemRecord record;
    bool operator==(const ConsumeIdemRecord&) const = default;
};

using WalRecord =
    std::variant<TopicRecord, MessageRecord, OffsetRecord, RetryStateRecord, ConsumeIdemRecord>;

RecordType record_type(const WalRecord& record);
std::string_view to_string(RecordType type);

// Binary payload of a record (without framing); see docs/wal-format.md.
void encode_payload(const WalRecord& record, std::string& out);
// Decodes a payload of a known type. Errors name what was malformed.
Result<WalRecord> decode_payload(RecordType type, std::string_view payload);
bool is_known_type(std::uint8_t type);

// One line describing a record, for `driftq-sim wal DIR` and error reports.
std::string describe(const WalRecord& record);

}  // namespace driftq
