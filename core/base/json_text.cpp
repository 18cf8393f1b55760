#include "base/json_text.hpp"

namespace driftq {

void append_json_string(std::string& out, std::string_view s) {
    static constexpr char kHex[] = "0123456789abcdef";
    out += '"';
    for (char c : s) {
        const auto u = static_cast<unsigned char>(c);
        switch (c) {
            case '"': out += "\\\""; break;
            case '\\': out += "\\\\"; break;
            case '\n': out += "\\n"; break;
            case '\r': out += "\\r"; break;
            case '\t': out += "\\t"; break;
            default:
                if (u < 0x20) {
                    out += "\\u00";
                    out += kHex[u >> 4];
                    out += kHex[u & 15];
                } else {
                    out += c;
                }
        }
    }
    out += '"';
}

static void append_name(std::string& out, std::string_view name) {
    if (out.size() > 1) out += ',';
    append_json_string(out, name);
    out += ':';
}

void append_json_field(std::string& out, std::string_view name, std::string_view value) {
    append_name(out, name);
    append_json_string(out, value);
}

void append_json_field(std::string& out, std::string_view name, std::int64_t value) {
    append_name(out, name);
    out += std::to_string(value);
}

}  // namespace driftq
