// driftqd's pure parts: Go's JSON text, Go's response bytes, upstream's routing rules and the
// endpoints of this build, without sockets.
#include <doctest/doctest.h>

#include <algorithm>
#include <atomic>
#include <future>

#include "native/driftqd/go_json.hpp"
#include "captured_reply.hpp"
#include "native/driftqd/routes.hpp"
#include "native/driftqd/stream_feed.hpp"
#include "wal/memory_storage.hpp"

using namespace driftq;
using namespace driftq::http;

TEST_CASE("JSON strings are escaped exactly as Go's encoding/json does") {
    CHECK(go_json_string("plain") == "\"plain\"");
    CHECK(go_json_string("a\"b\\c") == "\"a\\\"b\\\\c\"");
    CHECK(go_json_string("<a&b>") == "\"\\u003ca\\u0026b\\u003e\"");
    CHECK(go_json_string("\n\r\t\x01") == "\"\\n\\r\\t\\u0001\"");
    CHECK(go_json_string("\xE2\x80\xA8") == "\"\\u2028\"");
    CHECK(go_json_string("caf\xC3\xA9") == "\"caf\xC3\xA9\"");  // valid UTF-8 is kept as it is
    CHECK(go_json_string("a\xFFz") == "\"a\xEF\xBF\xBDz\"");  // invalid bytes become U+FFFD
    CHECK(go_json_string("\xC0\xAF") == "\"\xEF\xBF\xBD\xEF\xBF\xBD\"");  // overlong: two bad bytes
    CHECK(go_json_string("\xED\xA0\x80") == "\"\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\"");  // a surrogate
    CHECK(go_error_body("NOT_FOUND", "use /v1/* endpoints") ==
          "{\"error\":\"NOT_FOUND\",\"message\":\"use /v1/* endpoints\"}\n");
}

TEST_CASE("a response is written as Go writes it: sorted handler headers, then Date and Content-Length") {
    HttpResponse r = json_response(200, "{\"status\":\"ok\"}\n");
    r.set("X-Request-Id", "abc");
    CHECK(serialize(r, "Mon, 30 Nov 2026 12:00:00 GMT") ==
          "HTTP/1.1 200 OK\r\nContent-Type: application/json; charset=utf-8\r\nX-Request-Id: abc\r\n"
          "Date: Mon, 30 Nov 2026 12:00:00 GMT\r\nContent-Length: 16\r\n\r\n{\"status\":\"ok\"}\n");
    HttpResponse none;
    none.status = 204;
    none.body = "ignored";
    CHECK(serialize(none, "D") == "HTTP/1.1 204 No Content\r\nDate: D\r\n\r\n");
}

namespace {


// A live broker on an in-memory WAL with a clock the test moves.
struct Fixture {
    MemoryStorage storage;
    std::atomic<TimeMs> clock{1'000'000};
    std::unique_ptr<LiveBroker> broker;
    ServerInfo info;

    explicit Fixture(LiveOptions o = {}) {
        broker = LiveBroker::open(storage, 1'000'000, std::move(o), [this] { return clock.load(); }).value();
    }
    HttpRequest request(std::string method, std::string target, std::string body = {}) {
        HttpRequest r;
        r.method = std::move(method);
        r.target = std::move(target);
        r.has_body = !body.empty();
        r.body = std::move(body);
        return r;
    }
    HttpResponse call(std::string method, std::string target, std::string body = {}) {
        auto reply = std::make_shared<Captured>();
        auto f = reply->future();
        route(request(std::move(method), std::move(target), std::move(body)), reply, *broker, info);
        HttpResponse r = f.get();
        r.headers.erase(std::remove_if(r.headers.begin(), r.headers.end(), [](const auto& h) { return h.first == "X-Request-Id"; }),
                        r.headers.end());
        return r;
    }
    // Opens a consume stream; the feed receives its lines.
    std::shared_ptr<StreamFeed> consume(std::string target) {
        auto reply = std::make_shared<Captured>();
        auto f = reply->future();
        route(request("GET", std::move(target)), reply, *broker, info);
        const HttpResponse head = f.get();
        REQUIRE(head.status == 200);
        return reply->feed_;
    }
};

}  // namespace

