// Helpers shared by the core tests: a broker with an event recorder and short-hands for the
// calls tests make most.
#pragma once

#include <string>
#include <vector>

#include "broker/broker.hpp"

namespace driftq::testing {

struct Fixture {
    explicit Fixture(BrokerOptions options = {});

    // Produces and requires success; returns where the message landed.
    Position produce(const std::string& topic, const std::string& key,
                     const std::string& value = "v", TimeMs now = 0);
    Position produce(ProduceRequest request, TimeMs now = 0);
    StreamId subscribe(const std::string& topic, const std::string& group,
                       const std::string& owner, TimeMs lease_ms = 0, TimeMs now = 0);
    // Runs every tick-grid pass up to `now`.
    void advance(TimeMs now) { broker.tick(now); }
    std::vector<Delivery> take(StreamId stream) { return broker.poll_all(stream); }
    // Events of one kind, in order.
    std::vector<Event> events_of(EventKind kind) const;

    VectorEventSink sink;
    Broker broker;
};

Envelope with_retry(int max_attempts, std::int64_t backoff_ms = 0, std::int64_t max_backoff_ms = 0);

}  // namespace driftq::testing
