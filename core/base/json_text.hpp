// Minimal JSON text helpers for byte-stable output (traces, state dumps) without a JSON library in
// the hot path.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace driftq {

// Appends s as a JSON string literal (with quotes), escaping control characters, quotes and
// backslashes. Bytes >= 0x80 are copied as they are.
void append_json_string(std::string& out, std::string_view s);

void append_json_field(std::string& out, std::string_view name, std::string_view value);
void append_json_field(std::string& out, std::string_view name, std::int64_t value);

}  // namespace driftq
