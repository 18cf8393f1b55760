// upstream's log lines (Go's log/slog on stderr): "broker starting", "WAL reset", "shutting
// down", "broker stopped", and the access log line "http" for every answer, with req_id, method,
// path, status, bytes, duration_ms and remote_ip, at Info (Error for a 5xx). Text or JSON, as
// --log-format says; --log-level drops the lines below it.
#pragma once

#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "native/driftqd/http_request.hpp"
#include "native/driftqd/server.hpp"

namespace driftq::http {

enum class LogLevel { debug, info, warn, error };
// upstream's parsing: debug|info|warn|warning|error, anything else is info.
LogLevel log_level(std::string_view text);

struct LogConfig {
    LogLevel level = LogLevel::info;
    bool json = false;
};

class AccessLog {
public:
    using Attrs = std::vector<std::pair<std::string, std::string>>;
    AccessLog(LogConfig config, std::string version, std::string commit);

    void info(std::string_view msg, const Attrs& attrs) { write(LogLevel::info, msg, attrs); }
    void write(LogLevel level, std::string_view msg, const Attrs& attrs);
    // A reply that logs the answer it carries as the "http" line.
    std::shared_ptr<Reply> wrap(const HttpRequest& request, std::shared_ptr<Reply> reply);

    // One line as slog writes it, at Unix time `unix_ms` (exposed for tests).
    std::string format(LogLevel level, std::string_view msg, const Attrs& attrs, std::int64_t unix_ms) const;

private:
    LogConfig config_;
    Attrs base_;  // service, version, commit
    std::mutex mutex_;
};

}  // namespace driftq::http
