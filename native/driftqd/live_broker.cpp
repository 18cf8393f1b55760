#include "native/driftqd/live_broker.hpp"

#include <algorithm>
#include <cassert>
#include <charconv>
#include <chrono>
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <utility>
#include <nlohmann/json.hpp>

#include "native/driftqd/consume_item.hpp"

namespace driftq::http {

namespace {

using Kind = sim::Command::Kind;

sim::CommandResult stopped_result() {
    return sim::CommandResult{make_error(Errc::unsupported, "driftqd is shutting down"), {}};
}

// Streams the world's events to a file as NDJSON, flushed every round.
class TraceFile final : public EventSink {
public:
    explicit TraceFile(const std::string& path) : out_(path, std::ios::binary | std::ios::trunc) {}
    bool ok() const { return out_.good(); }
    void on_event(const Event& e) override { out_ << to_json(e) << '\n'; }
    void flush() { out_.flush(); }

private:
    std::ofstream out_;
};

}  // namespace

sim::Scenario live_scenario(const LiveOptions& o) {
    sim::Scenario s;
    s.name = "driftqd session";
    s.until_ms = 1'000'000'000;
    s.broker = o.broker;
    s.wal = o.wal;
    if (o.test_router) s.router.push_back(sim::RouterRule{"", "test-label", "", std::nullopt, {{"source", "router"}}});
    return s;
}

std::string live_scenario_head(const LiveOptions& o, TimeMs origin) {
    using json = nlohmann::ordered_json;
    const BrokerOptions& b = o.broker;
    json j = json::object();
    j["name"] = "driftqd session";
    j["description"] = "A driftqd session. Times are milliseconds since the WAL directory's clock origin, Unix time " +
                       std::to_string(origin) + " ms; envelope deadlines are on the same clock.";
    j["seed"] = 1;
    j["broker"] = {{"max_in_flight", b.max_in_flight},
                   {"ack_timeout_ms", b.ack_timeout_ms},
                   {"default_lease_ms", b.default_lease_ms},
                   {"tick_ms", b.tick_ms},
                   {"max_partition_messages", b.max_partition_messages},
                   {"max_partition_bytes", b.max_partition_bytes},
                   {"idempotency_window_ms", b.idempotency_window_ms},
                   {"commit_rule", b.commit_rule == CommitRule::highest_acked ? "highest_acked" : "contiguous"},
                   {"persist_topics", b.persist_topics},
                   {"failed_answer_creates_group", b.failed_answer_creates_group},
                   {"max_message_bytes", b.max_message_bytes},
                   {"max_partitions", b.max_partitions},
                   {"max_topic_name_bytes", b.max_topic_name_bytes},
                   {"max_last_error_bytes", b.max_last_error_bytes},
                   {"max_topics", b.max_topics},
                   {"max_group_partitions", b.max_group_partitions},
                   {"max_idempotency_records", b.max_idempotency_records}};
    j["wal"] = {{"durability", std::string(to_string(o.wal.durability))},
                {"segment_bytes", o.wal.segment_bytes},
                {"recovery", std::string(to_string(o.wal.recovery))}};
    json router = json::array();
    if (o.test_router) router.push_back({{"key_prefix", ""}, {"label", "test-label"}, {"meta", {{"source", "router"}}}});
    j["router"] = router;
    std::string text = j.dump(2);
    text.pop_back();  // the closing brace: the timeline follows
    while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
    return text;
}

Result<TimeMs> clock_origin(const std::string& dir, TimeMs now_unix_ms) {
    const std::string path = dir + "/CLOCK";
    std::ifstream in(path);
    if (in) {
        std::string line;
        std::getline(in, line);
        TimeMs v = 0;
        const auto [end, ec] = std::from_chars(line.data(), line.data() + line.size(), v);
        if (ec != std::errc{} || end != line.data() + line.size() || v < 0) {
            return make_error(Errc::corrupt_data, path + ": expected the clock origin in Unix milliseconds, found '" + line + "'");
        }
        return v;
    }
    // Written and synced, with its directory, before any WAL record depends on it.
    const std::string text = std::to_string(now_unix_ms) + "\n";
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    const bool written = fd >= 0 && ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()) && ::fsync(fd) == 0;
    if (fd >= 0) ::close(fd);
    const int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    const bool dir_synced = dfd >= 0 && ::fsync(dfd) == 0;
    if (dfd >= 0) ::close(dfd);
    if (!written || !dir_synced) return make_error(Errc::io_error, "cannot write " + path + ": " + std::strerror(errno));
    return now_unix_ms;
}

LiveBroker::LiveBroker(LiveOptions options, Clock clock, TimeMs origin)
    : options_(std::move(options)), clock_(std::move(clock)), origin_(origin) {}

