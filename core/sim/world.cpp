// The simulated world: scheduling, actors and faults. Checks live in checks.cpp.
#include "sim/world.hpp"

#include <algorithm>
#include <cmath>

#include "wal/wal_format.hpp"

namespace driftq::sim {

// Collects the broker's events into the world's trace, numbered across broker restarts.
class World::Sink final : public EventSink {
public:
    explicit Sink(World& w) : world_(w) {}
    void on_event(const Event& e) override { world_.on_event(e); }

private:
    World& world_;
};

namespace {
enum Decision : std::int64_t { kAck = 0, kNack = 1, kLostAck = 2 };
}

World::World(Scenario scenario)
    : scenario_(std::move(scenario)), rng_(scenario_.seed), sink_(std::make_unique<Sink>(*this)) {
    consumers_.resize(scenario_.consumers.size());
    start_broker();
    for (const TopicSpec& t : scenario_.topics) {
        if (Status s = broker_->create_topic(t.name, t.partitions, 0); !s) {
            record("topic " + t.name, false, s.message());
        }
    }
    for (std::size_t i = 0; i < scenario_.producers.size(); ++i) {
        const ProducerSpec& p = scenario_.producers[i];
        for (std::size_t m = 0; m < p.messages.size(); ++m) {
            schedule(Task{p.messages[m].at, 0, Task::Kind::produce_explicit, static_cast<int>(i),
                          static_cast<std::int64_t>(m)});
        }
        if (p.count > 0) schedule(Task{p.start_ms, 0, Task::Kind::produce, static_cast<int>(i), 0});
    }
    for (std::size_t i = 0; i < scenario_.consumers.size(); ++i) {
        const ConsumerSpec& c = scenario_.consumers[i];
        const int idx = static_cast<int>(i);
        schedule(Task{c.join_at, 0, Task::Kind::join, idx});
        if (c.leave_at) schedule(Task{*c.leave_at, 0, Task::Kind::leave, idx});
        if (c.crash_at) schedule(Task{*c.crash_at, 0, Task::Kind::crash, idx});
        if (c.rejoin_at) schedule(Task{*c.rejoin_at, 0, Task::Kind::join, idx});
    }
    for (std::size_t i = 0; i < scenario_.timeline.size(); ++i) {
        schedule(Task{scenario_.timeline[i].at, 0, Task::Kind::action, static_cast<int>(i)});
    }
    for (std::size_t i = 0; i < scenario_.expectations.size(); ++i) {
        const Expectation& x = scenario_.expectations[i];
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
      generation_(o.generation_),
      consumers_(o.consumers_),
      trace_base_(o.trace_base_ + o.trace_.size()),
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
        broker_->set_journal(wal_.get());
    }
}

std::unique_ptr<World> World::snapshot() const {
    return std::unique_ptr<World>(new World(*this, CopyTag{}));
}

World::~World() {
    if (wal_) wal_->abandon();  // a world ends like a process: no final sync to flatter a test
}

void World::schedule(Task t) {
    t.seq = next_seq_++;
    queue_.push(std::move(t));
}

void World::start_broker() {
    broker_ = std::make_unique<Broker>(scenario_.broker);
    broker_->set_event_sink(sink_.get());
    if (!scenario_.router.empty()) {
        broker_->set_router([rules = scenario_.router](const std::string&, const ProduceRequest& m) {
            for (const RouterRule& r : rules) {
                if (m.key.rfind(r.key_prefix, 0) == 0) {
                    return Result<RoutingDecision>(RoutingDecision{r.label, r.target_topic, r.partition, {}});
                }
            }
            return Result<RoutingDecision>(RoutingDecision{});
        });
    }
    if (!scenario_.wal) {
        if (generation_ > 0) {
            note(EventKind::broker_restarted, [](Event& e) {
                e.value = 0;
                e.text = "no WAL: the broker starts empty";
            });
        }
        return;
    }
    auto restored = restore_broker(*broker_, storage_, *scenario_.wal, now_);
    if (!restored) {
        record("broker start", false, "WAL replay failed: " + restored.error().message);
        broker_.reset();
        return;
    }
    wal_ = std::move(restored.value().wal);
    const WalContents& c = restored.value().contents;
    if (generation_ > 0) {
        std::string issues;
        for (const RecoveryIssue& i : c.issues) issues += (issues.empty() ? "" : "; ") + to_string(i);
        note(EventKind::broker_restarted, [&](Event& e) {
            e.value = static_cast<std::int64_t>(c.record_count);
            e.text = issues;
        });
    }
}

void World::on_event(Event e) {
    e.seq = trace_base_ + trace_.size() + 1;
    // Bookkeeping for invariants, from the broker's own account of what happened.
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
            MessageStats& d = stats(e.topic, e.group, e.offset);
            ++d.deliveries;
            d.max_attempts = std::max(d.max_attempts, e.attempts);
            d.last_error = e.text;
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
                    v[static_cast<std::size_t>(e.offset)] = MessageStats{};
                }
            }
            if (wal_) produced_.emplace_back(e.topic, e.partition, e.offset, wal_->appended() - 1);
            break;
        default: break;
    }
    trace_.push_back(std::move(e));
}

