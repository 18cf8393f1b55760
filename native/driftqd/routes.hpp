// Upstream's HTTP surface (reference section 2): which path and method go where, what each
// endpoint reads, which Command it becomes on the live broker, and the answer it gives. The
// server carries the bytes; everything here is tested without sockets through a Reply that
// records the answer.
#pragma once

#include <memory>
#include <string>

#include "native/driftqd/command_log.hpp"
#include "native/driftqd/field_bounds.hpp"
#include "native/driftqd/http_request.hpp"
#include "native/driftqd/static_files.hpp"
#include "native/driftqd/http_response.hpp"
#include "native/driftqd/live_broker.hpp"
#include "native/driftqd/origin_guard.hpp"
#include "native/driftqd/server.hpp"

namespace driftq::http {

struct ServerInfo {
    std::string version = "dev";    // upstream's buildVersion default
    std::string commit = "unknown";  // upstream's buildCommit default
    // The seed's unversioned routes (/topics, /produce, /consume, /ack, /nack, /healthz) answer
    // as their /v1 twins; off, they get upstream's JSON 404 like every other path.
    bool dev_routes = true;
    // --web: the playground's files at `/` and the broker's command log at /live/commands, for
    // a page that mirrors it. Null: upstream's JSON 404 there, as for every other path.
    const StaticFiles* web = nullptr;
    CommandLog* log = nullptr;
    // The longest names and texts a client may send (field_bounds.hpp): each group keeps state
    // per partition and its name in the metrics, so names are bounded.
    FieldBounds bounds;
    // Which Host names and page origins may reach it (--allow-host, --allow-origin).
    OriginPolicy origins;
};

// Answers `request` through `reply`, now or when the broker has.
void route(const HttpRequest& request, std::shared_ptr<Reply> reply, LiveBroker& broker, const ServerInfo& info);

// Go's path.Clean for a request path ("/v1//ack" -> "/v1/ack"), keeping a trailing slash as
// Go's ServeMux does before redirecting.
std::string clean_path(std::string_view path);

}  // namespace driftq::http
