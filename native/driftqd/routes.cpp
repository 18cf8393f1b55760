#include "native/driftqd/routes.hpp"

#include <array>
#include <charconv>

#include "broker/retry.hpp"
#include "native/driftqd/go_json.hpp"

namespace driftq::http {

namespace {

struct V1Route {
    std::string_view path;
    std::string_view allow;  // the methods, as upstream's Allow header lists them
};
constexpr std::array<V1Route, 7> kV1Routes = {{
    {"/healthz", "GET"}, {"/version", "GET"}, {"/topics", "GET, POST"}, {"/produce", "POST"},
    {"/consume", "GET"}, {"/ack", "POST"}, {"/nack", "POST"},
}};

bool allows(std::string_view allow, std::string_view method) {
    return allow == method || (allow == "GET, POST" && (method == "GET" || method == "POST"));
}

// Go's http.Redirect with 301, as ServeMux sends it for "/v1" and unclean paths.
HttpResponse moved(const HttpRequest& request, std::string location) {
    if (!request.query().empty()) location += "?" + std::string(request.query());
    HttpResponse r;
    r.status = 301;
    r.set("Location", location);
    if (request.method == "GET" || request.method == "HEAD") {
        r.set("Content-Type", "text/html; charset=utf-8");
        // The location is a cleaned path: the characters html.EscapeString changes are escaped
        // by the URL form already, except '&' and quotes in the query.
        std::string href;
        for (char c : location) {
            switch (c) {
                case '&': href += "&amp;"; break;
                case '"': href += "&#34;"; break;
                case '\'': href += "&#39;"; break;
                case '<': href += "&lt;"; break;
                case '>': href += "&gt;"; break;
                default: href += c;
            }
        }
        if (request.method == "GET") r.body = "<a href=\"" + href + "\">Moved Permanently</a>.\n\n";
    }
    return r;
}

HttpResponse method_not_allowed(std::string_view allow) {
    HttpResponse r = json_error(405, "METHOD_NOT_ALLOWED", "method not allowed");
    r.set("Allow", std::string(allow));
    return r;
}

HttpResponse invalid(std::string_view message) { return json_error(400, "INVALID_ARGUMENT", message); }

// Go's strconv.Atoi on a 64-bit platform: optional sign, decimal digits, no spaces.
std::optional<std::int64_t> atoi64(std::string_view s) {
    if (!s.empty() && s[0] == '+') s.remove_prefix(1);
    std::int64_t v = 0;
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (s.empty() || ec != std::errc{} || end != s.data() + s.size()) return std::nullopt;
    return v;
}

HttpResponse list_topics(BrokerService& broker) {
    std::string body = "{\"topics\":[";
    bool first = true;
    for (const std::string& name : broker.topics()) {
        body += (first ? "" : ",") + go_json_string(name);
        first = false;
    }
    return json_response(200, body + "]}\n");
}

// POST /v1/topics, query form (the JSON form is not in this build yet: refused, saying so).
HttpResponse create_topic(const HttpRequest& request, BrokerService& broker, TimeMs now) {
    if (request.has_body) return invalid("a JSON body is not read by this build yet; use ?name=&partitions=");
    const auto q = request.query();
    std::int64_t partitions = 0;
    if (const auto p = query_param(q, "partitions")) {
        const auto n = atoi64(*p);
        if (!n) return invalid("invalid partitions");
        partitions = *n;
    }
    const std::string name(trim(query_param(q, "name").value_or("")));
    if (name.empty()) return invalid("name is required");
    if (partitions == 0) partitions = 1;
    if (partitions < 0) return invalid("invalid partitions");
    // Upstream drops the connection for a count near 2^63; the core's bound answers instead.
    const auto count = static_cast<std::int32_t>(std::min<std::int64_t>(partitions, INT32_MAX));
    if (Status s = broker.create_topic(name, count, now); !s) return invalid(s.message());
    return json_response(201, "{\"status\":\"created\",\"name\":" + go_json_string(name) +
                                  ",\"partitions\":" + std::to_string(partitions) + "}\n");
}

HttpResponse v1(const HttpRequest& request, std::string_view sub, BrokerService& broker,
                const ServerInfo& info, TimeMs now) {
    const V1Route* found = nullptr;
    for (const V1Route& r : kV1Routes) {
        if (r.path == sub) found = &r;
    }
    if (!found) return text_error(404, "404 page not found");
    if (!allows(found->allow, request.method)) return method_not_allowed(found->allow);
    if (sub == "/healthz") return json_response(200, "{\"status\":\"ok\"}\n");
    if (sub == "/version") {
        return json_response(200, "{\"version\":" + go_json_string(info.version) + ",\"commit\":" +
                                      go_json_string(info.commit) + ",\"wal_enabled\":true}\n");
    }
    if (sub == "/topics") return request.method == "GET" ? list_topics(broker) : create_topic(request, broker, now);
    // Issue 11 is in progress: say so rather than answer wrongly.
    return json_error(501, "UNIMPLEMENTED", std::string(request.method) + " /v1" + std::string(sub) +
                                                " is not served by this build of driftqd yet");
}

}  // namespace

std::string clean_path(std::string_view path) {
    std::vector<std::string_view> parts;
    std::size_t i = 0;
    while (i < path.size()) {
        std::size_t j = path.find('/', i);
        if (j == std::string_view::npos) j = path.size();
        const std::string_view part = path.substr(i, j - i);
        if (part == "..") {
            if (!parts.empty()) parts.pop_back();
        } else if (!part.empty() && part != ".") {
            parts.push_back(part);
        }
        i = j + 1;
    }
    std::string out;
    for (std::string_view p : parts) out += "/" + std::string(p);
    if (out.empty()) return "/";
    // ServeMux keeps a trailing slash: "/v1/" stays "/v1/".
    const bool trailing = path.size() > 1 && (path.back() == '/' || path.ends_with("/.") || path.ends_with("/.."));
    if (trailing) out += "/";
    return out;
}

HttpResponse route(const HttpRequest& request, BrokerService& broker, const ServerInfo& info, TimeMs now) {
    const std::string_view path = request.path();
    const std::string cleaned = clean_path(path);
    if (cleaned != path) return moved(request, cleaned);
    if (path == "/v1") return moved(request, "/v1/");
    if (path.rfind("/v1/", 0) == 0) return v1(request, path.substr(3), broker, info, now);
    return json_error(404, "NOT_FOUND", "use /v1/* endpoints");
}

}  // namespace driftq::http
