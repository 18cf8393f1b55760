// Upstream's HTTP surface (reference section 2): which path and method go where, and the answer
// each endpoint gives. Pure functions of the request and the broker service, so every rule is
// tested without sockets. The server adds X-Request-Id and writes the bytes.
#pragma once

#include <string>

#include "native/driftqd/broker_service.hpp"
#include "native/driftqd/http_request.hpp"
#include "native/driftqd/http_response.hpp"

namespace driftq::http {

struct ServerInfo {
    std::string version = "dev";    // upstream's buildVersion default
    std::string commit = "unknown";  // upstream's buildCommit default
};

// The answer to `request` at wall-clock time `now` (Unix ms).
HttpResponse route(const HttpRequest& request, BrokerService& broker, const ServerInfo& info, TimeMs now);

// Go's path.Clean for a request path ("/v1//ack" -> "/v1/ack"), keeping a trailing slash as
// Go's ServeMux does before redirecting.
std::string clean_path(std::string_view path);

}  // namespace driftq::http
