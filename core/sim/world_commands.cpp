// Commands (sim/command.hpp) and the faults they can inject. Each command either does what it
// says or is refused with an error and changes nothing.
#include <algorithm>
#include <cassert>

#include "sim/world.hpp"
#include "wal/wal_format.hpp"

namespace driftq::sim {

namespace {

using Kind = Command::Kind;

CommandResult refused(std::string text, Errc code = Errc::invalid_argument) {
    return CommandResult{make_error(code, std::move(text)), {}};
}

CommandResult from(const Status& s, std::string detail = {}) {
    if (!s) return CommandResult{s.error(), {}};
    return CommandResult{std::nullopt, std::move(detail)};
}

std::string at_text(const std::string& topic, std::int32_t p, std::int64_t offset) {
    return topic + " p" + std::to_string(p) + "@" + std::to_string(offset);
}

}  // namespace

CommandResult World::apply(const Command& command) {
    // Everything scheduled up to now happens first, as it would before a timeline entry of this
    // time (whose tasks run after the world's own).
    while (advance_one(now_)) {
    }
    return apply_at_now(TimedCommand{now_, command, std::nullopt, {}});
}

void World::run_timeline_entry(const TimedCommand& t) { (void)apply_at_now(t); }

CommandResult World::apply_at_now(const TimedCommand& t) {
    // A command arriving between scheduled instants sees the world as a timeline entry at this
    // time would: ticked and polled at now(), exactly once.
    step(now_);
    CommandResult r = execute_command(t.command);
    take_deliveries();
    note(EventKind::command, [&](Event& e) {
        e.text = describe(t.command);
        e.target = r.text();
        e.value = r.ok() ? 0 : 1;
    });
    if (t.expect) {
        record((t.path.empty() ? std::string("command") : t.path) + " " + describe(t.command) +
                   " -> \"" + *t.expect + "\"",
               r.text() == *t.expect, "\"" + r.text() + "\"");
    }
    if (keep_applied_) applied_.push_back(Applied{TimedCommand{now_, t.command, t.expect, t.path}, r});
    return r;
}

CommandResult World::execute_command(const Command& c) {
    switch (c.kind) {
        case Kind::broker_crash: return crash_broker(c.power_loss);
        case Kind::broker_restart: return restart_broker();
        case Kind::torn_tail:
        case Kind::flip_byte: return damage_wal(c);
        case Kind::subscribe: return subscribe(c);
        case Kind::unsubscribe:
        case Kind::consumer_crash:
        case Kind::consumer_restart:
        case Kind::consumer_pause:
        case Kind::consumer_resume:
        case Kind::consumer_hang:
        case Kind::lose_ack: return consumer_command(c);
        default: break;
    }
    if (!broker_) return refused("the broker is not running", Errc::unsupported);
    switch (c.kind) {
        case Kind::create_topic: {
            Status s = broker_->create_topic(c.topic, c.partitions, now_);
            if (s) created_topics_.push_back(TopicSpec{c.topic, c.partitions});
            return from(s, c.topic);
        }
        case Kind::produce: {
            auto r = broker_->produce(ProduceRequest{c.topic, c.key, c.value, c.envelope}, now_);
            if (!r) return CommandResult{r.error(), {}};
            if (r->deduplicated) return CommandResult{std::nullopt, "deduplicated"};
            return CommandResult{std::nullopt, at_text(r->topic, r->position.partition, r->position.offset)};
        }
        case Kind::ack:
        case Kind::ack_if_owner:
        case Kind::nack: return answer_command(c);
        case Kind::redrive: return redrive(c);
        case Kind::idem_begin:
        case Kind::idem_renew:
        case Kind::idem_commit:
        case Kind::idem_fail: return idem_command(c);
        default: break;
    }
    assert(false && "every command kind is handled above");
    return refused("unknown command");
}

CommandResult World::answer_command(const Command& c) {
    const Position at{c.partition, c.offset};
    const std::string where = at_text(c.topic, c.partition, c.offset);
    switch (c.kind) {
        case Kind::ack: return from(broker_->ack(c.topic, c.group, at, now_), where);
        case Kind::ack_if_owner:
            return from(broker_->ack_if_owner(c.topic, c.group, at, c.owner, now_), where);
        case Kind::nack:
            return from(broker_->nack(c.topic, c.group, at, c.owner, c.text, now_), where);
        default: break;
    }
    assert(false && "only ack, ack_if_owner and nack come here");
    return refused("unknown command");
}

// The playground's redrive, after the later upstream dashboard's: the dead letter is produced
// again to the topic it came from, with its key, value and envelope but not its dlq metadata, so
// it is a new message (a new offset, its attempts from the start). It goes through produce like
// any other message: the router, the partitioner and idempotency see it as they would.
CommandResult World::redrive(const Command& c) {
    const std::string where = at_text(c.topic, c.partition, c.offset);
    const Message* m = find_message(c.topic, c.partition, c.offset);
    if (!m) return refused(where + ": no such message");
    const Envelope* e = m->envelope();
    if (!e || !e->dlq) return refused(where + ": not a dead letter (it has no dlq metadata)");
    Envelope again = *e;
    again.dlq.reset();
    auto r = broker_->produce(ProduceRequest{e->dlq->original_topic, m->key(), m->value(), again}, now_);
    if (!r) return CommandResult{r.error(), {}};
    if (r->deduplicated) return CommandResult{std::nullopt, "deduplicated (its idempotency key was seen before)"};
    return CommandResult{std::nullopt, at_text(r->topic, r->position.partition, r->position.offset)};
}

CommandResult World::idem_command(const Command& c) {
    const IdemKey key{IdemScope::consume, c.tenant, c.topic, c.group, c.key};
    switch (c.kind) {
        case Kind::idem_begin: {
            auto r = broker_->consume_begin_lease(key, c.owner, c.lease_ms, now_);
            if (!r) return CommandResult{r.error(), {}};
            return CommandResult{std::nullopt, r->already_done ? "already committed: " + r->prior_result
                                                               : std::string("lease taken")};
        }
        case Kind::idem_renew: return from(broker_->consume_renew_lease(key, c.owner, c.lease_ms, now_), "renewed");
        case Kind::idem_commit: return from(broker_->consume_commit_if_owner(key, c.owner, c.text, now_), "committed");
        case Kind::idem_fail: return from(broker_->consume_fail_if_owner(key, c.owner, c.text, now_), "failed");
        default: break;
    }
    assert(false && "only idem_* commands come here");
    return refused("unknown command");
}

std::optional<std::size_t> World::find_consumer(const std::string& name) const {
    const auto it = consumer_names_.find(name);
    if (it == consumer_names_.end()) return std::nullopt;
    return it->second;
}

CommandResult World::subscribe(const Command& c) {
    if (c.consumer.empty()) return refused("a consumer needs a name");
    if (find_consumer(c.consumer)) {
        return refused("consumer " + c.consumer + " already exists (consumer_restart brings it back)");
    }
    if (!broker_) return refused("the broker is not running", Errc::unsupported);
    ConsumerSpec spec;
    spec.name = c.consumer;
    spec.owner = c.owner.empty() ? c.consumer : c.owner;
    spec.topic = c.topic;
    spec.group = c.group;
    spec.lease_ms = c.lease_ms;
    spec.join_at = now_;
    spec.behaviour = c.behaviour;
    spec.processing.ms = c.processing_ms;
    if (!c.text.empty()) spec.nack_reason = c.text;
    auto id = broker_->subscribe(spec.topic, spec.group, spec.owner, spec.lease_ms, now_);
    if (!id) return CommandResult{id.error(), {}};
    Consumer added{std::move(spec)};
    added.stream = id.value();
    consumer_names_.emplace(added.spec.name, consumers_.size());
    streaming_.insert(consumers_.size());
    consumers_.push_back(std::move(added));
    return CommandResult{std::nullopt, "stream " + std::to_string(id.value())};
}

CommandResult World::consumer_command(const Command& c) {
    const auto i = find_consumer(c.consumer);
    if (!i) return refused("no consumer named " + c.consumer);
    Consumer& st = consumers_[*i];
    const int index = static_cast<int>(*i);
    switch (c.kind) {
        case Kind::unsubscribe:
            if (!st.stream) return refused("consumer " + c.consumer + " is not subscribed");
            leave(index, false);
            return {};
        case Kind::consumer_crash:
            if (st.gone) return refused("consumer " + c.consumer + " is not running");
            leave(index, true);
            return {};
        case Kind::consumer_restart:
            if (!st.gone) return refused("consumer " + c.consumer + " is already running");
            if (!broker_) return refused("the broker is not running", Errc::unsupported);
            join(index);
            if (!st.stream) return refused("consumer " + c.consumer + " could not subscribe again");
            return {};
        case Kind::consumer_pause:
            if (st.gone || st.paused) return refused("consumer " + c.consumer + " is not running");
            st.paused = true;
            return {};
        case Kind::consumer_resume:
            if (!st.paused && !st.hanging) return refused("consumer " + c.consumer + " is not paused or hanging");
            st.paused = false;
            st.hanging = false;
            return {};  // apply_at_now() takes what waited in its stream
        case Kind::consumer_hang:
            if (st.gone || st.hanging) return refused("consumer " + c.consumer + " is not running");
            st.hanging = true;
            return {};
        case Kind::lose_ack:
            if (st.gone) return refused("consumer " + c.consumer + " is not running");
            ++st.acks_to_lose;
            return {};
        default: break;
    }
    assert(false && "only consumer commands come here");
    return refused("unknown command");
}

CommandResult World::crash_broker(PowerLoss power_loss) {
    if (live_disk()) return refused("a live broker's WAL is on real files: stop the process to crash it", Errc::unsupported);
    if (!broker_) return refused("the broker is not running");
    if (wal_) {
        wal_->abandon();
        crash_appended_ = wal_->appended();
        crash_durable_ = wal_->durable();
    }
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
    // Drawing only for a partial loss keeps the random stream of every other run unchanged.
    storage_.crash(power_loss, power_loss == PowerLoss::drop_unsynced ? 0 : rng_.next());
    for (Consumer& st : consumers_) {
        st.stream.reset();
        ++st.incarnation;
    }
    streaming_.clear();
    ++generation_;
    last_first_delivery_.clear();  // a new process may legitimately redeliver lower offsets
    return {};
}

CommandResult World::restart_broker() {
    if (broker_) return refused("the broker is already running");
    start_broker();
    if (!broker_) return refused("the broker did not start: " + checks_.back().observed);
    if (!scenario_->wal) {  // nothing was persisted: the scenario's topics are created again
        for (const TopicSpec& t : scenario_->topics) (void)broker_->create_topic(t.name, t.partitions, now_);
        for (const TopicSpec& t : created_topics_) (void)broker_->create_topic(t.name, t.partitions, now_);
    }
    check_durable_after_restart();
    for (std::size_t i = 0; i < consumers_.size(); ++i) {
        if (!consumers_[i].gone && consumers_[i].spec.join_at <= now_) join(static_cast<int>(i));
    }
    return {};
}

CommandResult World::damage_wal(const Command& c) {
    if (!scenario_->wal) return refused("this scenario has no WAL");
    if (live_disk()) return refused("a live broker's WAL is on real files: it is not damaged from here", Errc::unsupported);
    auto names = storage_.list();
    std::string last;
    for (const std::string& n : names.value()) {
        if (parse_segment_name(n) != 0) last = n;
    }
    if (last.empty()) return refused("the WAL has no segment yet");
    const std::uint64_t size = storage_.size(last).value();
    if (size == 0) return refused("the last WAL segment is empty");
    const std::uint64_t cut = std::min(c.bytes, size);
    std::string what;
    if (c.kind == Kind::torn_tail) {
        (void)storage_.truncate(last, size - cut);
        what = "cut the last " + std::to_string(cut) + " bytes of " + last;
    } else {
        storage_.flip_byte(last, size - cut);
        what = "flipped byte " + std::to_string(size - cut) + " of " + last;
    }
    damaged_since_crash_ = true;
    note(EventKind::wal_damaged, [&](Event& e) { e.text = what; });
    return CommandResult{std::nullopt, what};
}

}  // namespace driftq::sim
