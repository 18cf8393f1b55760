// The simulated actors: producers (explicit messages, rates, keys, retries, lost responses) and
// consumers (joining, leaving, taking deliveries and answering them after a processing time).
#include <algorithm>
#include <cassert>

#include "base/det_math.hpp"
#include "sim/world.hpp"

namespace driftq::sim {

namespace {
enum Decision : std::int64_t { kAck = 0, kNack = 1, kLostAck = 2 };
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
                for (int r = 1; r <= k.count; ++r) cdf.push_back(sum += 1.0 / det_pow(r, k.skew));
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
    const ProducerSpec& p = scenario_->producers[static_cast<std::size_t>(t.index)];
    const bool explicit_message = t.kind == Task::Kind::produce_explicit;
    if (t.kind == Task::Kind::produce && t.value + 1 < p.count) {
        schedule(Task{now_ + p.every_ms, 0, Task::Kind::produce, t.index, t.value + 1});
    }
    // A rate message's key is drawn once; retries repeat this very message (same key), after
    // the broker's Retry-After advice.
    const std::string key = explicit_message ? std::string()
                            : t.key ? *t.key
                                    : rate_key(t.index, p.keys, t.value);
    Task retry{now_ + scenario_->broker.overload_retry_after_ms, 0,
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
    Consumer& st = consumers_[static_cast<std::size_t>(consumer)];
    const ConsumerSpec& c = st.spec;
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
    streaming_.insert(static_cast<std::size_t>(consumer));
}

void World::leave(int consumer, bool crash) {
    Consumer& st = consumers_[static_cast<std::size_t>(consumer)];
    st.gone = true;
    if (broker_ && st.stream) (void)broker_->unsubscribe(*st.stream, now_);
    st.stream.reset();
    streaming_.erase(static_cast<std::size_t>(consumer));
    if (crash) ++st.incarnation;  // answers in progress die with the process
}

TimeMs World::processing_time(const Processing& p) {
    switch (p.kind) {
        case Processing::Kind::constant: return p.ms;
        case Processing::Kind::uniform:
            return p.min_ms + static_cast<TimeMs>(rng_.below(static_cast<std::uint64_t>(std::max<TimeMs>(0, p.max_ms - p.min_ms)) + 1));
        case Processing::Kind::exponential:
            // Clamped: an extreme draw must not overflow the clock.
            return static_cast<TimeMs>(std::min(-det_log(1.0 - uniform()) * static_cast<double>(p.ms), 1e9));
    }
    return p.ms;
}

void World::take_deliveries() {
    if (!broker_) return;
    for (const std::size_t i : streaming_) {
        Consumer& st = consumers_[i];
        assert(st.stream && "streaming_ holds exactly the consumers with a stream");
        if (st.paused) continue;  // a paused consumer's deliveries wait in its stream
        const ConsumerSpec& c = st.spec;
        while (auto d = broker_->poll(*st.stream)) {
            if (keep_checks_) {
                MessageStats& received = stats(c.topic, c.group, d->message.offset);
                ++received.deliveries;
                received.max_attempts = std::max(received.max_attempts, d->attempts);
                received.last_error = d->last_error;
            }
            if (delivery_listener_) delivery_listener_(i, *d);
            const bool hang_here = std::find(c.hang_on_offsets.begin(), c.hang_on_offsets.end(),
                                             d->message.offset) != c.hang_on_offsets.end();
            // A hanging consumer never answers; a manual one answers through commands.
            if (c.behaviour == ConsumerSpec::Behaviour::hang ||
                c.behaviour == ConsumerSpec::Behaviour::manual || hang_here || st.hanging) {
                continue;
            }
            std::int64_t decision = kAck;
            if (c.behaviour == ConsumerSpec::Behaviour::nack) decision = kNack;
            if (c.fail_probability > 0 && uniform() < c.fail_probability) decision = kNack;
            if (decision == kAck && c.ack_loss_probability > 0 && uniform() < c.ack_loss_probability) {
                decision = kLostAck;
            }
            if (decision == kAck && st.acks_to_lose > 0) {  // a person's lose_ack: no draw
                --st.acks_to_lose;
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
    const Consumer& st = consumers_[static_cast<std::size_t>(t.index)];
    const ConsumerSpec& c = st.spec;
    if (!broker_ || t.incarnation != st.incarnation) return;
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

}  // namespace driftq::sim