World::MessageStats& World::stats(const std::string& topic, const std::string& group,
                                  std::int64_t offset) {
    auto& v = stats_[{topic, group}];
    const auto i = static_cast<std::size_t>(offset);
    if (v.size() <= i) v.resize(i + 1);
    return v[i];
}

const World::MessageStats* World::find_stats(const std::string& topic, const std::string& group,
                                             std::int64_t offset) const {
    auto it = stats_.find({topic, group});
    if (it == stats_.end() || offset < 0 || static_cast<std::size_t>(offset) >= it->second.size()) {
        return nullptr;
    }
    return &it->second[static_cast<std::size_t>(offset)];
}

void World::run_until(TimeMs t) {
    for (;;) {
        // The next thing to happen: a scheduled task or a redelivery pass on the tick grid.
        std::optional<TimeMs> next;
        if (!queue_.empty()) next = queue_.top().at;
        if (broker_ && broker_->in_flight_total() > 0) {
            next = next ? std::min(*next, broker_->next_tick_at()) : broker_->next_tick_at();
        }
        if (!next || *next > t) break;
        step(*next);
        while (!queue_.empty() && queue_.top().at == now_) {
            Task task = queue_.top();
            queue_.pop();
            execute(task);
            take_deliveries();
        }
    }
    step(t);
}

void World::step(TimeMs t) {
    now_ = std::max(now_, t);
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
        case Task::Kind::check: check(scenario_.expectations[static_cast<std::size_t>(t.index)]); break;
        case Task::Kind::action: {
            const Action& a = scenario_.timeline[static_cast<std::size_t>(t.index)];
            switch (a.kind) {
                case Action::Kind::broker_crash: crash_broker(); break;
                case Action::Kind::broker_restart: restart_broker(); break;
                case Action::Kind::torn_tail:
                case Action::Kind::flip_byte: damage_wal(a); break;
                case Action::Kind::create_topic:
                    created_topics_.push_back(a.topic);
                    if (broker_) (void)broker_->create_topic(a.topic.name, a.topic.partitions, now_);
                    break;
            }
            break;
        }
    }
}

double World::uniform() { return static_cast<double>(rng_.next() >> 11) * 0x1.0p-53; }

std::string World::rate_key(int producer, const KeySpec& k, std::int64_t i) {
    switch (k.kind) {
        case KeySpec::Kind::none: return {};
        case KeySpec::Kind::fixed: return k.value;
        case KeySpec::Kind::round_robin: return k.value + std::to_string(i % k.count);
        case KeySpec::Kind::zipf: {
            std::vector<double>& cdf = zipf_cdf_[producer];
            if (cdf.empty()) {
                // P(rank r) ~ 1 / r^skew, as a cumulative table: rank 0 is the hot key.
                double sum = 0;
                for (int r = 1; r <= k.count; ++r) cdf.push_back(sum += 1.0 / std::pow(r, k.skew));
                for (double& c : cdf) c /= sum;
            }
            const double u = uniform();
            const auto rank = std::lower_bound(cdf.begin(), cdf.end(), u) - cdf.begin();
            return k.value + std::to_string(std::min<std::ptrdiff_t>(rank, k.count - 1));
        }
    }
    return {};
}

