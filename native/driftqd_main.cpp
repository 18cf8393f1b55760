// driftqd: DriftQ's HTTP API (upstream's /v1 endpoints) on the playground's broker core, its
// WAL on real files (docs/http-api.md).
#include <cctype>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "native/driftqd/access_log.hpp"
#include "native/driftqd/live_broker.hpp"
#include "native/driftqd/routes.hpp"
#include "native/driftqd/server.hpp"
#include "native/file_storage.hpp"

namespace {

using namespace driftq;

constexpr const char* kUsage =
    "usage: driftqd [--addr HOST:PORT] [--wal DIR] [--reset-wal] [options]\n"
    "\n"
    "Serves DriftQ's HTTP API (upstream's /v1 endpoints and /metrics) on the playground's broker\n"
    "core, with its write-ahead log in DIR. docs/http-api.md has every endpoint and limit.\n"
    "\n"
    "  --addr HOST:PORT        where to listen (default 127.0.0.1:8080; ':8080' listens on every\n"
    "                          interface, an explicit choice; port 0 picks a free one)\n"
    "  --wal DIR               the WAL directory (default ./driftq-wal), created if missing\n"
    "  --reset-wal             move an existing WAL directory aside (DIR.reset-N) and start empty\n"
    "  --durability MODE       always (default): answer a produce, ack or nack only once its WAL\n"
    "                          records are synced (one sync per round for all waiting requests);\n"
    "                          batch: answer at once, sync within --batch-delay-ms;\n"
    "                          none: sync only at shutdown\n"
    "  --batch-delay-ms N      batch: the longest an answered record waits for its sync (5)\n"
    "  --log-level LEVEL       debug|info|warn|error (default info; anything else means info)\n"
    "  --log-format FORMAT     text|json (default text; anything else means text)\n"
    "  --record FILE           write every applied command, with its time and result, as a\n"
    "                          scenario that driftq-sim and the visualiser replay (needs an empty WAL)\n"
    "  --trace FILE            write the broker's events as NDJSON, as driftq-sim run --trace does\n"
    "  --no-dev-routes         answer upstream's JSON 404 for the unversioned /topics, /produce,\n"
    "                          /consume, /ack, /nack and /healthz too (they serve like /v1 by default)\n"
    "  --no-test-router        do not label messages as upstream's TestRouter does\n"
    "  --web DIR               serve the web playground's files from DIR (a `web` preset build:\n"
    "                          build/web/web) at /, and the broker's history at /live/commands:\n"
    "                          http://HOST:PORT/?live shows this broker live in the browser\n"
    "  --live-history-bytes N  the most history /live/commands keeps for new pages (67108864);\n"
    "                          past it pages already open go on, new ones get 503\n"
    "  --max-live-readers N    pages that may read /live/commands at once (16; then 429)\n"
    "other origins (a page on another site cannot act on this broker, nor reach it by a rebound name):\n"
    "  --allow-host NAME       answer to Host NAME too (besides IP addresses, localhost and the\n"
    "                          --addr name; others get 421); repeatable, '*' allows any\n"
    "  --allow-origin ORIGIN   let pages of ORIGIN (http://localhost:3000, as a browser sends it)\n"
    "                          act, with CORS headers (others get 403); repeatable, '*' allows any\n"
    "broker (defaults are upstream's):\n"
    "  --max-in-flight N (2)  --ack-timeout-ms N (2000)  --default-lease-ms N (2000)\n"
    "  --max-partition-messages N (100)  --max-partition-bytes N (65536)\n"
    "  --commit-rule highest_acked|contiguous (highest_acked)  --persist-topics\n"
    "  --reference-failed-ack-groups  a failed ack or nack creates its group, as upstream's does\n"
    "      (by default it creates nothing: any client could grow the broker with group names)\n"
    "  --max-message-bytes N (8388608)  --max-partitions N (4096)\n"
    "  --max-topics N (1024)  --max-group-partitions N (262144: a group on a topic of P\n"
    "      partitions counts P)  --max-idempotency-records N (1000000); 0 lifts a bound\n"
    "  --max-name-bytes N (256)  the longest group or owner name a consume, ack or nack may carry\n"
    "  --max-field-bytes N (1024)  the longest nack reason, X-Request-Id and envelope text\n"
    "      (run, step and parent step ids, tenant, idempotency key, target topic, labels)\n"
    "limits:\n"
    "  --max-connections N (1024)  --max-streams N (960: 64 fewer than the connections, so idle\n"
    "      streams never lock out other requests)  --max-header-bytes N (1052672)\n"
    "  --max-body-bytes N (16777216)  --read-timeout-ms N (5000)\n"
    "  --stream-buffer-lines N (10000)  --stream-buffer-bytes N (16777216): a consume stream whose\n"
    "      client has this much unread is disconnected; its deliveries return after their lease\n"
    "  --threads N             threads serving HTTP (1)\n";

struct Options {
    std::string host = "127.0.0.1";
    unsigned short port = 8080;
    std::string wal = "driftq-wal";
    bool reset_wal = false;
    http::LiveOptions live;
    http::ServerLimits limits;
    http::ServerInfo info;
    http::LogConfig log;
    std::string web;  // the playground's directory, for --web
    http::CommandLogLimits live_log;
    bool streams_given = false;  // --max-streams; else it follows --max-connections
};

bool parse_addr(const std::string& text, Options& o) {
    const std::size_t colon = text.rfind(':');
    if (colon == std::string::npos) return false;
    const std::string host = text.substr(0, colon), port = text.substr(colon + 1);
    if (port.empty() || port.size() > 5 || port.find_first_not_of("0123456789") != std::string::npos) return false;
    const unsigned long p = std::stoul(port);
    if (p > 65535) return false;
    // "" listens on every interface; "[::1]" is an IPv6 address in URL form.
    o.host = host.size() > 2 && host.front() == '[' && host.back() == ']' ? host.substr(1, host.size() - 2) : host;
    o.port = static_cast<unsigned short>(p);
    return true;
}

std::string lowercase(std::string s) {
    for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

bool number(const std::string& text, std::int64_t min, std::int64_t max, std::int64_t& out) {
    std::int64_t v = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec != std::errc{} || end != text.data() + text.size() || v < min || v > max) return false;
    out = v;
    return true;
}

// Returns 0 to go on, -1 after --help, or the exit status of a usage error.
int parse(int argc, char** argv, Options& o) {
    BrokerOptions& b = o.live.broker;
    using Setter = std::function<bool(const std::string&)>;
    auto num = [](auto& field, std::int64_t min, std::int64_t max) -> Setter {
        return [&field, min, max](const std::string& v) {
            std::int64_t n = 0;
            if (!number(v, min, max, n)) return false;
            field = static_cast<std::remove_reference_t<decltype(field)>>(n);
            return true;
        };
    };
    const std::map<std::string, Setter> valued = {
        {"--addr", [&](const std::string& v) { return parse_addr(v, o); }},
        {"--wal", [&](const std::string& v) { o.wal = v; return !v.empty(); }},
        {"--durability", [&](const std::string& v) {
             if (v == "always") o.live.wal.durability = Durability::always;
             else if (v == "batch") o.live.wal.durability = Durability::batch;
             else if (v == "none") o.live.wal.durability = Durability::none;
             else return false;
             return true;
         }},
        {"--batch-delay-ms", num(o.live.wal.batch_max_delay_ms, 0, 60'000)},
        {"--log-level", [&](const std::string& v) { o.log.level = http::log_level(v); return true; }},
        {"--log-format", [&](const std::string& v) { o.log.json = v == "json"; return true; }},
        {"--record", [&](const std::string& v) { o.live.record_path = v; return !v.empty(); }},
        {"--trace", [&](const std::string& v) { o.live.trace_path = v; return !v.empty(); }},
        {"--web", [&](const std::string& v) {
             o.web = v;
             return std::filesystem::is_regular_file(v + "/index.html");
         }},
        {"--max-in-flight", num(b.max_in_flight, 0, 1'000'000)},
        {"--ack-timeout-ms", num(b.ack_timeout_ms, 1, 86'400'000)},
        {"--default-lease-ms", num(b.default_lease_ms, 1, 86'400'000)},
        {"--max-partition-messages", num(b.max_partition_messages, 0, INT64_MAX)},
        {"--max-partition-bytes", num(b.max_partition_bytes, 0, INT64_MAX)},
        {"--commit-rule", [&](const std::string& v) {
             if (v == "highest_acked") b.commit_rule = CommitRule::highest_acked;
             else if (v == "contiguous") b.commit_rule = CommitRule::contiguous;
             else return false;
             return true;
         }},
        {"--max-message-bytes", num(b.max_message_bytes, 1, kMaxMessageBytes)},
        {"--max-partitions", num(b.max_partitions, 1, INT32_MAX)},
        {"--max-topics", num(b.max_topics, 0, INT32_MAX)},
        {"--max-group-partitions", num(b.max_group_partitions, 0, INT64_MAX)},
        {"--max-idempotency-records", num(b.max_idempotency_records, 0, INT64_MAX)},
        {"--allow-host", [&](const std::string& v) { o.info.origins.hosts.push_back(lowercase(v)); return !v.empty(); }},
        {"--allow-origin", [&](const std::string& v) { o.info.origins.origins.push_back(v); return !v.empty(); }},
        {"--max-name-bytes", num(o.info.bounds.max_name_bytes, 1, 1 << 20)},
        {"--max-field-bytes", num(o.info.bounds.max_field_bytes, 1, 1 << 24)},
        {"--live-history-bytes", num(o.live_log.max_history_bytes, 1, std::int64_t{1} << 40)},
        {"--max-live-readers", num(o.live_log.max_readers, 1, 1'000'000)},
        {"--max-connections", num(o.limits.max_connections, 1, 1'000'000)},
        {"--max-streams", [&](const std::string& v) {
             std::int64_t n = 0;
             if (!number(v, 1, 1'000'000, n)) return false;
             o.live.max_streams = static_cast<std::size_t>(n);
             o.streams_given = true;
             return true;
         }},
        {"--max-header-bytes", num(o.limits.max_header_bytes, 1024, UINT32_MAX)},
        {"--max-body-bytes", num(o.limits.max_body_bytes, 1, std::int64_t{1} << 40)},
        {"--read-timeout-ms", [&](const std::string& v) {
             std::int64_t n = 0;
             if (!number(v, 1, 3'600'000, n)) return false;
             o.limits.read_timeout = std::chrono::milliseconds(n);
             return true;
         }},
        {"--stream-buffer-lines", num(o.live.stream_max_lines, 1, INT64_MAX)},
        {"--stream-buffer-bytes", num(o.live.stream_max_bytes, 1, INT64_MAX)},
        {"--threads", num(o.limits.threads, 1, 64)},
    };
    // Go's flag package's forms too, as upstream is started: -addr X, --addr=X, -addr=X.
    std::vector<std::string> args;
    for (int i = 1; i < argc; ++i) {
        std::string a = argv[i];
        if (a.size() > 1 && a[0] == '-' && a[1] != '-') a = "-" + a;
        const std::size_t eq = a.find('=');
        if (a.rfind("--", 0) == 0 && eq != std::string::npos) {
            args.push_back(a.substr(0, eq));
            args.push_back(a.substr(eq + 1));
        } else {
            args.push_back(a);
        }
    }
    const int count = static_cast<int>(args.size());
    for (int i = 0; i < count; ++i) {
        const std::string a = args[static_cast<std::size_t>(i)];
        if (a == "--help" || a == "--h") {
            std::fputs(kUsage, stdout);
            return -1;
        }
        if (a == "--reset-wal") o.reset_wal = true;
        else if (a == "--persist-topics") b.persist_topics = true;
        else if (a == "--reference-failed-ack-groups") b.failed_answer_creates_group = true;
        else if (a == "--no-dev-routes") o.info.dev_routes = false;
        else if (a == "--no-test-router") o.live.test_router = false;
        else if (auto it = valued.find(a); it != valued.end()) {
            if (i + 1 >= count) {
                std::fprintf(stderr, "driftqd: %s needs a value\n", a.c_str());
                return 2;
            }
            const std::string& v = args[static_cast<std::size_t>(++i)];
            if (!it->second(v)) {
                std::fprintf(stderr, "driftqd: %s: '%s' is not a valid value (driftqd --help lists them)\n", a.c_str(), v.c_str());
                return 2;
            }
        } else {
            std::fprintf(stderr, "driftqd: unexpected '%s'\n\n%s", a.c_str(), kUsage);
            return 2;
        }
    }
    return 0;
}

// The default --max-streams: 64 fewer than the connections (half of them below 128).
std::size_t stream_slots(std::size_t connections) {
    return connections >= 128 ? connections - 64 : std::max<std::size_t>(1, connections / 2);
}

std::string reset_wal(const std::string& dir) {
    namespace fs = std::filesystem;
    if (!fs::exists(dir)) return {};
    std::string aside;
    for (int n = 1; fs::exists(aside = dir + ".reset-" + std::to_string(n)); ++n) {}
    fs::rename(dir, aside);
    return aside;
}

TimeMs wall_ms() {
    using namespace std::chrono;
    return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

}  // namespace

int main(int argc, char** argv) {
    Options o;
    if (int rc = parse(argc, argv, o); rc != 0) return rc < 0 ? 0 : rc;
    o.info.origins.hosts.push_back(lowercase(o.host));  // the name it listens on is its own
    // Streams stay fewer than connections, so idle streams never lock out other requests.
    if (!o.streams_given) o.live.max_streams = stream_slots(o.limits.max_connections);
    http::AccessLog log(o.log, o.info.version, o.info.commit);
    std::string moved_to;
    if (o.reset_wal) {
        moved_to = reset_wal(o.wal);
        if (!moved_to.empty()) log.info("WAL reset", {{"from", o.wal}, {"to", moved_to}});
    }
    std::error_code made;
    std::filesystem::create_directories(o.wal, made);  // FileStorage makes only the last level
    auto storage = FileStorage::open(o.wal);
    if (!storage) {
        std::fprintf(stderr, "driftqd: cannot open the WAL directory %s: %s\n", o.wal.c_str(), storage.error().message.c_str());
        return 1;
    }
    auto origin = http::clock_origin(o.wal, wall_ms());
    if (!origin) {
        std::fprintf(stderr, "driftqd: %s\n", origin.error().message.c_str());
        return 1;
    }
    // --web: the page mirrors the broker from its first command, so it needs an empty WAL too.
    std::unique_ptr<http::CommandLog> command_log;
    std::unique_ptr<http::StaticFiles> web_files;
    if (!o.web.empty()) {
        command_log = std::make_unique<http::CommandLog>(http::live_scenario_head(o.live, origin.value()) +
                                                             ",\n  \"timeline\": [],\n  \"until_ms\": 0\n}",
                                                         o.live_log);
        web_files = std::make_unique<http::StaticFiles>(o.web);
        o.live.on_round = [log = command_log.get()](std::vector<sim::TimedCommand>&& applied, TimeMs now) {
            log->add_round(applied, now);
        };
        o.info.web = web_files.get();
        o.info.log = command_log.get();
    }
    auto broker = http::LiveBroker::open(*storage.value(), origin.value(), o.live, wall_ms);
    if (!broker) {
        std::fprintf(stderr, "driftqd: cannot start on the WAL in %s: %s\n", o.wal.c_str(), broker.error().message.c_str());
        return 1;
    }
    http::LiveBroker& live = *broker.value();
    if (command_log && !live.recovery_summary().starts_with("0 records")) {
        std::fprintf(stderr, "driftqd: --web mirrors the broker from empty, but %s holds a WAL (%s): add --reset-wal or choose a new --wal directory\n",
                     o.wal.c_str(), live.recovery_summary().c_str());
        return 1;
    }
    std::unique_ptr<http::Server> server;
    try {
        server = std::make_unique<http::Server>(o.host, o.port, o.limits, [&](const http::HttpRequest& r, std::shared_ptr<http::Reply> reply) {
            http::route(r, log.wrap(r, std::move(reply)), live, o.info);
        });
    } catch (const std::exception& e) {
        std::fprintf(stderr, "driftqd: cannot listen on %s:%u: %s\n", o.host.c_str(), o.port, e.what());
        return 1;
    }
    // Graceful stop: the listener closes, streams end, the WAL syncs, the recording closes.
    server->set_on_stop([&] {
        log.info("shutting down", {});
        live.stop();
    });
    std::printf("driftqd listening on %s, WAL %s (%s%s)\n", server->address().c_str(), o.wal.c_str(),
                live.recovery_summary().c_str(), moved_to.empty() ? "" : ("; the old WAL moved to " + moved_to).c_str());
    if (web_files) std::printf("driftqd: the playground shows this broker live at http://%s/?live\n", server->address().c_str());
    std::fflush(stdout);
    log.info("broker starting", {{"addr", server->address()}});
    server->run();
    live.stop();
    log.info("broker stopped", {});
    std::printf("driftqd stopped\n");
    return 0;
}
