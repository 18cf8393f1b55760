// One line of the /v1/consume stream: upstream's v1.ConsumeItem as Go's json.Encoder writes it
// (field order, omitempty rules, Go's escaping, a newline). Labels and dead-letter metadata are
// never shown, as upstream's mapping drops them; a deadline is written in UTC (RFC3339Nano).
#pragma once

#include <string>

#include "base/message.hpp"

namespace driftq::http {

// `origin`: the core clock's origin in Unix ms (deadlines are shifted back by it).
std::string consume_item_json(const Delivery& delivery, TimeMs origin);

}  // namespace driftq::http
