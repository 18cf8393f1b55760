// A parsed request as the routes see it: independent of the HTTP library, so routes are tested
// without sockets.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace driftq::http {

struct HttpRequest {
    std::string method;  // "GET", "POST", ...
    std::string target;  // as sent: path and query
    std::vector<std::pair<std::string, std::string>> headers;  // names as sent
    std::string body;
    bool has_body = false;  // Content-Length > 0 or chunked (Go's r.ContentLength != 0)
    std::string remote_ip;  // the peer's address, for the access log

    std::string_view path() const;   // target before '?'
    std::string_view query() const;  // after '?', "" if none
    // A header's value (names compared case-insensitively), if present.
    std::optional<std::string_view> header(std::string_view name) const;
};

// The first value of `name` as Go's r.URL.Query() reads it: pairs split on '&', `+` is a
// space, %XX decoded; a pair with a malformed escape or a ';' is skipped (Go 1.17+).
std::optional<std::string> query_param(std::string_view query, std::string_view name);

}  // namespace driftq::http
