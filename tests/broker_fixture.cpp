#include "broker_fixture.hpp"

#include <doctest/doctest.h>

namespace driftq::testing {

Fixture::Fixture(BrokerOptions options) : broker(options) { broker.set_event_sink(&sink); }

Position Fixture::produce(const std::string& topic, const std::string& key,
                          const std::string& value, TimeMs now) {
    return produce(ProduceRequest{topic, key, value, std::nullopt}, now);
}

Position Fixture::produce(ProduceRequest request, TimeMs now) {
    auto r = broker.produce(std::move(request), now);
    REQUIRE_MESSAGE(r.ok(), (r.ok() ? "" : r.error().message));
    return r.value().position;
}

StreamId Fixture::subscribe(const std::string& topic, const std::string& group,
                            const std::string& owner, TimeMs lease_ms, TimeMs now) {
    auto r = broker.subscribe(topic, group, owner, lease_ms, now);
    REQUIRE_MESSAGE(r.ok(), (r.ok() ? "" : r.error().message));
    return r.value();
}

std::vector<Event> Fixture::events_of(EventKind kind) const {
    std::vector<Event> out;
    for (const Event& e : sink.events) {
        if (e.kind == kind) out.push_back(e);
    }
    return out;
}

Envelope with_retry(int max_attempts, std::int64_t backoff_ms, std::int64_t max_backoff_ms) {
    Envelope env;
    env.retry_policy = RetryPolicy{max_attempts, backoff_ms, max_backoff_ms};
    return env;
}

}  // namespace driftq::testing
