#include "native/live_view.hpp"

#include <chrono>
#include <filesystem>

namespace driftq::viz {

namespace {

TimeMs wall_ms() {
    using namespace std::chrono;
    return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

bool split_addr(const std::string& text, std::string& host, unsigned short& port) {
    const std::size_t colon = text.rfind(':');
    if (colon == std::string::npos) return false;
    const std::string p = text.substr(colon + 1);
    if (p.empty() || p.size() > 5 || p.find_first_not_of("0123456789") != std::string::npos || std::stoul(p) > 65535) return false;
    host = text.substr(0, colon);  // "" listens on every interface
    if (host.size() > 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
    port = static_cast<unsigned short>(std::stoul(p));
    return true;
}

}  // namespace

Result<std::unique_ptr<LiveView>> LiveView::start(const std::string& addr, const std::string& wal_dir) {
    std::string host;
    unsigned short port = 0;
    if (!split_addr(addr, host, port)) return make_error(Errc::invalid_argument, "--listen wants HOST:PORT or :PORT, got '" + addr + "'");
    std::unique_ptr<LiveView> v(new LiveView());
    v->wal_dir_ = wal_dir;
    std::error_code ignored;
    std::filesystem::create_directories(wal_dir, ignored);
    auto storage = FileStorage::open(wal_dir);
    if (!storage) return storage.error();
    v->storage_ = std::move(storage.value());
    auto origin = http::clock_origin(wal_dir, wall_ms());
    if (!origin) return origin.error();
    v->options_.on_round = [p = v.get()](std::vector<sim::TimedCommand>&& applied, TimeMs now) { p->on_round(std::move(applied), now); };
    auto broker = http::LiveBroker::open(*v->storage_, origin.value(), v->options_, wall_ms);
    if (!broker) return broker.error();
    if (!broker.value()->recovery_summary().starts_with("0 records")) {
        return make_error(Errc::invalid_argument, "the live view replays its broker from empty, but " + wal_dir + " holds a WAL (" +
                                                      broker.value()->recovery_summary() + "): give --wal an empty directory");
    }
    v->broker_ = std::move(broker.value());
    http::ServerLimits limits;
    limits.handle_signals = false;
    try {
        v->server_ = std::make_unique<http::Server>(host, port, limits, [p = v.get()](const http::HttpRequest& r, std::shared_ptr<http::Reply> reply) {
            http::route(r, std::move(reply), *p->broker_, p->info_);
        });
    } catch (const std::exception& e) {
        return make_error(Errc::io_error, "cannot listen on " + addr + ": " + e.what());
    }
    v->server_->set_on_stop([p = v.get()] { p->broker_->stop(); });
    v->thread_ = std::thread([p = v.get()] { p->server_->run(); });
    return v;
}

LiveView::~LiveView() {
    if (server_) server_->stop();
    if (thread_.joinable()) thread_.join();
    if (broker_) broker_->stop();
}

void LiveView::on_round(std::vector<sim::TimedCommand>&& applied, TimeMs now) {
    std::lock_guard lock(mutex_);
    for (sim::TimedCommand& c : applied) pending_.commands.push_back(std::move(c));
    pending_.now = std::max(pending_.now, now);
}

ui::LiveSource::Batch LiveView::take() {
    std::lock_guard lock(mutex_);
    Batch out;
    out.commands.swap(pending_.commands);
    out.now = pending_.now;
    return out;
}

sim::Scenario LiveView::scenario() const {
    sim::Scenario s = http::live_scenario(options_);
    s.name = "live: driftqd on " + address();
    const std::string url = "http://" + address();
    s.lessons.push_back(ui::live_lesson(url));
    return s;
}

std::string LiveView::describe() const { return "driftqd on " + server_->address(); }

}  // namespace driftq::viz
