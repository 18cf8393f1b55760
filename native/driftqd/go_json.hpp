// JSON text exactly as Go's encoding/json writes it, for answers that must match upstream byte
// for byte: `<`, `>` and `&` are escaped as \u003c, \u003e, \u0026; U+2028 and U+2029 as
// \u2028, \u2029; other control characters as \n, \r, \t or \u00XX; invalid UTF-8 becomes
// U+FFFD. json.Encoder adds a newline after each value.
#pragma once

#include <string>
#include <string_view>

#include <cstdint>

namespace driftq::http {

// Length of the valid UTF-8 sequence at the start of `s` (non-empty) and its code point, or 0 if
// it is not one (Go's utf8.DecodeRuneInString: no overlongs, no surrogates, nothing past U+10FFFF).
std::size_t go_utf8_length(std::string_view s, std::uint32_t& rune);
// Appends code point `rune` as UTF-8.
void append_utf8(std::string& out, std::uint32_t rune);

// `text` as a quoted JSON string, Go's way.
std::string go_json_string(std::string_view text);

// {"error":"CODE","message":"text"} plus the newline json.Encoder writes.
std::string go_error_body(std::string_view code, std::string_view message);

}  // namespace driftq::http