ProduceRequest World::rate_message(const ProducerSpec& p, std::int64_t i, std::string key) {
    ProduceRequest r{p.topic, std::move(key), p.name + "-" + std::to_string(i), p.envelope};
    if (p.idempotent_retries) {
        if (!r.envelope) r.envelope.emplace();
        r.envelope->idempotency_key = p.name + "-" + std::to_string(i);
    }
    return r;
}

void World::produce(const Task& t) {
    const ProducerSpec& p = scenario_.producers[static_cast<std::size_t>(t.index)];
    const bool explicit_message = t.kind == Task::Kind::produce_explicit;
    if (t.kind == Task::Kind::produce && t.value + 1 < p.count) {
        schedule(Task{now_ + p.every_ms, 0, Task::Kind::produce, t.index, t.value + 1});
    }
    // A rate message's key is drawn once; retries repeat this very message (same key), after
    // the broker's Retry-After advice.
    const std::string key = explicit_message ? std::string()
                            : t.key ? *t.key
                                    : rate_key(t.index, p.keys, t.value);
    Task retry{now_ + scenario_.broker.overload_retry_after_ms, 0,
               explicit_message ? Task::Kind::produce_explicit : Task::Kind::produce_retry, t.index,
               t.value};
    retry.key = key;
    retry.resend = t.resend;
    if (!broker_) {  // the broker is down: a client would see its connection refused
        if (p.retry_on_backpressure) schedule(retry);
        return;
    }
    ProduceRequest req;
    if (explicit_message) {
        const MessageSpec& m = p.messages[static_cast<std::size_t>(t.value)];
        req = ProduceRequest{p.topic, m.key, m.value, m.envelope};
    } else {
        req = rate_message(p, t.value, key);
    }
    auto r = broker_->produce(std::move(req), now_);
    if (!r && r.error().code == Errc::producer_overloaded && p.retry_on_backpressure) schedule(retry);
    // Each message's successful send may lose its response once; the resend does not roll again.
    if (r && !t.resend && p.duplicate_probability > 0 && uniform() < p.duplicate_probability) {
        note(EventKind::produce_response_lost, [&](Event& e) {
            e.topic = r->topic;
            e.partition = r->position.partition;
            e.offset = r->position.offset;
            e.owner = p.name;
        });
        Task again = retry;
        again.resend = true;
        schedule(again);
    }
}

void World::join(int consumer) {
    ConsumerState& st = consumers_[static_cast<std::size_t>(consumer)];
    const ConsumerSpec& c = scenario_.consumers[static_cast<std::size_t>(consumer)];
    st.gone = false;
    if (!broker_ || st.stream) return;  // subscribes when the broker comes back; one stream each
    auto id = broker_->subscribe(c.topic, c.group, c.owner, c.lease_ms, now_);
    if (!id) {
        note(EventKind::sim_error, [&](Event& e) {
            e.topic = c.topic;
            e.group = c.group;
            e.owner = c.owner;
            e.text = "consumer " + c.name + " cannot join: " + id.error().message;
        });
        return;
    }
    st.stream = id.value();
}

void World::leave(int consumer, bool crash) {
    ConsumerState& st = consumers_[static_cast<std::size_t>(consumer)];
    st.gone = true;
    if (broker_ && st.stream) (void)broker_->unsubscribe(*st.stream, now_);
    st.stream.reset();
    if (crash) ++st.incarnation;  // answers in progress die with the process
}

TimeMs World::processing_time(const Processing& p) {
    switch (p.kind) {
        case Processing::Kind::constant: return p.ms;
        case Processing::Kind::uniform:
            return p.min_ms + static_cast<TimeMs>(rng_.below(static_cast<std::uint64_t>(std::max<TimeMs>(0, p.max_ms - p.min_ms)) + 1));
        case Processing::Kind::exponential:
            // Clamped: an extreme draw must not overflow the clock.
            return static_cast<TimeMs>(std::min(-std::log(1.0 - uniform()) * static_cast<double>(p.ms), 1e9));
    }
    return p.ms;
}