TEST_CASE("routing: JSON 404 outside /v1, Go's text 404 inside it, 405 with Allow, 301 for /v1 and unclean paths") {
    Fixture f;
    f.info.dev_routes = false;  // upstream: every path outside /v1 is a JSON 404
    for (const char* path : {"/", "/produce", "/healthz", "/topics", "/metrics/", "/x/y"}) {
        CAPTURE(path);
        const HttpResponse r = f.call("GET", path);
        CHECK(r.status == 404);
        CHECK(r.body == "{\"error\":\"NOT_FOUND\",\"message\":\"use /v1/* endpoints\"}\n");
        CHECK(*r.find("Content-Type") == "application/json; charset=utf-8");
    }
    for (const char* path : {"/v1/", "/v1/nope", "/v1/healthz/"}) {
        CAPTURE(path);
        const HttpResponse r = f.call("GET", path);
        CHECK(r.status == 404);
        CHECK(r.body == "404 page not found\n");
        CHECK(*r.find("Content-Type") == "text/plain; charset=utf-8");
        CHECK(*r.find("X-Content-Type-Options") == "nosniff");
    }
    f.info.dev_routes = true;  // ours by default: the seed's unversioned routes answer as /v1
    CHECK(f.call("GET", "/healthz").body == "{\"status\":\"ok\"}\n");
    CHECK(f.call("GET", "/version").status == 404);  // never unversioned
    CHECK(f.call("GET", "/x/y").status == 404);
    const HttpResponse wrong = f.call("POST", "/v1/healthz");
    CHECK(wrong.status == 405);
    CHECK(*wrong.find("Allow") == "GET");
    CHECK(wrong.body == "{\"error\":\"METHOD_NOT_ALLOWED\",\"message\":\"method not allowed\"}\n");
    CHECK(*f.call("DELETE", "/v1/topics").find("Allow") == "GET, POST");
    CHECK(*f.call("GET", "/v1/ack").find("Allow") == "POST");
    CHECK(f.call("HEAD", "/v1/healthz").status == 405);  // HEAD is not GET upstream

    const HttpResponse v1 = f.call("GET", "/v1?x=1");
    CHECK(v1.status == 301);
    CHECK(*v1.find("Location") == "/v1/?x=1");
    CHECK(v1.body == "<a href=\"/v1/?x=1\">Moved Permanently</a>.\n\n");
    const HttpResponse unclean = f.call("POST", "/v1//ack");
    CHECK(unclean.status == 301);
    CHECK(*unclean.find("Location") == "/v1/ack");
    CHECK(unclean.body.empty());  // no body for a POST
    CHECK(clean_path("/v1/./a/../b/") == "/v1/b/");
    CHECK(clean_path("/v1/..") == "/");
}

TEST_CASE("healthz, version, and topics listed sorted with dlq topics, created with upstream's checks") {
    Fixture f;
    CHECK(f.call("GET", "/v1/healthz").body == "{\"status\":\"ok\"}\n");
    CHECK(f.call("GET", "/v1/version").body == "{\"version\":\"dev\",\"commit\":\"unknown\",\"wal_enabled\":true}\n");
    CHECK(f.call("GET", "/v1/topics").body == "{\"topics\":[]}\n");

    const HttpResponse made = f.call("POST", "/v1/topics?name=%20orders%20&partitions=3");
    CHECK(made.status == 201);
    CHECK(made.body == "{\"status\":\"created\",\"name\":\"orders\",\"partitions\":3}\n");
    // An existing topic: the same answer, echoing the requested count.
    CHECK(f.call("POST", "/v1/topics?name=orders&partitions=9").body ==
          "{\"status\":\"created\",\"name\":\"orders\",\"partitions\":9}\n");
    CHECK(f.call("POST", "/v1/topics?name=a").status == 201);  // partitions default to 1
    CHECK(f.call("GET", "/v1/topics").body == "{\"topics\":[\"a\",\"orders\"]}\n");

    const auto message = [&](const std::string& target) { return f.call("POST", target).body; };
    CHECK(message("/v1/topics?name=x&partitions=two") ==
          "{\"error\":\"INVALID_ARGUMENT\",\"message\":\"invalid partitions\"}\n");
    CHECK(message("/v1/topics?partitions=two") ==  // the partitions check comes first
          "{\"error\":\"INVALID_ARGUMENT\",\"message\":\"invalid partitions\"}\n");
    CHECK(message("/v1/topics?name=%20&partitions=2") ==
          "{\"error\":\"INVALID_ARGUMENT\",\"message\":\"name is required\"}\n");
    CHECK(message("/v1/topics?name=x&partitions=-1") ==
          "{\"error\":\"INVALID_ARGUMENT\",\"message\":\"invalid partitions\"}\n");
    // Upstream drops the connection for a huge count; here the core's bound answers.
    CHECK(message("/v1/topics?name=x&partitions=9223372036854775807").find("max_partitions") != std::string::npos);
    CHECK(f.call("POST", "/v1/topics?name=x&partitions=9223372036854775808").body ==
          "{\"error\":\"INVALID_ARGUMENT\",\"message\":\"invalid partitions\"}\n");  // Atoi overflow
}

