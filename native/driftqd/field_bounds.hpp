// Length bounds on what a client names (issue 20, item 2). Upstream takes names and texts of any
// length; each one driftqd keeps (a group's state per partition, an idempotency record, a
// message's envelope, a nack's reason in the retry state) or echoes (X-Request-Id on every
// answer and log line) is bounded, and a longer one is refused with a 400 that names the field,
// its length, the bound and the flag that sets it.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "base/message.hpp"

namespace driftq::http {

struct FieldBounds {
    std::size_t max_name_bytes = 256;    // --max-name-bytes: group and owner names
    std::size_t max_field_bytes = 1024;  // --max-field-bytes: reasons, request ids, envelope texts
};

// "group is 300 bytes; at most 256 are allowed (--max-name-bytes)", or nothing if it fits.
std::optional<std::string> too_long(std::string_view what, std::string_view value, std::size_t limit, std::string_view flag);

// The first group or owner name past its bound.
std::optional<std::string> name_too_long(const std::string& group, const std::string& owner, const FieldBounds& b);
// The first text of an envelope (ids, tenant, idempotency key, target topic, label keys and
// values) past --max-field-bytes.
std::optional<std::string> envelope_too_long(const Envelope& e, const FieldBounds& b);

}  // namespace driftq::http
