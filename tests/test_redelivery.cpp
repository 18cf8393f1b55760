#include <doctest/doctest.h>

#include "broker_fixture.hpp"

using namespace driftq;
using namespace driftq::testing;

namespace {
std::vector<TimeMs> delivery_times(const Fixture& f) {
    std::vector<TimeMs> out;
    for (const Event& e : f.sink.events) {
        if (e.kind == EventKind::delivered || e.kind == EventKind::redelivered) out.push_back(e.at);
    }
    return out;
}
}  // namespace

TEST_CASE("an unacked delivery is redelivered at the first tick at or after sent_at + lease") {
    Fixture f;
    REQUIRE(f.broker.create_topic("t", 1, 0));
    StreamId a = f.subscribe("t", "g", "A", 300);
    f.produce("t", "", "v", 100);
    f.advance(499);
    CHECK(delivery_times(f) == std::vector<TimeMs>{100});
    f.advance(500);  // expiry at 400 -> tick 500
    auto got = f.take(a);
    REQUIRE(got.size() == 2);
    CHECK(got[1].attempts == 2);
    CHECK(got[1].last_error == "ack_timeout");
    CHECK(got[1].delivered_at == 500);
}

TEST_CASE("without a retry policy redelivery repeats every lease, labelled ack_timeout once") {
    Fixture f;
    REQUIRE(f.broker.create_topic("t", 1, 0));
    StreamId a = f.subscribe("t", "g", "A", 300);
    f.produce("t", "");
    f.advance(2000);
    CHECK(delivery_times(f) == std::vector<TimeMs>{0, 500, 1000, 1500, 2000});
    auto got = f.take(a);
    CHECK(got.back().attempts == 5);
    CHECK(got.back().last_error == "ack_timeout");
    CHECK(f.events_of(EventKind::retry_state_recorded).size() == 1);
    CHECK(f.events_of(EventKind::lease_expired).size() == 4);
}

TEST_CASE("redelivery transfers ownership: the stale owner's ack is refused, the new owner's works") {
    Fixture f;
    REQUIRE(f.broker.create_topic("t", 1, 0));
    StreamId a = f.subscribe("t", "g", "ownerA", 300);
    StreamId b = f.subscribe("t", "g", "ownerB", 300);
    Position at = f.produce("t", "k1");
    REQUIRE(f.take(a).size() == 1);  // cursor 0 -> A
    f.advance(500);
    auto to_b = f.take(b);
    REQUIRE(to_b.size() == 1);
    CHECK(to_b[0].attempts == 2);
    CHECK(f.broker.ack_if_owner("t", "g", at, "ownerA", 600).error().code == Errc::not_owner);
    CHECK(f.broker.ack_if_owner("t", "g", at, "ownerB", 600).ok());
}

TEST_CASE("an owner with no live stream falls back to the 2 s ack timeout") {
    Fixture f;
    REQUIRE(f.broker.create_topic("t", 1, 0));
    StreamId a = f.subscribe("t", "g", "A", 300);
    StreamId keep = f.subscribe("t", "g", "K", 300);
    f.produce("t", "");  // to A
    REQUIRE(f.broker.unsubscribe(a, 0));
    f.advance(1750);
    CHECK(f.take(keep).empty());  // A's 300 ms lease no longer applies
    f.advance(2000);
    auto got = f.take(keep);
    REQUIRE(got.size() == 1);
    CHECK(got[0].delivered_at == 2000);
}

TEST_CASE("nothing progresses for a group with no live stream; a new stream gets it at the next tick") {
    Fixture f;
    REQUIRE(f.broker.create_topic("t", 1, 0));
    StreamId a = f.subscribe("t", "g", "A", 300);
    f.produce("t", "");
    REQUIRE(f.broker.unsubscribe(a, 0));
    f.advance(10000);
    CHECK(f.events_of(EventKind::lease_expired).empty());
    StreamId b = f.subscribe("t", "g", "B", 300, 10000);
    CHECK(f.take(b).empty());  // joining does not redeliver
    f.advance(10250);
    auto got = f.take(b);
    REQUIRE(got.size() == 1);
    CHECK(got[0].delivered_at == 10250);
    CHECK(got[0].attempts == 2);
}

TEST_CASE("tick runs every grid pass it skipped over, in order") {
    Fixture f;
    REQUIRE(f.broker.create_topic("t", 1, 0));
    f.subscribe("t", "g", "A", 200);  // every pass finds the last delivery expired
    f.produce("t", "");
    f.advance(1000);  // one call covering passes at 250, 500, 750, 1000
    CHECK(delivery_times(f) == std::vector<TimeMs>{0, 250, 500, 750, 1000});
    CHECK(f.broker.next_tick_at() == 1250);
}

TEST_CASE("the tick grid starts at tick_origin_ms") {
    BrokerOptions o;
    o.tick_origin_ms = 1'700'000'000'000;
    Fixture f(o);
    const TimeMs t0 = o.tick_origin_ms;
    REQUIRE(f.broker.create_topic("t", 1, t0));
    f.subscribe("t", "g", "A", 300, t0);
    f.produce("t", "", "v", t0 + 10);
    f.advance(t0 + 500);
    CHECK(delivery_times(f) == std::vector<TimeMs>{t0 + 10, t0 + 500});
}
