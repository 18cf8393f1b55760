#include "native/driftqd/access_log.hpp"

#include <cstdio>
#include <ctime>

#include "native/driftqd/go_json.hpp"
#include "native/driftqd/http_response.hpp"

namespace driftq::http {

namespace {

std::string_view level_name(LogLevel l) {
    switch (l) {
        case LogLevel::debug: return "DEBUG";
        case LogLevel::info: return "INFO";
        case LogLevel::warn: return "WARN";
        case LogLevel::error: return "ERROR";
    }
    return "INFO";
}

bool numeric(std::string_view key) { return key == "status" || key == "bytes" || key == "duration_ms"; }

// slog's text values: quoted (Go syntax) when empty or holding space, '=', '"' or a control byte.
std::string text_value(const std::string& v) {
    bool quote = v.empty();
    for (unsigned char c : v) quote = quote || c <= ' ' || c == '=' || c == '"' || c == 0x7F;
    if (!quote) return v;
    std::string out = "\"";
    for (char c : v) {
        if (c == '"' || c == '\\') out += '\\';
        out += c;
    }
    return out + "\"";
}

std::string timestamp(std::int64_t unix_ms) {
    const std::time_t t = static_cast<std::time_t>(unix_ms / 1000);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[40];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
    char ms[8];
    std::snprintf(ms, sizeof ms, ".%03d", static_cast<int>(unix_ms % 1000));
    return std::string(buf) + ms + "Z";
}

std::int64_t now_ms() {
    using namespace std::chrono;
    return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

class LoggedReply final : public Reply {
public:
    LoggedReply(AccessLog& log, std::shared_ptr<Reply> inner, const HttpRequest& r)
        : log_(log), inner_(std::move(inner)), method_(r.method), path_(r.path()), remote_(r.remote_ip),
          start_(std::chrono::steady_clock::now()) {}
    void send(HttpResponse r) override {
        note(r, r.status == 204 || r.status == 304 ? 0 : r.body.size());
        inner_->send(std::move(r));
    }
    void stream(HttpResponse head, std::shared_ptr<StreamFeed> feed) override {
        note(head, 0);  // logged when the stream starts
        inner_->stream(std::move(head), std::move(feed));
    }

private:
    void note(const HttpResponse& r, std::size_t bytes) {
        const std::string* id = r.find("X-Request-Id");
        const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start_).count();
        log_.write(r.status >= 500 ? LogLevel::error : LogLevel::info, "http",
                   {{"req_id", id ? *id : ""}, {"method", method_}, {"path", path_}, {"status", std::to_string(r.status)},
                    {"bytes", std::to_string(bytes)}, {"duration_ms", std::to_string(ms)}, {"remote_ip", remote_}});
    }
    AccessLog& log_;
    std::shared_ptr<Reply> inner_;
    std::string method_, path_, remote_;
    std::chrono::steady_clock::time_point start_;
};

}  // namespace

LogLevel log_level(std::string_view t) {
    if (t == "debug") return LogLevel::debug;
    if (t == "warn" || t == "warning") return LogLevel::warn;
    if (t == "error") return LogLevel::error;
    return LogLevel::info;
}

AccessLog::AccessLog(LogConfig config, std::string version, std::string commit)
    : config_(config), base_{{"service", "driftqd"}, {"version", std::move(version)}, {"commit", std::move(commit)}} {}

std::string AccessLog::format(LogLevel level, std::string_view msg, const Attrs& attrs, std::int64_t unix_ms) const {
    std::string line;
    if (config_.json) {
        line = "{\"time\":" + go_json_string(timestamp(unix_ms)) + ",\"level\":" + go_json_string(level_name(level)) +
               ",\"msg\":" + go_json_string(msg);
        auto put = [&](const auto& kv) {
            line += "," + go_json_string(kv.first) + ":" + (numeric(kv.first) ? kv.second : go_json_string(kv.second));
        };
        for (const auto& kv : base_) put(kv);
        for (const auto& kv : attrs) put(kv);
        return line + "}\n";
    }
    line = "time=" + timestamp(unix_ms) + " level=" + std::string(level_name(level)) + " msg=" + text_value(std::string(msg));
    for (const auto& [k, v] : base_) line += " " + k + "=" + text_value(v);
    for (const auto& [k, v] : attrs) line += " " + k + "=" + text_value(v);
    return line + "\n";
}

void AccessLog::write(LogLevel level, std::string_view msg, const Attrs& attrs) {
    if (level < config_.level) return;
    const std::string line = format(level, msg, attrs, now_ms());
    std::lock_guard lock(mutex_);
    std::fwrite(line.data(), 1, line.size(), stderr);
}

std::shared_ptr<Reply> AccessLog::wrap(const HttpRequest& request, std::shared_ptr<Reply> reply) {
    if (config_.level > LogLevel::info) return reply;  // "http" lines are Info: skip the wrapper
    return std::make_shared<LoggedReply>(*this, std::move(reply), request);
}

}  // namespace driftq::http
