#include "sim/session.hpp"

#include <algorithm>
#include <cassert>

namespace driftq::sim {

// Appends the events of new history to the current branch's log. Events the world emits while
// it replays known history are already there (determinism asserts they are the same).
class Session::LogSink final : public EventSink {
public:
    explicit LogSink(Session& s) : session_(s) {}
    void on_event(const Event& e) override {
        EventLog& log = session_.current().log;
        if (e.seq <= log.size()) {
            assert(log[e.seq - 1] == e && "a replay must repeat its history exactly");
            return;
        }
        assert(e.seq == log.size() + 1);
        session_.count(e);
        log.push_back(e);
    }

private:
    Session& session_;
};

Session::Session(Scenario base, SessionOptions options)
    : base_(std::move(base)), options_(options), sink_(std::make_unique<LogSink>(*this)) {
    Branch& main = branches_.emplace_back();
    main.info.name = "main";
    auto w = std::make_unique<World>(base_);
    for (const Event& e : w->trace()) {  // what construction emitted
        count(e);
        main.log.push_back(e);
    }
    w->keep_trace(false);
    main.snapshots.push_back(Snapshot{0, 0, w->event_count(), w->snapshot()});
    adopt(std::move(w));
}

Session::~Session() = default;

void Session::adopt(std::unique_ptr<World> w) {
    world_ = std::move(w);
    world_->keep_trace(false);
    world_->add_sink(sink_.get());
}

const EventLog& Session::log() const { return current().log; }
TimeMs Session::head_time() const { return current().info.head; }
const std::vector<TimedCommand>& Session::commands() const { return current().commands; }

bool Session::at_head() const {
    return world_->now() >= head_time() && next_command_ == current().commands.size();
}

std::size_t Session::snapshot_count() const {
    std::size_t n = 0;
    for (const Branch& b : branches_) n += b.snapshots.size();
    return n;
}

void Session::after_step() {
    Branch& b = current();
    // A snapshot every N events past the branch's last one; on known ground before it there are
    // snapshots already.
    if (world_->event_count() >= b.snapshots.back().events + options_.events_per_snapshot) {
        b.snapshots.push_back(Snapshot{world_->now(), next_command_, world_->event_count(), world_->snapshot()});
    }
    keep_recent();
}

std::uint64_t Session::events_through(TimeMs t) const {
    const EventLog& log = current().log;
    std::size_t lo = 0, hi = log.size();
    while (lo < hi) {
        const std::size_t mid = lo + (hi - lo) / 2;
        if (log[mid].at <= t) lo = mid + 1;
        else hi = mid;
    }
    return lo;
}

void Session::advance_to(TimeMs t) {
    Branch& b = current();
    // Recent snapshots only where a step back from t may need them: the last stretch before it
    // (on known ground), or t itself (past the head, where nothing tells how far t is).
    const std::uint64_t gap = options_.events_per_recent_snapshot;
    const std::uint64_t target = t <= b.info.head ? events_through(t) : UINT64_MAX;
    recent_from_ = target == UINT64_MAX ? UINT64_MAX : target - std::min(target, 2 * gap);
    for (;;) {
        const bool command_due =
            next_command_ < b.commands.size() && b.commands[next_command_].at <= t;
        const TimeMs limit = command_due ? b.commands[next_command_].at : t;
        for (;;) {
            const std::optional<TimeMs> next = world_->next_time();
            if (!next || *next > limit) break;
            sample_before(*next);
            // False when only checks of `limit` itself are due: they wait for time to move past.
            if (!world_->advance_one(limit)) break;
            after_step();
        }
        sample_before(limit);
        world_->run_until(limit);
        if (!command_due) break;
        (void)world_->apply(b.commands[next_command_].command);
        ++next_command_;
        after_step();
    }
    b.info.head = std::max(b.info.head, t);
    recent_from_ = 0;
    keep_recent();
}

const Session::Snapshot& Session::latest_snapshot(const Branch& b, TimeMs t) {
    // The first snapshot (time 0, nothing applied) always qualifies.
    auto it = std::upper_bound(b.snapshots.begin(), b.snapshots.end(), t,
                               [](TimeMs v, const Snapshot& s) { return v < s.at; });
    assert(it != b.snapshots.begin());
    return *std::prev(it);
}

void Session::keep_recent() {
    const std::uint64_t events = world_->event_count();
    if (events < recent_from_) return;
    const std::uint64_t gap = options_.events_per_recent_snapshot;
    auto by_events = [](std::uint64_t e, const Snapshot& s) { return e < s.events; };
    // Only where no snapshot (kept or recent) is near before, and no recent one near after.
    const auto& kept = current().snapshots;
    auto k = std::upper_bound(kept.begin(), kept.end(), events, by_events);
    std::uint64_t before = k == kept.begin() ? 0 : std::prev(k)->events;
    auto after = std::upper_bound(recent_.begin(), recent_.end(), events, by_events);
    if (after != recent_.begin()) before = std::max(before, std::prev(after)->events);
    if (events < before + gap) return;
    if (after != recent_.end() && after->events < events + gap / 2) return;
    recent_.insert(after, Snapshot{world_->now(), next_command_, events, world_->snapshot()});
    if (recent_.size() > options_.recent_snapshots) {
        // Drop the one farthest from here: the first or the last.
        const std::uint64_t to_first = events - std::min(events, recent_.front().events);
        const std::uint64_t to_last = recent_.back().events - std::min(recent_.back().events, events);
        recent_.erase(to_first >= to_last ? recent_.begin() : std::prev(recent_.end()));
    }
}

const Session::Snapshot& Session::best_snapshot(TimeMs t) const {
    const std::uint64_t lo = events_through(t);
    // Start at least half a recent-snapshot gap before t where there is such a snapshot: a
    // step back from t then finds one before it instead of crossing it and replaying from the
    // snapshot before that (the replay to t leaves recent snapshots on the way).
    const std::uint64_t margin = options_.events_per_recent_snapshot / 2;
    const Snapshot* best = nullptr;
    const Snapshot* fallback = nullptr;
    auto consider = [&](const Snapshot& c) {
        if (c.at > t) return;
        if (!fallback || c.events > fallback->events) fallback = &c;
        if (c.events + margin <= lo && (!best || c.events > best->events)) best = &c;
    };
    for (const Snapshot& c : current().snapshots) consider(c);
    for (const Snapshot& c : recent_) consider(c);
    assert(fallback && "the first snapshot (time 0) always qualifies");
    return best ? *best : *fallback;
}

void Session::restore(TimeMs t) {
    const Snapshot& s = best_snapshot(t);
    adopt(s.world->snapshot());
    next_command_ = s.commands_applied;
}

void Session::run_until(TimeMs t) {
    if (t < world_->now()) return seek(t);
    advance_to(t);
}

void Session::seek(TimeMs t) {
    t = std::max<TimeMs>(t, 0);
    // Back, or forward past a snapshot: start from the snapshot instead of replaying from here.
    if (t < world_->now() || best_snapshot(t).events > world_->event_count()) restore(t);
    advance_to(t);
}

bool Session::step_event() {
    const std::uint64_t before = world_->event_count();
    const TimeMs end = base_.until_ms;
    const bool before_end = world_->now() < end;
    // Idle instants (a tick with nothing due) emit nothing; keep going until something happens.
    for (int i = 0; i < 1'000'000 && world_->event_count() == before; ++i) {
        std::optional<TimeMs> next = world_->next_time();
        const Branch& b = current();
        if (next_command_ < b.commands.size()) {
            const TimeMs c = b.commands[next_command_].at;
            next = next ? std::min(*next, c) : c;
        }
        if (!next) {
            // Nothing scheduled ever again: the end is the one place left to go.
            if (!before_end) return false;
            advance_to(end);
            return true;
        }
        TimeMs to = *next;
        if (to <= world_->now()) {
            // Due now: tasks not run yet, or only the checks held until time moves past now.
            advance_to(world_->now());
            if (world_->event_count() != before) break;
            to = world_->now() + 1;  // only held checks: move past them
        }
        // The end is worth a stop of its own: the end-of-run checks resolve there.
        if (before_end && to > end) to = end;
        advance_to(to);
        if (before_end && world_->now() == end) return true;
    }
    return world_->event_count() > before;
}

void Session::step_event_back() {
    // The latest visible event strictly before now() (times are integers).
    const std::uint64_t before = std::min(events_through(world_->now() - 1), world_->event_count());
    seek(before == 0 ? 0 : current().log[static_cast<std::size_t>(before - 1)].at);
}

void Session::step_tick() { run_until(world_->now() + base_.broker.tick_ms); }
void Session::step_tick_back() { seek(world_->now() - base_.broker.tick_ms); }

void Session::fork() {
    Branch& from = current();
    Branch nb;
    nb.info.id = static_cast<int>(branches_.size());
    nb.info.parent = current_;
    nb.info.fork_at = world_->now();
    nb.info.head = world_->now();
    nb.info.name = "branch " + std::to_string(nb.info.id) + " (from " + from.info.name + " at " +
                   std::to_string(world_->now()) + " ms)";
    nb.commands.assign(from.commands.begin(), from.commands.begin() + static_cast<std::ptrdiff_t>(next_command_));
    for (const Snapshot& s : from.snapshots) {
        if (s.events <= world_->event_count() && s.commands_applied <= next_command_ && s.at <= world_->now()) {
            nb.snapshots.push_back(s);
        }
    }
    nb.log = from.log;
    nb.log.truncate(static_cast<std::size_t>(world_->event_count()));
    nb.fork_events = world_->event_count();
    nb.series = from.series;
    for (auto& [key, series] : nb.series) series.truncate(world_->now());
    const TimeMs tick = std::max<TimeMs>(1, base_.broker.tick_ms);
    // The last grid point before the fork (none at time 0): the fork's own state is sampled after.
    const TimeMs before_fork = world_->now() <= 0 ? -1 : (world_->now() - 1) / tick * tick;
    nb.sampled_until = std::min(from.sampled_until, before_fork);
    recount_since_sample(nb);
    branches_.push_back(std::move(nb));
    current_ = static_cast<int>(branches_.size()) - 1;
    recent_.clear();  // they belong to the old branch's future
}

CommandResult Session::apply(const Command& command) {
    if (!at_head() || (first_branch_kept_ && current_ == 0)) fork();
    if (world_->now() <= base_.until_ms) current().end_checks.reset();
    CommandResult r = world_->apply(command);
    Branch& b = current();
    b.commands.push_back(TimedCommand{world_->now(), command, r.text(), {}});
    next_command_ = b.commands.size();
    after_step();
    return r;
}

void Session::extend(const TimedCommand& command) {
    Branch& live = branches_.front();
    assert((live.commands.empty() || live.commands.back().at <= command.at) && "commands arrive in time order");
    assert((current_ != 0 || world_->now() <= command.at) && "the view never runs ahead of the live broker");
    live.commands.push_back(command);
}

const std::vector<CheckResult>* Session::end_checks() const {
    const TimeMs end = base_.until_ms;
    if (end <= 0 || world_->now() < end) return nullptr;
    const Branch& b = current();
    if (!b.end_checks) {
        // A copy at the end, finished there: the world on screen keeps running past it untouched.
        std::unique_ptr<World> w = world_->now() == end ? world_->snapshot() : world_at(current_, end);
        w->finish();
        b.end_checks = w->checks();
    }
    return &*b.end_checks;
}

std::vector<Session::BranchInfo> Session::branches() const {
    std::vector<BranchInfo> out;
    for (const Branch& b : branches_) {
        BranchInfo i = b.info;
        i.commands = b.commands.size();
        out.push_back(std::move(i));
    }
    return out;
}

void Session::switch_branch(int id) {
    assert(id >= 0 && static_cast<std::size_t>(id) < branches_.size());
    if (id == current_) return;
    const TimeMs t = std::min(world_->now(), branches_[static_cast<std::size_t>(id)].info.head);
    current_ = id;
    recent_.clear();
    restore(t);
    advance_to(t);
}

Session::Divergence Session::compare(int a, int b) const {
    const EventLog& la = branches_[static_cast<std::size_t>(a)].log;
    const EventLog& lb = branches_[static_cast<std::size_t>(b)].log;
    const std::size_t n = std::min(la.size(), lb.size());
    std::size_t i = 0;
    // Shared chunks are the same history: skip them whole.
    while (i + EventLog::chunk_size() <= n && la.shares_chunk(lb, i / EventLog::chunk_size())) {
        i += EventLog::chunk_size();
    }
    for (; i < n; ++i) {
        if (!(la[i] == lb[i])) return Divergence{true, i + 1, la[i], lb[i]};
    }
    if (la.size() == lb.size()) return {};
    Divergence d{true, n + 1, std::nullopt, std::nullopt};
    if (n < la.size()) d.a = la[n];
    if (n < lb.size()) d.b = lb[n];
    return d;
}

void Session::replay(World& w, const Branch& b, std::size_t& next_command, TimeMs t) {
    while (next_command < b.commands.size() && b.commands[next_command].at <= t) {
        w.run_until(b.commands[next_command].at);
        (void)w.apply(b.commands[next_command].command);
        ++next_command;
    }
    w.run_until(t);
}

std::unique_ptr<World> Session::world_at(int id, TimeMs t) const {
    const Branch& b = branches_[static_cast<std::size_t>(id)];
    const Snapshot& s = latest_snapshot(b, t);
    auto w = s.world->snapshot();
    std::size_t next = s.commands_applied;
    replay(*w, b, next, t);
    return w;
}

namespace {

// Adds an event to the produced/acked counts of the interval being sampled.
void count_rate(std::map<SeriesKey, std::int64_t>& counts, const Event& e) {
    if (e.kind == EventKind::produced) ++counts[SeriesKey{SeriesKey::Metric::produced, e.topic, "", e.partition}];
    if (e.kind == EventKind::acked) ++counts[SeriesKey{SeriesKey::Metric::acked, e.topic, e.group, e.partition}];
}

}  // namespace

void Session::count(const Event& e) {
    Branch& b = current();
    if (e.offset >= 0 && !e.topic.empty()) {
        b.index[MessageRef{e.topic, e.partition, e.offset}].push_back(e.seq);
    }
    count_rate(b.counts, e);
}

void Session::recount_since_sample(Branch& b) const {
    b.counts.clear();
    for (std::size_t i = b.log.size(); i > 0 && b.log[i - 1].at > b.sampled_until; --i) count_rate(b.counts, b.log[i - 1]);
}

void Session::sample_before(TimeMs x) {
    Branch& b = current();
    const TimeMs tick = std::max<TimeMs>(1, base_.broker.tick_ms);
    const TimeMs g = b.sampled_until < 0 ? 0 : b.sampled_until + tick;
    if (g >= x) return;
    auto series = [&](const SeriesKey& k) -> Series& {
        auto it = b.series.find(k);
        if (it == b.series.end()) it = b.series.emplace(k, Series(0, tick, 2048)).first;
        return it->second;
    };
    if (const Broker* broker = world_->broker()) {  // while the broker is down its gauges stop
        for (const PartitionGauge& p : broker->metrics().partitions) {
            series(SeriesKey{SeriesKey::Metric::lag, p.topic, p.group, p.partition}).add(g, p.lag);
            series(SeriesKey{SeriesKey::Metric::in_flight, p.topic, p.group, p.partition}).add(g, p.in_flight);
        }
    }
    const TimeMs last = g + (x - 1 - g) / tick * tick;
    for (auto& [key, n] : b.counts) series(key).add(g, n);
    // Counts are per interval: a counted series with nothing new gets a 0, and so do the later
    // grid points of this stretch (a gauge, above, holds its value instead).
    for (auto& [key, s] : b.series) {
        const bool counted = key.metric == SeriesKey::Metric::produced || key.metric == SeriesKey::Metric::acked;
        if (!counted) continue;
        if (!b.counts.count(key)) s.add(g, 0);
        if (last > g) s.add(g + tick, 0);
    }
    b.counts.clear();
    b.sampled_until = last;
}

const std::map<SeriesKey, Series>& Session::series() const { return current().series; }

std::vector<std::uint64_t> Session::biography(const MessageRef& message) const {
    std::vector<std::uint64_t> out;
    // Walk up to the first branch; each contributes what it logged itself, up to the child's fork.
    std::uint64_t limit = UINT64_MAX;
    for (int id = current_; id >= 0;) {
        const Branch& b = branches_[static_cast<std::size_t>(id)];
        if (auto it = b.index.find(message); it != b.index.end()) {
            for (std::uint64_t seq : it->second) {
                if (seq <= limit) out.push_back(seq);
            }
        }
        limit = std::min(limit, b.fork_events);
        id = b.info.parent;
    }
    std::sort(out.begin(), out.end());
    return out;
}

Scenario Session::scenario_of(int id) const {
    assert(id >= 0 && static_cast<std::size_t>(id) < branches_.size());
    const Branch& b = branches_[static_cast<std::size_t>(id)];
    Scenario s = base_;
    // Stable merge by time: at equal times the base's own entries ran first (they are scheduled
    // as the run starts), then the person's commands in the order applied.
    for (const TimedCommand& c : b.commands) s.timeline.push_back(c);
    std::stable_sort(s.timeline.begin(), s.timeline.end(),
                     [](const TimedCommand& x, const TimedCommand& y) { return x.at < y.at; });
    // The whole lesson still runs (a session that stopped early keeps the file's length); a
    // session that went further runs to where it went.
    s.until_ms = std::max(base_.until_ms, b.info.head);
    return s;
}

}  // namespace driftq::sim
