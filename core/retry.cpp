#include "core/retry.hpp"

#include <limits>

namespace driftq {

std::string_view trim(std::string_view s) {
    // Go's strings.TrimSpace on ASCII whitespace; that is all the reference inputs can contain
    // in practice, and it keeps the core free of locale lookups.
    auto space = [](char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
    };
    while (!s.empty() && space(s.front())) s.remove_prefix(1);
    while (!s.empty() && space(s.back())) s.remove_suffix(1);
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

std::string append_last_error(std::string_view chain, std::string_view reason) {
    if (trim(reason).empty()) return std::string(chain);
    if (trim(chain).empty()) return std::string(reason);
    std::string out(trim(chain));
    out += " | ";
    out += reason;
    return out;
}

}  // namespace driftq
