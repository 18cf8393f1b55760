// Who may talk to driftqd from a browser (issue 20, item 3). A broker on localhost is reachable
// from every page its user visits: a page on another site can post forms and fire no-cors
// requests at it (creating topics, producing, opening consume streams), and with DNS rebinding
// (a name of the attacker's that resolves to 127.0.0.1) it can even read the answers. Two rules
// stop both, before any route runs, while curl, the SDKs and pages served by driftqd itself are
// unaffected (they send no Origin, or this broker's own):
//   - Host: a request must name this broker by an IP address, `localhost` (or a name under
//     `.localhost`), the name it was told to listen on, or a name allowed with --allow-host;
//     anything else is answered 421 (a rebinding page's Host is the attacker's name).
//   - Origin: a request that acts (any method but GET, HEAD and OPTIONS, and every consume,
//     which leases messages) from a page of another origin is answered 403, unless that origin
//     is allowed with --allow-origin; allowed origins also get CORS headers, and their
//     preflights are answered, so a page of theirs can read the answers.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "native/driftqd/http_request.hpp"
#include "native/driftqd/http_response.hpp"

namespace driftq::http {

struct OriginPolicy {
    // Names a Host header may carry besides IP addresses and localhost (lowercase, no port);
    // "*" allows any (--allow-host '*': the check off).
    std::vector<std::string> hosts;
    // Origins of other sites that may act ("http://localhost:3000", as a browser sends it);
    // "*" allows any (--allow-origin '*': the check off).
    std::vector<std::string> origins;
};

struct GuardVerdict {
    std::optional<HttpResponse> refusal;  // the answer instead of the route's, when refused
    // An allowed foreign origin: CORS headers go on the answer, and an OPTIONS is its preflight.
    std::string cors_origin;
};

// Judges `request` (at its clean `path`) against `policy`.
GuardVerdict guard(const HttpRequest& request, std::string_view path, const OriginPolicy& policy);

// The answer to an allowed origin's CORS preflight (an OPTIONS with Origin).
HttpResponse preflight_answer();

// The CORS headers an answer to `origin` carries.
std::vector<std::pair<std::string, std::string>> cors_headers(const std::string& origin);

}  // namespace driftq::http