Result<std::unique_ptr<LiveBroker>> LiveBroker::open(Storage& disk, TimeMs origin, LiveOptions options, Clock clock) {
    std::unique_ptr<LiveBroker> b(new LiveBroker(std::move(options), std::move(clock), origin));
    b->last_now_ = std::max<TimeMs>(0, b->clock_() - origin);
    sim::Scenario scenario = live_scenario(b->options_);
    // The thread syncs by itself (group commit): the WAL never syncs on its own.
    scenario.wal->durability = Durability::none;
    b->world_ = std::make_unique<sim::World>(std::move(scenario), disk, b->last_now_);
    if (!b->world_->broker()) {
        const auto& checks = b->world_->checks();
        return make_error(Errc::corrupt_data, checks.empty() ? "the broker did not start" : checks.back().observed);
    }
    const auto& rec = b->world_->last_recovery();
    b->recovery_summary_ = std::to_string(rec ? rec->records_recovered : 0) + " records replayed";
    if (rec) {
        for (const std::string& i : rec->issues) b->recovery_summary_ += "; " + i;
    }
    if (!b->options_.record_path.empty()) {
        if (rec && rec->records_recovered > 0) {
            return make_error(Errc::invalid_argument,
                              "--record needs an empty WAL (a recording replays from an empty broker): add --reset-wal or choose a new --wal directory");
        }
        auto r = Recorder::create(b->options_.record_path, live_scenario_head(b->options_, origin));
        if (!r) return r.error();
        b->recorder_ = std::move(r.value());
    }
    if (!b->options_.trace_path.empty()) {
        auto t = std::make_unique<TraceFile>(b->options_.trace_path);
        if (!t->ok()) return make_error(Errc::io_error, "cannot create " + b->options_.trace_path);
        b->world_->add_sink(t.get());
        b->trace_ = std::move(t);
    }
    b->world_->keep_trace(false);
    b->world_->keep_applied(false);
    b->world_->keep_checks(false);  // nobody checks a live broker: keep only its state
    b->world_->set_delivery_listener([p = b.get()](std::size_t c, const Delivery& d) { p->on_delivery(c, d); });
    b->thread_ = std::thread([p = b.get()] { p->run(); });
    return b;
}

LiveBroker::~LiveBroker() { stop(); }

void LiveBroker::apply(sim::Command command, Done done) {
    std::unique_lock lock(mutex_);
    if (stopping_) {
        lock.unlock();
        done(stopped_result());
        return;
    }
    queue_.push_back(Job{std::move(command), std::move(done), nullptr, nullptr});
    wake_.notify_one();
}

void LiveBroker::subscribe(sim::Command command, std::shared_ptr<StreamFeed> feed, Done done) {
    assert(command.kind == Kind::subscribe);
    std::unique_lock lock(mutex_);
    if (stopping_) {
        lock.unlock();
        done(stopped_result());
        return;
    }
    queue_.push_back(Job{std::move(command), std::move(done), std::move(feed), nullptr});
    wake_.notify_one();
}

void LiveBroker::inspect(std::function<void(const sim::World&)> read) {
    std::unique_lock lock(mutex_);
    if (stopped_) return;  // the world is gone; the caller's reply is dropped with the connection
    queue_.push_back(Job{std::nullopt, nullptr, nullptr, std::move(read)});
    wake_.notify_one();
}

void LiveBroker::stop() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
        wake_.notify_one();
    }
    if (thread_.joinable()) thread_.join();
}

LiveBroker::Stats LiveBroker::stats() const {
    std::lock_guard lock(mutex_);
    return stats_;
}

TimeMs LiveBroker::core_now() {
    last_now_ = std::max(last_now_, clock_() - origin_);
    return last_now_;
}

std::chrono::milliseconds LiveBroker::until_next_wake() {
    TimeMs wait = 1000;
    if (const auto next = world_->next_time()) wait = std::clamp<TimeMs>(*next - core_now(), 0, 1000);
    if (options_.wal.durability == Durability::batch && world_->wal_appended() > world_->wal_durable()) {
        wait = std::min<TimeMs>(wait, options_.wal.batch_max_delay_ms);
    }
    return std::chrono::milliseconds(wait);
}

void LiveBroker::run() {
    std::vector<Job> jobs;
    for (;;) {
        bool last = false;
        {
            std::unique_lock lock(mutex_);
            wake_.wait_for(lock, until_next_wake(), [&] { return !queue_.empty() || stopping_; });
            jobs.swap(queue_);
            last = stopping_;
            ++stats_.rounds;
        }
        round(jobs);
        jobs.clear();
        if (last) break;
    }
    finish();
}

