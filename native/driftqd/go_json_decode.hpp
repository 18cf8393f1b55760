// JSON read the way Go's encoding/json reads it, with Go's error texts, so that a malformed
// request body gets the same 400 message upstream's driftqd sends. Two entry points match the
// two ways upstream reads bodies: json.Decoder (produce, consume, topics: one value, the bytes
// after it ignored) and json.Unmarshal (ack, nack: the whole body must be one value).
//
// Strings are unquoted as Go unquotes them: invalid UTF-8 and lone surrogates become U+FFFD.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/error.hpp"

namespace driftq::http {

struct JsonValue {
    enum class Type { null, boolean, number, string, array, object } type = Type::null;
    bool boolean = false;
    std::string text;  // a number's literal as written, or a string's unquoted value
    std::vector<JsonValue> items;                             // array
    std::vector<std::pair<std::string, JsonValue>> members;  // object, in order, duplicates kept

    // Go's name for the kind of value in an UnmarshalTypeError: "number", "string", "bool",
    // "array", "object" (null never fails).
    std::string_view kind_name() const;
};

// json.Decoder.Decode: leading white space skipped, one value read, what follows ignored.
// Errors: "EOF" (nothing but space), "unexpected EOF" (the value is cut), or Go's syntax error
// ("invalid character 'x' looking for beginning of value").
Result<JsonValue> go_decode_first(std::string_view body);

// json.Unmarshal: the whole input is one value with only space around it. Errors: "unexpected
// end of JSON input", or Go's syntax error ("invalid character 'x' after top-level value").
Result<JsonValue> go_unmarshal(std::string_view body);

// Go's quoteChar: how a syntax error names the offending byte ('x', '\'', '"', '\x00', 'é').
std::string go_quote_char(unsigned char c);

}  // namespace driftq::http
