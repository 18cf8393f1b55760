// driftqd: DriftQ's HTTP API on the playground's core (docs/http-api.md). Work in progress: this
// build serves the routing rules, /v1/healthz, /v1/version and /v1/topics.
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <random>
#include <string>
#include <thread>

#include "broker/retry.hpp"
#include "native/driftqd/broker_service.hpp"
#include "native/driftqd/routes.hpp"
#include "native/driftqd/server.hpp"
#include "native/file_storage.hpp"

namespace {

constexpr const char* kUsage =
    "usage: driftqd [--addr HOST:PORT] [--wal DIR] [--reset-wal]\n"
    "\n"
    "Serves DriftQ's HTTP API (upstream's /v1 endpoints) on the playground's broker core, with\n"
    "its write-ahead log in DIR.\n"
    "  --addr HOST:PORT  where to listen (default 127.0.0.1:8080; ':8080' listens on every\n"
    "                    interface, an explicit choice; port 0 picks a free one)\n"
    "  --wal DIR         the WAL directory (default ./driftq-wal), created if missing\n"
    "  --reset-wal       move an existing WAL directory aside (DIR.reset-N) and start empty\n";

struct Options {
    std::string host = "127.0.0.1";
    unsigned short port = 8080;
    std::string wal = "driftq-wal";
    bool reset_wal = false;
};

bool parse_addr(const std::string& text, Options& o) {
    const std::size_t colon = text.rfind(':');
    if (colon == std::string::npos) return false;
    const std::string host = text.substr(0, colon), port = text.substr(colon + 1);
    if (port.empty() || port.size() > 5 || port.find_first_not_of("0123456789") != std::string::npos) return false;
    const unsigned long p = std::stoul(port);
    if (p > 65535) return false;
    o.host = host.empty() ? "0.0.0.0" : host;
    o.port = static_cast<unsigned short>(p);
    return true;
}

// Returns 0 to go on, or the exit status.
int parse(int argc, char** argv, Options& o) {
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        const bool has_value = i + 1 < argc;
        if (a == "--help" || a == "-h") {
            std::fputs(kUsage, stdout);
            return -1;
        } else if (a == "--addr" && has_value) {
            if (!parse_addr(argv[++i], o)) {
                std::fprintf(stderr, "driftqd: --addr wants HOST:PORT or :PORT, got '%s'\n", argv[i]);
                return 2;
            }
        } else if (a == "--wal" && has_value) {
            o.wal = argv[++i];
        } else if (a == "--reset-wal") {
            o.reset_wal = true;
        } else {
            std::fprintf(stderr, "driftqd: unexpected '%s'\n\n%s", a.c_str(), kUsage);
            return 2;
        }
    }
    return 0;
}

std::string reset_wal(const std::string& dir) {
    namespace fs = std::filesystem;
    if (!fs::exists(dir)) return {};
    std::string aside;
    for (int n = 1; fs::exists(aside = dir + ".reset-" + std::to_string(n)); ++n) {}
    fs::rename(dir, aside);
    return aside;
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

driftq::TimeMs wall_ms() {
    using namespace std::chrono;
    return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

}  // namespace

int main(int argc, char** argv) {
    using namespace driftq;
    Options o;
    if (int rc = parse(argc, argv, o); rc != 0) return rc < 0 ? 0 : rc;
    std::string moved_to;
    if (o.reset_wal) moved_to = reset_wal(o.wal);
    auto storage = FileStorage::open(o.wal);
    if (!storage) {
        std::fprintf(stderr, "driftqd: cannot open the WAL directory %s: %s\n", o.wal.c_str(), storage.error().message.c_str());
        return 1;
    }
    auto broker = http::BrokerService::open(*storage.value(), BrokerOptions{}, WalOptions{}, wall_ms());
    if (!broker) {
        std::fprintf(stderr, "driftqd: the WAL in %s cannot be recovered: %s\n", o.wal.c_str(), broker.error().message.c_str());
        return 1;
    }
    const http::ServerInfo info;
    http::Handler handler = [&](const http::HttpRequest& request) {
        http::HttpResponse r = http::route(request, *broker.value(), info, wall_ms());
        const auto given = request.header("X-Request-Id");
        const std::string id(given ? trim(*given) : std::string_view{});
        r.set("X-Request-Id", id.empty() ? new_request_id() : id);
        return r;
    };
    std::unique_ptr<http::Server> server;
    try {
        server = std::make_unique<http::Server>(o.host, o.port, http::ServerLimits{}, handler);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "driftqd: cannot listen on %s:%u: %s\n", o.host.c_str(), o.port, e.what());
        return 1;
    }
    std::printf("driftqd listening on %s, WAL %s (%s%s)\n", server->address().c_str(), o.wal.c_str(),
                broker.value()->recovery_summary().c_str(), moved_to.empty() ? "" : ("; the old WAL moved to " + moved_to).c_str());
    std::fflush(stdout);
    server->run();
    std::printf("driftqd stopped\n");
    return 0;
}
