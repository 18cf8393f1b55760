// Retry arithmetic shared by nack, redelivery and DLQ routing.
#pragma once

#include <string>
#include <string_view>

#include "base/message.hpp"
#include "base/time.hpp"

namespace driftq {

// Reference computeBackoff: min(backoff_ms * 2^(retry-1), max_backoff_ms), 0 when backoff_ms <= 0
// or retry <= 0. No jitter. Saturates instead of overflowing for huge retry numbers.
TimeMs compute_backoff(const RetryPolicy& policy, int retry_number);

// Reference appendLastError: joins failure reasons with " | ", ignoring blank parts, trimming
// both sides. Then keeps at most `max_bytes` (BrokerOptions::max_last_error_bytes; 0 or more than
// kMaxLastErrorBytes means kMaxLastErrorBytes): the oldest reasons are dropped whole and "... | "
// leads the chain; a single reason longer than that keeps its end.
std::string append_last_error(std::string_view chain, std::string_view reason, std::int64_t max_bytes = 0);

// Go's strings.TrimSpace: strips Unicode white space (UTF-8) from both ends.
std::string_view trim(std::string_view s);

}  // namespace driftq
