// The simulated world: construction, snapshots, the scheduler and the event bookkeeping.
// Actors live in world_actors.cpp, commands and faults in world_commands.cpp, checks in checks.cpp.
#include "sim/world.hpp"

#include <algorithm>
#include <cassert>
#include <map>

namespace driftq::sim {

// Collects the broker's events into the world's trace, numbered across broker restarts.
class World::Sink final : public EventSink {
public:
    explicit Sink(World& w) : world_(w) {}
    void on_event(const Event& e) override { world_.on_event(e); }

private:
    World& world_;
};

World::World(Scenario scenario) : World(std::move(scenario), nullptr, 0) {}

World::World(Scenario scenario, Storage& disk, TimeMs start) : World(std::move(scenario), &disk, start) {}

World::World(Scenario scenario, Storage* disk, TimeMs start)
    : scenario_(std::make_shared<const Scenario>(std::move(scenario))), rng_(scenario_->seed), now_(start),
      sink_(std::make_unique<Sink>(*this)) {
    if (disk) disk_ = disk;
    for (const ConsumerSpec& c : scenario_->consumers) {
        consumer_names_.emplace(c.name, consumers_.size());  // the first of a name, as before
        consumers_.push_back(Consumer{c});
    }
    start_broker();
    for (const TopicSpec& t : scenario_->topics) {
        if (Status s = broker_->create_topic(t.name, t.partitions, 0); !s) {
            record("topic " + t.name, false, s.message());
        }
    }
    for (std::size_t i = 0; i < scenario_->producers.size(); ++i) {
        const ProducerSpec& p = scenario_->producers[i];
        for (std::size_t m = 0; m < p.messages.size(); ++m) {
            schedule(Task{p.messages[m].at, 0, Task::Kind::produce_explicit, static_cast<int>(i),
                          static_cast<std::int64_t>(m)});
        }
        if (p.count > 0) schedule(Task{p.start_ms, 0, Task::Kind::produce, static_cast<int>(i), 0});
    }
    for (std::size_t i = 0; i < scenario_->consumers.size(); ++i) {
        const ConsumerSpec& c = scenario_->consumers[i];
        const int idx = static_cast<int>(i);
        schedule(Task{c.join_at, 0, Task::Kind::join, idx});
        if (c.leave_at) schedule(Task{*c.leave_at, 0, Task::Kind::leave, idx});
        if (c.crash_at) schedule(Task{*c.crash_at, 0, Task::Kind::crash, idx});
        if (c.rejoin_at) schedule(Task{*c.rejoin_at, 0, Task::Kind::join, idx});
    }
    for (std::size_t i = 0; i < scenario_->timeline.size(); ++i) {
        schedule(Task{scenario_->timeline[i].at, 0, Task::Kind::command, static_cast<int>(i)});
    }
    for (std::size_t i = 0; i < scenario_->expectations.size(); ++i) {
        const Expectation& x = scenario_->expectations[i];
        if (x.at) schedule(Task{*x.at, 0, Task::Kind::check, static_cast<int>(i)});
    }
}

World::World(const World& o, CopyTag)
    : scenario_(o.scenario_),
      rng_(o.rng_),
      now_(o.now_),
      next_seq_(o.next_seq_),
      queue_(o.queue_),
      sink_(std::make_unique<Sink>(*this)),
      storage_(o.storage_),
      journaled_(o.journaled_),
      damaged_since_crash_(o.damaged_since_crash_),
      generation_(o.generation_),
      crash_appended_(o.crash_appended_),
      crash_durable_(o.crash_durable_),
      last_recovery_(o.last_recovery_),
      consumers_(o.consumers_),
      consumer_names_(o.consumer_names_),
      streaming_(o.streaming_),
      applied_(o.applied_),
      stepped_at_(o.stepped_at_),
      keep_trace_(o.keep_trace_),
      keep_checks_(o.keep_checks_),
      event_count_(o.event_count_),
      trace_base_(o.event_count_),
      checks_(o.checks_),
      zipf_cdf_(o.zipf_cdf_),
      created_topics_(o.created_topics_),
      max_committed_(o.max_committed_),
      produced_(o.produced_),
      durable_produced_(o.durable_produced_),
      last_first_delivery_(o.last_first_delivery_),
      side_effects_(o.side_effects_),
      stats_(o.stats_),
      order_violations_(o.order_violations_),
      duplicate_effects_(o.duplicate_effects_) {
    if (o.wal_) wal_ = o.wal_->clone(storage_);
    if (o.broker_) {
        broker_ = std::make_unique<Broker>(*o.broker_);
        broker_->set_event_sink(sink_.get());
        bind_journal();
    }
}

Status World::RecordingJournal::write(const WalRecord& record, TimeMs now) {
    assert(wal);
    Status s = wal->write(record, now);
    if (s && log) log->push_back(record);
    return s;
}

void World::bind_journal() {
    if (!wal_ || !broker_) return;
    journal_.wal = wal_.get();
    journal_.log = keep_checks_ && wants(Invariant::replay_equals_durable_state) ? &journaled_ : nullptr;
    broker_->set_journal(&journal_);
}

std::unique_ptr<World> World::snapshot() const {
    assert(!live_disk() && "a world on real files has no copyable disk");
    return std::unique_ptr<World>(new World(*this, CopyTag{}));
}

WalView World::wal_view() const {
    WalView v;
    v.enabled = scenario_->wal.has_value();
    v.broker_running = broker_ != nullptr;
    if (!v.enabled) return v;
    if (wal_) {
        v.appended = wal_->appended();
        v.durable = wal_->durable();
    }
    auto read = read_wal(*disk_);
    if (read) v.contents = std::move(read.value());
    else v.read_error = read.error().message;
    return v;
}

Status World::sync_wal() { return wal_ ? wal_->sync() : Status{}; }
std::uint64_t World::wal_appended() const { return wal_ ? wal_->appended() : 0; }
std::uint64_t World::wal_durable() const { return wal_ ? wal_->durable() : 0; }

World::~World() {
    if (wal_) wal_->abandon();  // a world ends like a process: no final sync to flatter a test
}

void World::schedule(Task t) {
    t.seq = next_seq_++;
    queue_.push(std::move(t));
}

void World::start_broker() {
    broker_ = std::make_unique<Broker>(scenario_->broker);
    broker_->set_event_sink(sink_.get());
    if (!scenario_->router.empty()) {
        broker_->set_router([rules = scenario_->router](const std::string&, const ProduceRequest& m) {
            for (const RouterRule& r : rules) {
                if (m.key.rfind(r.key_prefix, 0) == 0) {
                    return Result<RoutingDecision>(RoutingDecision{r.label, r.target_topic, r.partition, r.meta});
                }
            }
            return Result<RoutingDecision>(RoutingDecision{});
        });
    }
    if (!scenario_->wal) {
        if (generation_ > 0) {
            note(EventKind::broker_restarted, [](Event& e) {
                e.value = 0;
                e.text = "no WAL: the broker starts empty";
            });
        }
        return;
    }
    std::map<std::string, std::uint64_t> sizes_before;  // for the bytes a repair sets aside
    if (auto names = disk_->list()) {
        for (const std::string& n : names.value()) {
            if (auto size = disk_->size(n)) sizes_before[n] = size.value();
        }
    }
    auto restored = restore_broker(*broker_, *disk_, *scenario_->wal, now_);
    if (!restored) {
        record("broker start", false, "WAL replay failed: " + restored.error().message);
        broker_.reset();
        return;
    }
    wal_ = std::move(restored.value().wal);
    bind_journal();
    const WalContents& c = restored.value().contents;
    if (generation_ > 0 && wants(Invariant::replay_equals_durable_state)) {
        check_replay_against_journal(c.record_count);
    }
    damaged_since_crash_ = false;
    // A live broker's first start is also a recovery worth reporting (but not an event: a
    // recording of it replays from an empty WAL).
    if (generation_ > 0 || live_disk()) {
        RecoveryReport r;
        r.at = now_;
        r.records_recovered = c.record_count;
        r.records_unsynced = crash_appended_ - crash_durable_;
        r.records_quarantined = crash_durable_ > c.record_count ? crash_durable_ - c.record_count : 0;
        std::string issues;
        for (const RecoveryIssue& i : c.issues) {
            issues += (issues.empty() ? "" : "; ") + to_string(i);
            r.issues.push_back(to_string(i));
            const bool damage = i.kind == RecoveryIssue::Kind::torn_tail || i.kind == RecoveryIssue::Kind::corruption;
            if (damage && sizes_before[i.file] > i.offset) {
                const std::uint64_t bytes = sizes_before[i.file] - i.offset;
                r.bytes_torn += bytes;
                r.torn.push_back({i.file, i.offset, bytes, i.kind == RecoveryIssue::Kind::torn_tail});
            }
        }
        last_recovery_ = std::move(r);
        if (generation_ == 0) return;
        note(EventKind::broker_restarted, [&](Event& e) {
            e.value = static_cast<std::int64_t>(c.record_count);
            e.text = issues;
        });
    }
}

void World::on_event(Event e) {
    e.seq = ++event_count_;
    if (keep_checks_) keep_check_books(e);
    for (EventSink* sink : extra_sinks_) sink->on_event(e);
    if (keep_trace_) trace_.push_back(std::move(e));
}

// Bookkeeping for invariants and checks, from the broker's own account of what happened.
void World::keep_check_books(const Event& e) {
    switch (e.kind) {
        case EventKind::offset_committed: {
            auto& m = max_committed_[{e.topic, e.group, e.partition}];
            m = std::max(m, e.offset);
            break;
        }
        case EventKind::acked:
        case EventKind::late_ack:
        case EventKind::idempotent_skip:
        case EventKind::dead_lettered: {
            stats(e.topic, e.group, e.offset).done = true;
            if (e.kind != EventKind::acked && e.kind != EventKind::late_ack) break;
            const Message* m = find_message(e.topic, e.partition, e.offset);
            if (m && !m->idempotency_key().empty()) {
                if (++side_effects_[{e.topic, e.group, m->tenant_id(), m->idempotency_key()}] == 2) {
                    duplicate_effects_.push_back(e.topic + "/" + e.group + " key " + m->idempotency_key());
                }
            }
            break;
        }
        case EventKind::redelivered:
        case EventKind::delivered: {
            // Delivery counts come from what consumers take (take_deliveries), not from here:
            // a delivery queued to a stream that dies unread was never received.
            if (e.kind == EventKind::redelivered) break;
            const Message* m = find_message(e.topic, e.partition, e.offset);
            if (!m || m->key().empty()) break;
            auto& last = last_first_delivery_[{e.topic, e.group, e.partition, m->key()}];
            if (last > e.offset) {
                order_violations_.push_back(e.topic + "/" + e.group + " key " + m->key() + ": offset " +
                                            std::to_string(e.offset) + " after " + std::to_string(last));
            }
            last = std::max(last, e.offset);
            break;
        }
        case EventKind::produced:
            // After a restart that lost the tail of the log an offset can be used again: what
            // happened to the old message there is not this one's history.
            for (auto& [key, v] : stats_) {
                if (key.first == e.topic && static_cast<std::size_t>(e.offset) < v.size()) {
                    v.mutate(static_cast<std::size_t>(e.offset)) = MessageStats{};
                }
            }
            if (wal_) produced_.push_back({e.topic, e.partition, e.offset, wal_->appended() - 1});
            break;
        default: break;
    }
}

World::MessageStats& World::stats(const std::string& topic, const std::string& group,
                                  std::int64_t offset) {
    auto& v = stats_[{topic, group}];
    const auto i = static_cast<std::size_t>(offset);
    if (v.size() <= i) v.resize(i + 1);
    return v.mutate(i);
}

const World::MessageStats* World::find_stats(const std::string& topic, const std::string& group,
                                             std::int64_t offset) const {
    auto it = stats_.find({topic, group});
    if (it == stats_.end() || offset < 0 || static_cast<std::size_t>(offset) >= it->second.size()) {
        return nullptr;
    }
    return &it->second[static_cast<std::size_t>(offset)];
}

std::optional<TimeMs> World::next_time() const {
    std::optional<TimeMs> next;
    if (!queue_.empty()) next = queue_.top().at;
    if (broker_ && broker_->in_flight_total() > 0) {
        next = next ? std::min(*next, broker_->next_tick_at()) : broker_->next_tick_at();
    }
    return next;
}

bool World::advance_one(TimeMs limit) {
    const std::optional<TimeMs> next = next_time();
    if (!next || *next > limit) return false;
    if (*next == limit && only_checks_due_at(limit)) return false;
    step(*next);
    run_tasks_at_now(limit);
    return true;
}

// Checks at the time a run stops at wait until time moves past it (or the run finishes): a
// command applied at that time must run before them, as a timeline entry of that time would.
bool World::only_checks_due_at(TimeMs t) const {
    const bool tick_due = broker_ && broker_->in_flight_total() > 0 && broker_->next_tick_at() <= t;
    return !tick_due && !queue_.empty() && queue_.top().at == t && queue_.top().kind == Task::Kind::check;
}

void World::run_until(TimeMs t) {
    assert(t >= now_ && "virtual time never goes backwards");
    while (advance_one(t)) {
    }
    now_ = std::max(now_, t);
}

void World::run_tasks_at_now(std::optional<TimeMs> hold_checks_at) {
    while (!queue_.empty() && queue_.top().at <= now_) {
        // Checks sort last among one time's tasks: from here on only checks of this time are due.
        if (queue_.top().kind == Task::Kind::check && queue_.top().at == hold_checks_at) break;
        Task task = queue_.top();
        queue_.pop();
        execute(task);
        take_deliveries();
    }
}

void World::step(TimeMs t) {
    now_ = std::max(now_, t);
    const bool tick_due = broker_ && broker_->next_tick_at() <= now_;
    if (stepped_at_ == now_ && !tick_due) return;
    stepped_at_ = now_;
    if (!broker_) return;
    broker_->tick(now_);
    if (wal_) (void)wal_->poll(now_);
    take_deliveries();
}

void World::execute(const Task& t) {
    switch (t.kind) {
        case Task::Kind::produce:
        case Task::Kind::produce_retry:
        case Task::Kind::produce_explicit: produce(t); break;
        case Task::Kind::join: join(t.index); break;
        case Task::Kind::leave: leave(t.index, false); break;
        case Task::Kind::crash: leave(t.index, true); break;
        case Task::Kind::answer: answer(t); break;
        case Task::Kind::check: check(scenario_->expectations[static_cast<std::size_t>(t.index)]); break;
        case Task::Kind::command:
            run_timeline_entry(scenario_->timeline[static_cast<std::size_t>(t.index)]);
            break;
    }
}

}  // namespace driftq::sim
