#include "native/driftqd/routes.hpp"

#include <array>
#include <climits>
#include <random>

#include "native/driftqd/api_requests.hpp"
#include "native/driftqd/field_bounds.hpp"
#include "native/driftqd/go_json.hpp"
#include "native/driftqd/metrics_text.hpp"
#include "native/driftqd/origin_guard.hpp"

namespace driftq::http {

namespace {

using Kind = sim::Command::Kind;

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

// Upstream's request id: 12 random bytes as 24 lowercase hex digits.
std::string new_request_id() {
    static thread_local std::mt19937_64 rng{std::random_device{}()};
    static constexpr char kHex[] = "0123456789abcdef";
    std::string id;
    for (int i = 0; i < 12; ++i) {
        const auto b = static_cast<unsigned>(rng() & 0xFF);
        id += kHex[b >> 4];
        id += kHex[b & 15];
    }
    return id;
}

// Adds headers to every answer it passes on: X-Request-Id (the request's own, trimmed, or a new
// one) on all, CORS headers on those to an allowed origin.
class WithHeaders final : public Reply {
public:
    using Headers = std::vector<std::pair<std::string, std::string>>;
    WithHeaders(std::shared_ptr<Reply> inner, Headers headers) : inner_(std::move(inner)), headers_(std::move(headers)) {}
    void send(HttpResponse r) override {
        for (const auto& [name, value] : headers_) r.set(name, value);
        inner_->send(std::move(r));
    }
    void stream(HttpResponse head, std::shared_ptr<StreamFeed> feed) override {
        for (const auto& [name, value] : headers_) head.set(name, value);
        inner_->stream(std::move(head), std::move(feed));
    }

private:
    std::shared_ptr<Reply> inner_;
    Headers headers_;
};

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

// A refused command as upstream answers it: 409 for "not owner", 429 for overload, else 400.
HttpResponse refusal(const Error& e) {
    if (e.code == Errc::not_owner) return json_error(409, "FAILED_PRECONDITION", e.message);
    if (e.code == Errc::producer_overloaded) {
        HttpResponse r = json_response(429, "{\"error\":\"RESOURCE_EXHAUSTED\",\"message\":" + go_json_string(e.message) +
                                                ",\"reason\":" + go_json_string(e.reason.empty() ? "overloaded" : e.reason) +
                                                ",\"retry_after_ms\":1000}\n");
        r.set("Retry-After", "1");
        return r;
    }
    return invalid(e.message);
}

void list_topics(std::shared_ptr<Reply> reply, LiveBroker& broker) {
    broker.inspect([reply](const sim::World& w) {
        std::string body = "{\"topics\":[";
        bool first = true;
        for (const std::string& name : w.broker()->list_topics()) {
            body += (first ? "" : ",") + go_json_string(name);
            first = false;
        }
        reply->send(json_response(200, body + "]}\n"));
    });
}

void create_topic(const HttpRequest& request, std::shared_ptr<Reply> reply, LiveBroker& broker) {
    auto in = read_topic_input(request);
    if (!in) return reply->send(invalid(in.error().message));
    sim::Command c;
    c.kind = Kind::create_topic;
    c.topic = in.value().name;
    // Upstream drops the connection for a count near 2^63; the core's bound answers instead.
    c.partitions = static_cast<std::int32_t>(std::min<std::int64_t>(in.value().partitions, INT32_MAX));
    const std::string answer = "{\"status\":\"created\",\"name\":" + go_json_string(in.value().name) +
                               ",\"partitions\":" + std::to_string(in.value().partitions) + "}\n";
    broker.apply(std::move(c), [reply, answer](const sim::CommandResult& r) {
        reply->send(r.ok() ? json_response(201, answer) : invalid(r.error->message));
    });
}

void produce(const HttpRequest& request, std::shared_ptr<Reply> reply, LiveBroker& broker, const ServerInfo& info) {
    auto in = read_produce_input(request);
    if (!in) return reply->send(invalid(in.error().message));
    ProduceInput& p = in.value();
    if (p.envelope) {
        if (auto long_text = envelope_too_long(*p.envelope, info.bounds)) return reply->send(invalid(*long_text));
    }
    const std::int64_t cap = broker.broker_options().max_partition_bytes;
    const std::uint64_t size = p.key.size() + p.value.size();
    if (cap > 0 && size >= static_cast<std::uint64_t>(cap)) {
        // Upstream answers 429 for ever: no retry can make it fit.
        return reply->send(invalid("message too large for a partition's buffer: key and value are " + std::to_string(size) +
                                   " bytes, the buffer holds less than " + std::to_string(cap) +
                                   " (max_partition_bytes); a retry can never succeed"));
    }
    sim::Command c;
    c.kind = Kind::produce;
    c.topic = p.topic;
    c.key = std::move(p.key);
    c.value = std::move(p.value);
    c.envelope = std::move(p.envelope);
    // Deadlines arrive in Unix time; the core's clock starts at the WAL's origin.
    if (c.envelope && c.envelope->deadline_ms) *c.envelope->deadline_ms -= broker.origin();
    const std::string answer = "{\"status\":\"produced\",\"topic\":" + go_json_string(p.topic) + "}\n";
    broker.apply(std::move(c), [reply, answer](const sim::CommandResult& r) {
        reply->send(r.ok() ? json_response(200, answer) : refusal(*r.error));
    });
}

void consume(const HttpRequest& request, std::shared_ptr<Reply> reply, LiveBroker& broker, const ServerInfo& info) {
    auto in = read_consume_input(request);
    if (!in) return reply->send(invalid(in.error().message));
    if (auto long_name = name_too_long(in.value().group, in.value().owner, info.bounds)) return reply->send(invalid(*long_name));
    sim::Command c;
    c.kind = Kind::subscribe;
    c.topic = in.value().topic;
    c.group = in.value().group;
    c.owner = in.value().owner;
    c.lease_ms = in.value().lease_ms;
    auto feed = broker.new_feed();
    broker.subscribe(std::move(c), feed, [reply, feed](const sim::CommandResult& r) {
        if (!r.ok()) {
            if (r.error->code == Errc::too_large && r.error->reason == "max_streams") {
                // Too many streams: the connection goes too, so refused streams hold no slot.
                HttpResponse busy = json_error(429, "RESOURCE_EXHAUSTED", r.error->message);
                busy.close = true;
                return reply->send(std::move(busy));
            }
            return reply->send(invalid(r.error->message));
        }
        HttpResponse head;
        head.status = 200;
        head.set("Content-Type", "application/x-ndjson; charset=utf-8");
        reply->stream(std::move(head), feed);
    });
}

void answer(const HttpRequest& request, std::shared_ptr<Reply> reply, LiveBroker& broker, bool nack, const ServerInfo& info) {
    auto in = read_answer_input(request, nack);
    if (!in) return reply->send(invalid(in.error().message));
    if (auto long_name = name_too_long(in.value().group, in.value().owner, info.bounds)) return reply->send(invalid(*long_name));
    if (auto long_reason = too_long("reason", in.value().reason, info.bounds.max_field_bytes, "--max-field-bytes")) {
        return reply->send(invalid(*long_reason));
    }
    const AnswerInput& a = in.value();
    sim::Command c;
    c.kind = nack ? Kind::nack : Kind::ack_if_owner;
    c.topic = a.topic;
    c.group = a.group;
    c.owner = a.owner;
    // The core's partitions are 32-bit; past that no topic has the partition, as the broker says.
    c.partition = static_cast<std::int32_t>(std::clamp<std::int64_t>(a.partition, -1, INT32_MAX));
    c.offset = a.offset;
    c.text = a.reason;
    broker.apply(std::move(c), [reply](const sim::CommandResult& r) {
        if (!r.ok()) return reply->send(refusal(*r.error));
        HttpResponse done;
        done.status = 204;
        reply->send(std::move(done));
    });
}

void metrics(std::shared_ptr<Reply> reply, LiveBroker& broker, CommandLog* log) {
    broker.inspect([reply, &broker, log](const sim::World& w) {
        const LiveBroker::Stats st = broker.stats();
        ServerGauges g{w.wal_appended(), w.wal_durable(), st.streams_open, st.streams_overflowed,
                       st.rounds, st.syncs, st.commands};
        if (log) g.live_readers = log->readers();
        HttpResponse r;
        r.status = 200;
        r.set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
        r.body = metrics_text(w.broker()->metrics(), g);
        reply->send(std::move(r));
    });
}

void v1(const HttpRequest& request, std::string_view sub, std::shared_ptr<Reply> reply, LiveBroker& broker,
        const ServerInfo& info) {
    const V1Route* found = nullptr;
    for (const V1Route& r : kV1Routes) {
        if (r.path == sub) found = &r;
    }
    if (!found) return reply->send(text_error(404, "404 page not found"));
    if (!allows(found->allow, request.method)) return reply->send(method_not_allowed(found->allow));
    if (sub == "/healthz") return reply->send(json_response(200, "{\"status\":\"ok\"}\n"));
    if (sub == "/version") {
        return reply->send(json_response(200, "{\"version\":" + go_json_string(info.version) + ",\"commit\":" +
                                                  go_json_string(info.commit) + ",\"wal_enabled\":true}\n"));
    }
    if (sub == "/topics") return request.method == "GET" ? list_topics(reply, broker) : create_topic(request, reply, broker);
    if (sub == "/produce") return produce(request, reply, broker, info);
    if (sub == "/consume") return consume(request, reply, broker, info);
    answer(request, reply, broker, sub == "/nack", info);
}

// The broker's history for a mirroring page (command_log.hpp): a stream, so GET only.
void live_commands(const HttpRequest& request, std::shared_ptr<Reply> reply, CommandLog& log) {
    if (request.method != "GET") return reply->send(method_not_allowed("GET"));
    auto feed = std::make_shared<StreamFeed>(CommandLog::kMaxLines, CommandLog::kMaxBytes);
    if (auto refused = log.subscribe(feed)) {
        return reply->send(json_error(refused->status, refused->status == 429 ? "RESOURCE_EXHAUSTED" : "UNAVAILABLE", refused->message));
    }
    HttpResponse head;
    head.status = 200;
    head.set("Content-Type", "application/x-ndjson; charset=utf-8");
    reply->stream(std::move(head), feed);
}

bool is_dev_route(std::string_view path) {
    for (const V1Route& r : kV1Routes) {
        if (r.path == path && path != "/version") return true;
    }
    return false;
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

void route(const HttpRequest& request, std::shared_ptr<Reply> plain, LiveBroker& broker, const ServerInfo& info) {
    const auto given = request.header("X-Request-Id");
    std::string id(given ? go_trim(*given) : std::string_view{});
    // Echoed on the answer and in the log line: a longer one is refused under an id of our own.
    const auto long_id = too_long("X-Request-Id", id, info.bounds.max_field_bytes, "--max-field-bytes");
    if (long_id) id.clear();
    WithHeaders::Headers headers = {{"X-Request-Id", id.empty() ? new_request_id() : id}};
    const std::string_view path = request.path();
    const GuardVerdict verdict = guard(request, clean_path(path), info.origins);
    if (!verdict.cors_origin.empty()) {
        for (auto& h : cors_headers(verdict.cors_origin)) headers.push_back(std::move(h));
    }
    auto reply = std::make_shared<WithHeaders>(std::move(plain), std::move(headers));
    if (verdict.refusal) return reply->send(*verdict.refusal);
    if (long_id) return reply->send(invalid(*long_id));
    if (!verdict.cors_origin.empty() && request.method == "OPTIONS") return reply->send(preflight_answer());
    if (path == "/metrics") return metrics(reply, broker, info.log);  // promhttp answers every method
    const std::string cleaned = clean_path(path);
    if (cleaned != path) return reply->send(moved(request, cleaned));
    if (path == "/v1") return reply->send(moved(request, "/v1/"));
    if (path.rfind("/v1/", 0) == 0) return v1(request, path.substr(3), reply, broker, info);
    if (info.dev_routes && is_dev_route(path)) return v1(request, path, reply, broker, info);
    if (info.web && info.log && path == "/live/commands") return live_commands(request, reply, *info.log);
    if (info.web && (request.method == "GET" || request.method == "HEAD")) {
        if (auto file = info.web->get(path)) return reply->send(std::move(*file));
    }
    reply->send(json_error(404, "NOT_FOUND", "use /v1/* endpoints"));
}

}  // namespace driftq::http