namespace {

HttpRequest with_headers(std::string method, std::string target, std::vector<std::pair<std::string, std::string>> headers) {
    HttpRequest r;
    r.method = std::move(method);
    r.target = std::move(target);
    r.headers = std::move(headers);
    return r;
}

}  // namespace

TEST_CASE("the origin guard: Host names that are not the broker's get 421, acting pages of other origins 403") {
    const OriginPolicy none;
    auto judged = [](const HttpRequest& r, const OriginPolicy& p) { return guard(r, r.path(), p); };
    // Names that cannot be rebound are served; other names are not.
    for (const char* host : {"127.0.0.1:8080", "[::1]:8080", "localhost", "LocalHost.:80", "a.localhost:1", "192.168.1.9"}) {
        CHECK_MESSAGE(!judged(with_headers("GET", "/v1/topics", {{"Host", host}}), none).refusal, host);
    }
    auto rebound = judged(with_headers("GET", "/v1/topics", {{"host", "Evil.Example:8080"}}), none);
    REQUIRE(rebound.refusal);
    CHECK(rebound.refusal->status == 421);
    CHECK(rebound.refusal->body.find("--allow-host evil.example") != std::string::npos);
    CHECK(!judged(with_headers("GET", "/v1/topics", {{"Host", "evil.example"}}), OriginPolicy{{"evil.example"}, {}}).refusal);
    CHECK(!judged(with_headers("GET", "/v1/topics", {{"Host", "any.name"}}), OriginPolicy{{"*"}, {}}).refusal);

    // Acting requests from other origins are refused; reads are not; the broker's own page acts.
    const std::vector<std::pair<std::string, std::string>> evil = {{"Host", "127.0.0.1:8080"}, {"Origin", "http://evil.example"}};
    CHECK(judged(with_headers("POST", "/v1/produce", evil), none).refusal->status == 403);
    CHECK(judged(with_headers("GET", "/v1/consume?topic=t", evil), none).refusal->status == 403);
    CHECK(judged(with_headers("GET", "/consume?topic=t", evil), none).refusal->status == 403);
    CHECK(!judged(with_headers("GET", "/v1/topics", evil), none).refusal);
    CHECK(!judged(with_headers("POST", "/v1/produce", {{"Host", "127.0.0.1:8080"}, {"Origin", "http://127.0.0.1:8080"}}), none).refusal);
    CHECK(!judged(with_headers("POST", "/v1/produce", {{"Host", "localhost"}, {"Origin", "http://localhost:80"}}), none).refusal);
    CHECK(judged(with_headers("POST", "/v1/produce", {{"Host", "localhost:8080"}, {"Origin", "http://localhost:8081"}}), none).refusal);
    CHECK(judged(with_headers("POST", "/v1/produce", {{"Host", "localhost:8080"}, {"Origin", "null"}}), none).refusal);
    CHECK(judged(with_headers("GET", "/v1/consume", {{"Sec-Fetch-Site", "cross-site"}}), none).refusal);
    CHECK(!judged(with_headers("GET", "/v1/consume", {{"Sec-Fetch-Site", "same-origin"}}), none).refusal);
    CHECK(!judged(with_headers("POST", "/v1/produce", {}), none).refusal);  // curl, the SDKs

    // An allowed origin acts and is told so in CORS headers.
    const OriginPolicy dev{{}, {"http://localhost:3000"}};
    auto allowed = judged(with_headers("POST", "/v1/produce", {{"Host", "localhost:8080"}, {"Origin", "http://localhost:3000"}}), dev);
    CHECK(!allowed.refusal);
    CHECK(allowed.cors_origin == "http://localhost:3000");
    CHECK(judged(with_headers("POST", "/v1/produce", {{"Host", "localhost:8080"}, {"Origin", "http://localhost:3001"}}), dev).refusal);
}

TEST_CASE("a feed writes its shared history first, a few pieces per take, then its lines") {
    StreamFeed feed(10, 1000);
    std::vector<std::shared_ptr<const std::string>> pieces;
    for (int i = 0; i < 20; ++i) pieces.push_back(std::make_shared<const std::string>("piece " + std::to_string(i) + "\n"));
    feed.set_history(pieces);
    CHECK(feed.push("line\n"));
    auto first = feed.take();
    CHECK(first.history.size() == 16);
    CHECK(first.lines.empty());
    CHECK(first.more);
    auto second = feed.take();
    REQUIRE(second.history.size() == 4);
    CHECK(*second.history.back() == "piece 19\n");
    auto third = feed.take();
    CHECK(third.history.empty());
    CHECK(third.lines == std::vector<std::string>{"line\n"});
}