void LiveBroker::round(std::vector<Job>& jobs) {
    world_->run_until(core_now());
    struct Answer {
        Done done;
        sim::CommandResult result;
    };
    std::vector<Answer> answers;
    answers.reserve(jobs.size());
    for (Job& job : jobs) {
        if (job.read) {
            job.read(*world_);
            continue;
        }
        sim::Command& c = *job.command;
        std::shared_ptr<StreamFeed> feed = job.feed;
        if (c.kind == Kind::subscribe) {
            if (streams_.size() >= options_.max_streams) {
                Error busy = make_error(Errc::too_large, "too many consume streams (at most " + std::to_string(options_.max_streams) + ", --max-streams)");
                busy.reason = "max_streams";  // a 429: it may succeed once a stream ends
                answers.push_back({std::move(job.done), {std::move(busy), {}}});
                continue;
            }
            c.consumer = "http-" + std::to_string(next_consumer_++);
            c.behaviour = sim::ConsumerBehaviour::manual;
            // Register the stream before applying: the subscribe itself may deliver at once.
            streams_[world_->consumers().size()] = Stream{feed, c.consumer, {}};
        }
        sim::CommandResult r = apply_now(c);
        if (c.kind == Kind::subscribe && !r.ok()) streams_.erase(world_->consumers().size());
        if (c.kind == Kind::subscribe && r.ok()) {
            const std::size_t index = world_->consumers().size() - 1;
            // From the connection's thread when its client goes: unsubscribe on the next round.
            feed->set_on_client_gone([this, index] {
                std::lock_guard lock(mutex_);
                if (stopping_) return;
                queue_.push_back(Job{std::nullopt, nullptr, nullptr, [this, index](const sim::World&) { unsubscribe_now(index); }});
                wake_.notify_one();
            });
        }
        answers.push_back({std::move(job.done), std::move(r)});
    }
    const bool wrote = world_->wal_appended() > world_->wal_durable();
    const bool sync_now = options_.wal.durability == Durability::always ||
                          (options_.wal.durability == Durability::batch && core_now() - last_sync_at_ >= options_.wal.batch_max_delay_ms);
    if (wrote && sync_now) {
        if (Status s = world_->sync_wal(); !s) {
            // The WAL refuses every later write; this round's changes are not durable.
            for (Answer& a : answers) {
                if (a.result.ok()) a.result = sim::CommandResult{make_error(Errc::io_error, "fsync WAL: " + s.message()), {}};
            }
        }
        last_sync_at_ = core_now();
        std::lock_guard lock(mutex_);
        ++stats_.syncs;
    }
    // A live view hears of the round before its clients: what a client was told, it can see.
    if (options_.on_round) options_.on_round(std::exchange(round_applied_, {}), world_->now());
    for (Answer& a : answers) {
        if (a.done) a.done(a.result);
    }
    hand_out_deliveries();
    if (recorder_) (void)recorder_->flush(world_->now());
    if (auto* t = static_cast<TraceFile*>(trace_.get())) t->flush();
    std::lock_guard lock(mutex_);
    stats_.commands += answers.size();
    stats_.streams_open = streams_.size();
}

sim::CommandResult LiveBroker::apply_now(const sim::Command& command) {
    sim::CommandResult r = world_->apply(command);
    if (recorder_ || options_.on_round) {
        sim::TimedCommand entry{world_->now(), command, r.text(), {}};
        if (recorder_) recorder_->add(entry);
        if (options_.on_round) round_applied_.push_back(std::move(entry));
    }
    return r;
}

void LiveBroker::on_delivery(std::size_t consumer, const Delivery& d) {
    auto it = streams_.find(consumer);
    if (it == streams_.end()) return;
    it->second.staged.push_back(consume_item_json(d, origin_));
}

void LiveBroker::hand_out_deliveries() {
    std::vector<std::size_t> overflowed;
    for (auto& [index, s] : streams_) {
        for (std::string& line : s.staged) {
            if (!s.feed->push(std::move(line))) {
                overflowed.push_back(index);
                break;
            }
        }
        s.staged.clear();
    }
    for (std::size_t index : overflowed) {
        // A feed also refuses lines once its client has gone: only an overflow is counted.
        if (streams_.at(index).feed->overflowed()) {
            std::lock_guard lock(mutex_);
            ++stats_.streams_overflowed;
        }
        unsubscribe_now(index);
    }
}

void LiveBroker::unsubscribe_now(std::size_t index) {
    auto it = streams_.find(index);
    if (it == streams_.end()) return;
    sim::Command u;
    u.kind = Kind::unsubscribe;
    u.consumer = it->second.consumer;
    it->second.feed->end();
    streams_.erase(it);
    world_->run_until(core_now());
    (void)apply_now(u);
}

void LiveBroker::finish() {
    world_->run_until(core_now());
    while (!streams_.empty()) unsubscribe_now(streams_.begin()->first);
    (void)world_->sync_wal();
    if (recorder_) (void)recorder_->flush(world_->now());
    if (auto* t = static_cast<TraceFile*>(trace_.get())) t->flush();
    if (options_.on_round) options_.on_round(std::exchange(round_applied_, {}), world_->now());
    std::vector<Job> late;
    {
        std::lock_guard lock(mutex_);
        stopped_ = true;
        late.swap(queue_);
    }
    for (Job& j : late) {
        if (j.done) j.done(stopped_result());
    }
}

}  // namespace driftq::http
