// What upstream's handlers read from a request (reference section 2), in the order they read it,
// with the 400 message each refusal carries. A request with a body (Content-Length > 0 or
// chunked) is read as JSON only; otherwise the query is read. Pure functions: tested without
// sockets or a broker.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "base/error.hpp"
#include "base/message.hpp"
#include "native/driftqd/http_request.hpp"

namespace driftq::http {

struct TopicInput {
    std::string name;  // trimmed
    std::int64_t partitions = 1;
};
struct ProduceInput {
    std::string topic;  // as requested (untrimmed): the answer echoes it
    std::string key;
    std::string value;
    std::optional<Envelope> envelope;
};
struct ConsumeInput {
    std::string topic, group, owner;  // trimmed
    TimeMs lease_ms = 0;               // 0: the broker's default (2 s)
};
struct AnswerInput {  // ack and nack
    std::string topic, group, owner;  // trimmed
    std::int64_t partition = 0;
    std::int64_t offset = 0;
    std::string reason;  // nack only, trimmed
};

// Each returns the input, or an error whose message is the INVALID_ARGUMENT text.
Result<TopicInput> read_topic_input(const HttpRequest& request);
Result<ProduceInput> read_produce_input(const HttpRequest& request);
Result<ConsumeInput> read_consume_input(const HttpRequest& request);
Result<AnswerInput> read_answer_input(const HttpRequest& request, bool nack);

// Go's strconv.ParseInt(s, 10, bits): an optional sign and decimal digits, in range.
std::optional<std::int64_t> go_parse_int(std::string_view s, int bits = 64);
// Go's strings.TrimSpace (ASCII and Unicode white space).
std::string_view go_trim(std::string_view s);

}  // namespace driftq::http
