// RFC 3339 times as upstream's driftqd reads and writes them: Go's time.Parse(time.RFC3339, v)
// for the `deadline_rfc3339` query parameter, time.Time's JSON decoding (stricter) for the
// envelope's `deadline`, both with Go's error texts, and RFC3339Nano for the consume stream.
// The core keeps times in milliseconds since the Unix epoch (UTC): finer digits are dropped and
// the zone offset is applied, so a deadline is written back in UTC.
#pragma once

#include <string>
#include <string_view>

#include "base/error.hpp"
#include "base/time.hpp"

namespace driftq::http {

// time.Parse(time.RFC3339, value): Unix milliseconds, or Go's ParseError text
// ("parsing time \"x\" as \"2006-01-02T15:04:05Z07:00\": cannot parse \"x\" as \"2006\"").
Result<TimeMs> go_parse_rfc3339(std::string_view value);

// time.Time.UnmarshalJSON of a JSON string's contents (Go 1.20+: RFC 3339 strictly).
Result<TimeMs> go_parse_rfc3339_strict(std::string_view value);

// time.Time.Format(time.RFC3339Nano) in UTC: "2025-12-21T12:00:00.5Z" (trailing zeros dropped).
std::string go_format_rfc3339_nano(TimeMs unix_ms);

}  // namespace driftq::http
