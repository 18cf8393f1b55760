// Decoders for the text forms the upstream JSON WAL uses: standard padded base64 and RFC 3339
// timestamps. Errors say what was wrong.
#pragma once

#include <string>
#include <string_view>

#include "base/error.hpp"
#include "base/time.hpp"

namespace driftq {

Result<std::string> base64_decode(std::string_view text);
std::string base64_encode(std::string_view bytes);

// "2026-11-26T17:08:07.601374684Z" or "...+01:00" to Unix milliseconds (sub-ms truncated).
Result<TimeMs> parse_rfc3339_ms(std::string_view text);

}  // namespace driftq
