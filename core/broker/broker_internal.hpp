// Helpers shared by the broker_*.cpp files. Not part of the public API.
#pragma once

#include "broker/broker.hpp"

namespace driftq {

// Outcome of picking a receiver for one message.
struct Broker::StreamChoice {
    enum class Kind { chosen, already_done, all_leases_held, error } kind = Kind::chosen;
    std::size_t index = 0;        // into Group::streams, for chosen and already_done
    std::optional<Error> error;  // set only for Kind::error (kept out of the hot path)
};

template <class Fill>
void Broker::emit(EventKind kind, TimeMs now, Fill&& fill) {
    // Building an event costs string copies; skip it entirely when nobody listens.
    if (sink_ == nullptr) return;
    Event e;
    e.at = now;
    e.seq = ++event_seq_;
    e.kind = kind;
    fill(e);
    sink_->on_event(e);
}

inline void set_undispatched(Group& g, std::size_t p) { g.undispatched[p / 64] |= 1ULL << (p % 64); }
inline void clear_undispatched(Group& g, std::size_t p) {
    g.undispatched[p / 64] &= ~(1ULL << (p % 64));
}

inline IdemKey consume_key(const std::string& topic, const std::string& group, const Message& m) {
    return IdemKey{IdemScope::consume, m.tenant_id(), topic, group, m.idempotency_key()};
}

inline Error topic_missing() { return make_error(Errc::topic_not_found, "topic does not exist"); }

}  // namespace driftq
