#include "native/driftqd/origin_guard.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <cctype>

namespace driftq::http {

namespace {

struct Authority {
    std::string host;  // lowercase, no brackets, no trailing dot
    std::string port;  // "" when none was given
};

std::string lowercase(std::string_view s) {
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

// "Example.com:8080" -> {"example.com", "8080"}; "[::1]:80" -> {"::1", "80"}.
Authority split_authority(std::string_view a) {
    Authority out;
    if (!a.empty() && a.front() == '[') {
        const std::size_t close = a.find(']');
        if (close == std::string_view::npos) return {lowercase(a), ""};
        out.host = lowercase(a.substr(1, close - 1));
        if (close + 1 < a.size() && a[close + 1] == ':') out.port = std::string(a.substr(close + 2));
        return out;
    }
    const std::size_t colon = a.rfind(':');
    // More than one colon without brackets is not host:port; keep it whole (it will not match).
    if (colon != std::string_view::npos && a.find(':') == colon) {
        out.host = lowercase(a.substr(0, colon));
        out.port = std::string(a.substr(colon + 1));
    } else {
        out.host = lowercase(a);
    }
    if (!out.host.empty() && out.host.back() == '.') out.host.pop_back();
    return out;
}

bool is_ip_literal(const std::string& host) {
    unsigned char buf[16];
    return inet_pton(AF_INET, host.c_str(), buf) == 1 || inet_pton(AF_INET6, host.c_str(), buf) == 1;
}

bool listed(const std::vector<std::string>& allowed, std::string_view value) {
    return std::find_if(allowed.begin(), allowed.end(), [&](const std::string& a) { return a == "*" || a == value; }) != allowed.end();
}

// A DNS-rebinding page reaches us by a name of its own; an IP address or localhost cannot be
// rebound to the attacker's server.
bool host_allowed(const std::string& host, const OriginPolicy& policy) {
    if (is_ip_literal(host) || host == "localhost" || host.ends_with(".localhost")) return true;
    return listed(policy.hosts, host);
}

// What a header says, cut for an error message (a Host header may be a megabyte long).
std::string shown(std::string_view s) {
    constexpr std::size_t kMax = 100;
    return s.size() <= kMax ? std::string(s) : std::string(s.substr(0, kMax)) + "...";
}

// Whether the page at `origin` is this broker's own: http, with the request's own Host.
bool same_origin(std::string_view origin, std::string_view host_header) {
    constexpr std::string_view kScheme = "http://";
    if (origin.size() <= kScheme.size() || lowercase(origin.substr(0, kScheme.size())) != kScheme) return false;
    const Authority o = split_authority(origin.substr(kScheme.size()));
    const Authority h = split_authority(host_header);
    auto port = [](const std::string& p) { return p.empty() ? std::string("80") : p; };
    return o.host == h.host && port(o.port) == port(h.port);
}

// A request that changes the broker: state-changing methods, and consume (a GET that leases).
bool acts(const HttpRequest& request, std::string_view path) {
    const std::string& m = request.method;
    if (m != "GET" && m != "HEAD" && m != "OPTIONS") return true;
    return path == "/v1/consume" || path == "/consume";
}

HttpResponse misdirected(const std::string& host) {
    return json_error(421, "MISDIRECTED_REQUEST",
                      "this broker does not answer to the name '" + shown(host) +
                          "' (Host header): a page that reached it by that name may be a DNS-rebinding attack; "
                          "start driftqd with --allow-host " + shown(host) + " to serve it");
}

HttpResponse foreign_page(std::string_view origin) {
    return json_error(403, "FORBIDDEN",
                      "a page on " + shown(origin) + " may not act on this broker (Origin header); start driftqd with "
                      "--allow-origin " + shown(origin) + " to let it");
}

}  // namespace

GuardVerdict guard(const HttpRequest& request, std::string_view path, const OriginPolicy& policy) {
    GuardVerdict v;
    const auto host_header = request.header("Host");
    // HTTP/1.0 may omit Host (1.1 without it is refused by the server); no browser does.
    if (host_header) {
        const std::string host = split_authority(*host_header).host;
        if (!host_allowed(host, policy)) {
            v.refusal = misdirected(host);
            return v;
        }
    }
    const auto origin = request.header("Origin");
    if (origin && !same_origin(*origin, host_header.value_or(""))) {
        if (listed(policy.origins, *origin)) {
            v.cors_origin = std::string(*origin);
        } else if (acts(request, path)) {
            v.refusal = foreign_page(*origin);
        }
        return v;
    }
    // No Origin (an <img> or a link): the browser still says where the request comes from.
    const auto site = request.header("Sec-Fetch-Site");
    if (!origin && site && (*site == "cross-site" || *site == "same-site") && acts(request, path) && !listed(policy.origins, "*")) {
        v.refusal = json_error(403, "FORBIDDEN",
                               "a page on another site may not act on this broker (Sec-Fetch-Site: " + std::string(*site) +
                                   "); start driftqd with --allow-origin '*' to let any page");
    }
    return v;
}

HttpResponse preflight_answer() {
    HttpResponse r;
    r.status = 204;
    r.set("Access-Control-Allow-Methods", "GET, POST");
    r.set("Access-Control-Allow-Headers", "Content-Type, X-Request-Id, X-Trace-Id");
    r.set("Access-Control-Max-Age", "600");
    return r;
}

std::vector<std::pair<std::string, std::string>> cors_headers(const std::string& origin) {
    return {{"Access-Control-Allow-Origin", origin}, {"Access-Control-Expose-Headers", "X-Request-Id, X-Trace-Id"}, {"Vary", "Origin"}};
}

}  // namespace driftq::http