void World::take_deliveries() {
    if (!broker_) return;
    for (std::size_t i = 0; i < consumers_.size(); ++i) {
        ConsumerState& st = consumers_[i];
        if (!st.stream) continue;
        const ConsumerSpec& c = scenario_.consumers[i];
        while (auto d = broker_->poll(*st.stream)) {
            const bool hang_here = std::find(c.hang_on_offsets.begin(), c.hang_on_offsets.end(),
                                             d->message.offset) != c.hang_on_offsets.end();
            if (c.behaviour == ConsumerSpec::Behaviour::hang || hang_here) continue;
            std::int64_t decision = kAck;
            if (c.behaviour == ConsumerSpec::Behaviour::nack) decision = kNack;
            if (c.fail_probability > 0 && uniform() < c.fail_probability) decision = kNack;
            if (decision == kAck && c.ack_loss_probability > 0 && uniform() < c.ack_loss_probability) {
                decision = kLostAck;
            }
            Task t{now_ + processing_time(c.processing), 0, Task::Kind::answer, static_cast<int>(i), decision};
            t.delivery = std::move(*d);
            t.incarnation = st.incarnation;
            schedule(std::move(t));
        }
    }
}

void World::answer(const Task& t) {
    const ConsumerSpec& c = scenario_.consumers[static_cast<std::size_t>(t.index)];
    if (!broker_ || t.incarnation != consumers_[static_cast<std::size_t>(t.index)].incarnation) return;
    const Message& m = t.delivery.message;
    const Position at{m.partition, m.offset};
    if (t.value == kLostAck) {
        note_answer(EventKind::ack_lost, c, t.delivery, {});
        return;
    }
    Status s = t.value == kNack ? broker_->nack(c.topic, c.group, at, c.owner, c.nack_reason, now_)
                                : broker_->ack_if_owner(c.topic, c.group, at, c.owner, now_);
    if (!s) {
        note_answer(EventKind::ack_refused, c, t.delivery, s.message());
    }
}

void World::note_answer(EventKind kind, const ConsumerSpec& c, const Delivery& d, std::string text) {
    note(kind, [&](Event& e) {
        e.topic = c.topic;
        e.group = c.group;
        e.partition = d.message.partition;
        e.offset = d.message.offset;
        e.owner = c.owner;
        e.stream = d.stream;
        e.attempts = d.attempts;
        e.text = std::move(text);
    });
}

void World::crash_broker() {
    if (!broker_) return;
    if (wal_) wal_->abandon();
    // Durable produces are those whose record the WAL had synced; the rest may be lost.
    for (const auto& [topic, p, offset, record] : produced_) {
        if (wal_ && record < wal_->durable()) durable_produced_.emplace_back(topic, p, offset);
    }
    produced_.clear();
    note(EventKind::broker_crashed, [&](Event& e) {
        e.text = wal_ ? "durable through record " + std::to_string(wal_->durable())
                      : "no WAL: everything is lost";
    });
    wal_.reset();
    broker_.reset();
    storage_.crash();
    for (ConsumerState& st : consumers_) {
        st.stream.reset();
        ++st.incarnation;
    }
    ++generation_;
    last_first_delivery_.clear();  // a new process may legitimately redeliver lower offsets
}

void World::restart_broker() {
    if (broker_) return;
    start_broker();
    if (!broker_) return;
    if (!scenario_.wal) {  // nothing was persisted: the scenario's topics are created again
        for (const TopicSpec& t : scenario_.topics) (void)broker_->create_topic(t.name, t.partitions, now_);
        for (const TopicSpec& t : created_topics_) (void)broker_->create_topic(t.name, t.partitions, now_);
    }
    check_durable_after_restart();
    for (std::size_t i = 0; i < consumers_.size(); ++i) {
        if (!consumers_[i].gone && scenario_.consumers[i].join_at <= now_) join(static_cast<int>(i));
    }
}

void World::damage_wal(const Action& a) {
    auto names = storage_.list();
    std::string last;
    for (const std::string& n : names.value()) {
        if (parse_segment_name(n) != 0) last = n;
    }
    if (last.empty()) return;
    const std::uint64_t size = storage_.size(last).value();
    const std::uint64_t cut = std::min(a.bytes, size);
    std::string what;
    if (a.kind == Action::Kind::torn_tail) {
        (void)storage_.truncate(last, size - cut);
        what = "cut the last " + std::to_string(cut) + " bytes of " + last;
    } else {
        storage_.flip_byte(last, size - cut);
        what = "flipped byte " + std::to_string(size - cut) + " of " + last;
    }
    note(EventKind::wal_damaged, [&](Event& e) { e.text = what; });
}

}  // namespace driftq::sim
