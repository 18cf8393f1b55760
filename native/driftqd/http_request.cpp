#include "native/driftqd/http_request.hpp"

#include <algorithm>
#include <cctype>

namespace driftq::http {

namespace {

bool equal_ignoring_case(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
           });
}

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

// Go's QueryUnescape; nullopt on a malformed escape.
std::optional<std::string> unescape(std::string_view s) {
    std::string out;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '+') {
            out += ' ';
        } else if (s[i] == '%') {
            if (i + 2 >= s.size()) return std::nullopt;  // needs two hex digits
            const int hi = hex_value(s[i + 1]), lo = hex_value(s[i + 2]);
            if (hi < 0 || lo < 0) return std::nullopt;
            out += static_cast<char>(hi * 16 + lo);
            i += 2;
        } else {
            out += s[i];
        }
    }
    return out;
}

}  // namespace

std::string_view HttpRequest::path() const {
    const std::string_view t(target);
    return t.substr(0, t.find('?'));
}

std::string_view HttpRequest::query() const {
    const std::string_view t(target);
    const std::size_t q = t.find('?');
    return q == std::string_view::npos ? std::string_view{} : t.substr(q + 1);
}

std::optional<std::string_view> HttpRequest::header(std::string_view name) const {
    for (const auto& [n, v] : headers) {
        if (equal_ignoring_case(n, name)) return std::string_view(v);
    }
    return std::nullopt;
}

std::optional<std::string> query_param(std::string_view query, std::string_view name) {
    while (!query.empty()) {
        const std::size_t amp = query.find('&');
        std::string_view pair = query.substr(0, amp);
        query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
        if (pair.empty() || pair.find(';') != std::string_view::npos) continue;
        const std::size_t eq = pair.find('=');
        const std::string_view raw_key = pair.substr(0, eq);
        // Most keys have nothing to unescape: compare them as they are (a hot path under load).
        if (raw_key.find_first_of("%+") == std::string_view::npos) {
            if (raw_key != name) continue;
        } else {
            const auto key = unescape(raw_key);
            if (!key || *key != name) continue;
        }
        const auto value = unescape(eq == std::string_view::npos ? std::string_view{} : pair.substr(eq + 1));
        if (value) return value;  // a malformed value skips the pair, as Go does
    }
    return std::nullopt;
}

}  // namespace driftq::http
