#include "sim/what_if.hpp"

#include <cassert>

namespace driftq::sim {

namespace {

const char* durability_name(std::int64_t v) { return v == 0 ? "always" : v == 1 ? "batch" : "none"; }

// Every retry policy a message of the scenario carries, explicit messages and rates alike; a
// message with none gets one, so that a limit on attempts applies to every message.
template <class F>
void each_retry_policy(Scenario& s, F&& f) {
    auto on = [&](std::optional<Envelope>& e) {
        if (!e) e.emplace();
        if (!e->retry_policy) e->retry_policy.emplace();
        f(*e->retry_policy);
    };
    for (ProducerSpec& p : s.producers) {
        for (MessageSpec& m : p.messages) on(m.envelope);
        if (p.count > 0) on(p.envelope);
    }
}

const RetryPolicy* first_retry_policy(const Scenario& s) {
    for (const ProducerSpec& p : s.producers) {
        for (const MessageSpec& m : p.messages) {
            if (m.envelope && m.envelope->retry_policy) return &*m.envelope->retry_policy;
        }
        if (p.envelope && p.envelope->retry_policy) return &*p.envelope->retry_policy;
    }
    return nullptr;
}

}  // namespace

const char* name(WhatIf::Kind kind) {
    switch (kind) {
        case WhatIf::Kind::commit_rule: return "commit rule";
        case WhatIf::Kind::lease_ms: return "lease";
        case WhatIf::Kind::max_attempts: return "max attempts";
        case WhatIf::Kind::backoff_ms: return "backoff";
        case WhatIf::Kind::max_in_flight: return "in-flight limit";
        case WhatIf::Kind::durability: return "WAL durability";
    }
    return "?";
}

std::int64_t current_value(const Scenario& s, WhatIf::Kind kind) {
    switch (kind) {
        case WhatIf::Kind::commit_rule: return s.broker.commit_rule == CommitRule::contiguous ? 1 : 0;
        case WhatIf::Kind::lease_ms:
            for (const ConsumerSpec& c : s.consumers) {
                if (c.lease_ms > 0) return c.lease_ms;
            }
            return s.broker.default_lease_ms;
        case WhatIf::Kind::max_attempts: {
            const RetryPolicy* r = first_retry_policy(s);
            return r ? r->max_attempts : 0;
        }
        case WhatIf::Kind::backoff_ms: {
            const RetryPolicy* r = first_retry_policy(s);
            return r ? r->backoff_ms : 0;
        }
        case WhatIf::Kind::max_in_flight: return s.broker.max_in_flight;
        case WhatIf::Kind::durability:
            if (!s.wal) return 0;
            return s.wal->durability == Durability::always ? 0 : s.wal->durability == Durability::batch ? 1 : 2;
    }
    return 0;
}

std::string describe(const WhatIf& w) {
    switch (w.kind) {
        case WhatIf::Kind::commit_rule: return w.value ? "the contiguous commit rule" : "the highest-acked commit rule";
        case WhatIf::Kind::lease_ms: return "a " + std::to_string(w.value) + " ms lease";
        case WhatIf::Kind::max_attempts: return w.value ? "max attempts " + std::to_string(w.value) : "unlimited attempts";
        case WhatIf::Kind::backoff_ms: return "a " + std::to_string(w.value) + " ms backoff";
        case WhatIf::Kind::max_in_flight: return w.value > 0 ? std::to_string(w.value) + " in flight per partition" : "no in-flight limit";
        case WhatIf::Kind::durability: return std::string("WAL durability ") + durability_name(w.value);
    }
    return "?";
}

std::string apply_what_if(Scenario& s, const WhatIf& w) {
    switch (w.kind) {
        case WhatIf::Kind::commit_rule:
            s.broker.commit_rule = w.value ? CommitRule::contiguous : CommitRule::highest_acked;
            return {};
        case WhatIf::Kind::lease_ms:
            if (w.value < 1 || w.value > 1'000'000'000) return "a lease is 1 ms to 1,000,000,000 ms";
            for (ConsumerSpec& c : s.consumers) c.lease_ms = w.value;
            s.broker.default_lease_ms = w.value;
            s.broker.ack_timeout_ms = w.value;
            return {};
        case WhatIf::Kind::max_attempts:
            if (w.value < 0 || w.value > 1'000'000) return "max attempts is 0 (unlimited) to 1,000,000";
            each_retry_policy(s, [&](RetryPolicy& r) { r.max_attempts = static_cast<int>(w.value); });
            return {};
        case WhatIf::Kind::backoff_ms:
            if (w.value < 0 || w.value > 1'000'000'000) return "a backoff is 0 ms to 1,000,000,000 ms";
            each_retry_policy(s, [&](RetryPolicy& r) { r.backoff_ms = w.value; });
            return {};
        case WhatIf::Kind::max_in_flight:
            if (w.value < 0 || w.value > 1'000'000) return "the in-flight limit is 0 (none) to 1,000,000";
            s.broker.max_in_flight = static_cast<int>(w.value);
            return {};
        case WhatIf::Kind::durability:
            if (!s.wal) return "this scenario has no WAL";
            if (w.value < 0 || w.value > 2) return "durability is always, batch or none";
            s.wal->durability = w.value == 0 ? Durability::always : w.value == 1 ? Durability::batch : Durability::none;
            return {};
    }
    assert(false && "every kind is handled above");
    return "unknown change";
}

}  // namespace driftq::sim
