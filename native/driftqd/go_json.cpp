#include "native/driftqd/go_json.hpp"

#include <cstdint>

namespace driftq::http {

namespace {

constexpr char kHex[] = "0123456789abcdef";

void append_u_escape(std::string& out, std::uint32_t unit) {
    out += "\\u";
    for (int shift = 12; shift >= 0; shift -= 4) out += kHex[(unit >> shift) & 0xF];
}

}  // namespace

std::size_t go_utf8_length(std::string_view s, std::uint32_t& rune) {
    const auto b = [&](std::size_t i) { return static_cast<unsigned char>(s[i]); };
    const unsigned char c = b(0);
    if (c < 0x80) {
        rune = c;
        return 1;
    }
    std::size_t n = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 ? 2 : 0;
    if (n == 0 || c > 0xF4 || s.size() < n) return 0;
    rune = c & (0xFF >> (n + 1));
    for (std::size_t i = 1; i < n; ++i) {
        if ((b(i) & 0xC0) != 0x80) return 0;
        rune = rune << 6 | (b(i) & 0x3F);
    }
    const bool overlong = (n == 3 && rune < 0x800) || (n == 4 && rune < 0x10000);
    const bool surrogate = rune >= 0xD800 && rune <= 0xDFFF;
    if (overlong || surrogate || rune > 0x10FFFF) return 0;
    return n;
}

void append_utf8(std::string& out, std::uint32_t r) {
    if (r < 0x80) {
        out += static_cast<char>(r);
    } else if (r < 0x800) {
        out += static_cast<char>(0xC0 | (r >> 6));
        out += static_cast<char>(0x80 | (r & 0x3F));
    } else if (r < 0x10000) {
        out += static_cast<char>(0xE0 | (r >> 12));
        out += static_cast<char>(0x80 | ((r >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (r & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (r >> 18));
        out += static_cast<char>(0x80 | ((r >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((r >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (r & 0x3F));
    }
}

std::string go_json_string(std::string_view text) {
    std::string out = "\"";
    out.reserve(text.size() + 2);
    while (!text.empty()) {
        std::uint32_t rune = 0;
        const std::size_t n = go_utf8_length(text, rune);
        if (n == 0) {  // invalid byte: U+FFFD, as Go writes it (the raw three bytes)
            out += "\xEF\xBF\xBD";
            text.remove_prefix(1);
            continue;
        }
        switch (rune) {
            case '"': out += "\\\""; break;
            case '\\': out += "\\\\"; break;
            case '\n': out += "\\n"; break;
            case '\r': out += "\\r"; break;
            case '\t': out += "\\t"; break;
            case '<': case '>': case '&': case 0x2028: case 0x2029: append_u_escape(out, rune); break;
            default:
                if (rune < 0x20) append_u_escape(out, rune);
                else out.append(text.substr(0, n));
        }
        text.remove_prefix(n);
    }
    return out + "\"";
}

std::string go_error_body(std::string_view code, std::string_view message) {
    return "{\"error\":" + go_json_string(code) + ",\"message\":" + go_json_string(message) + "}\n";
}

}  // namespace driftq::http
