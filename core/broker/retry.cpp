#include "broker/retry.hpp"

#include "broker/options.hpp"

#include <cassert>
#include <limits>

namespace driftq {

namespace {

// Length of the Unicode White_Space character (as Go's unicode.IsSpace sees it) that `s` starts
// with, or 0. UTF-8: ASCII spaces, U+0085, U+00A0, U+1680, U+2000..U+200A, U+2028, U+2029,
// U+202F, U+205F, U+3000.
std::size_t leading_space(std::string_view s) {
    if (s.empty()) return 0;
    const auto b = [&](std::size_t i) { return static_cast<unsigned char>(s[i]); };
    const unsigned char c = b(0);
    if (c == ' ' || (c >= '\t' && c <= '\r')) return 1;
    if (s.size() >= 2 && c == 0xC2 && (b(1) == 0x85 || b(1) == 0xA0)) return 2;
    if (s.size() >= 3 && c == 0xE1 && b(1) == 0x9A && b(2) == 0x80) return 3;
    if (s.size() >= 3 && c == 0xE2 && b(1) == 0x80 &&
        (b(2) <= 0x8A || b(2) == 0xA8 || b(2) == 0xA9 || b(2) == 0xAF)) {
        return 3;
    }
    if (s.size() >= 3 && c == 0xE2 && b(1) == 0x81 && b(2) == 0x9F) return 3;
    if (s.size() >= 3 && c == 0xE3 && b(1) == 0x80 && b(2) == 0x80) return 3;
    return 0;
}

// Length of the white-space character `s` ends with, or 0.
std::size_t trailing_space(std::string_view s) {
    for (std::size_t n = 1; n <= 3 && n <= s.size(); ++n) {
        if (leading_space(s.substr(s.size() - n)) == n) return n;
    }
    return 0;
}

}  // namespace

std::string_view trim(std::string_view s) {
    while (std::size_t n = leading_space(s)) s.remove_prefix(n);
    while (std::size_t n = trailing_space(s)) s.remove_suffix(n);
    return s;
}

TimeMs compute_backoff(const RetryPolicy& policy, int retry_number) {
    if (policy.backoff_ms <= 0 || retry_number <= 0) return 0;
    const TimeMs max = policy.max_backoff_ms;
    TimeMs backoff = policy.backoff_ms;
    if (max > 0 && backoff > max) return max;
    for (int i = 1; i < retry_number; ++i) {
        if (max > 0 && backoff >= max) return max;
        if (backoff > std::numeric_limits<TimeMs>::max() / 2) {
            return max > 0 ? max : std::numeric_limits<TimeMs>::max();
        }
        backoff *= 2;
        if (max > 0 && backoff > max) return max;
    }
    return backoff;
}

namespace {

std::string bound_chain(std::string chain, std::int64_t max_bytes) {
    const auto limit = static_cast<std::size_t>(max_bytes <= 0 || max_bytes > kMaxLastErrorBytes ? kMaxLastErrorBytes : max_bytes);
    if (chain.size() <= limit) return chain;
    static constexpr std::string_view kDropped = "... | ";
    assert(limit > kDropped.size());
    // The first separator from which the rest fits after the marker.
    std::size_t from = chain.find(" | ", chain.size() - (limit - kDropped.size()) - 3);
    if (from != std::string::npos) return std::string(kDropped) + chain.substr(from + 3);
    return "..." + chain.substr(chain.size() - (limit - 3));  // one reason longer than the bound
}

}  // namespace

std::string append_last_error(std::string_view chain, std::string_view reason, std::int64_t max_bytes) {
    reason = trim(reason);
    if (reason.empty()) return bound_chain(std::string(chain), max_bytes);
    if (trim(chain).empty()) return bound_chain(std::string(reason), max_bytes);
    std::string out(trim(chain));
    out += " | ";
    out += reason;
    return bound_chain(std::move(out), max_bytes);
}

}  // namespace driftq
