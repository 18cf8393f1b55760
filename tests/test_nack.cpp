#include <doctest/doctest.h>

#include "broker_fixture.hpp"

using namespace driftq;
using namespace driftq::testing;

namespace {
struct OneInFlight : Fixture {
    explicit OneInFlight(std::optional<Envelope> env = std::nullopt) {
        REQUIRE(broker.create_topic("t", 1, 0));
        a = subscribe("t", "g", "A", 300);
        at = produce(ProduceRequest{"t", "", "v", std::move(env)});
        REQUIRE(take(a).size() == 1);
    }
    StreamId a = 0;
    Position at;
};
}  // namespace

TEST_CASE("nack redelivers at once and chains reasons: '' -> 'nack' -> 'nack | boom'") {
    OneInFlight f;
    REQUIRE(f.broker.nack("t", "g", f.at, "A", "", 10));
    auto second = f.take(f.a);
    REQUIRE(second.size() == 1);
    CHECK(second[0].attempts == 2);
    CHECK(second[0].last_error == "nack");
    CHECK(second[0].delivered_at == 10);
    REQUIRE(f.broker.nack("t", "g", f.at, "A", "  boom ", 20));
    auto third = f.take(f.a);
    REQUIRE(third.size() == 1);
    CHECK(third[0].attempts == 3);
    CHECK(third[0].last_error == "nack | boom");
}

TEST_CASE("a nack after an ack timeout appends to 'ack_timeout'") {
    OneInFlight f;
    f.advance(500);
    REQUIRE(f.take(f.a).size() == 1);
    REQUIRE(f.broker.nack("t", "g", f.at, "A", "bad input", 600));
    auto got = f.take(f.a);
    REQUIRE(got.size() == 1);
    CHECK(got[0].last_error == "ack_timeout | bad input");
    f.advance(1500);  // later timeouts never relabel a non-empty chain
    CHECK(f.take(f.a).back().last_error == "ack_timeout | bad input");
}

TEST_CASE("nack skips the backoff gate") {
    OneInFlight f(with_retry(0, 60000));
    f.advance(500);  // attempt 2, gate now at 500 + 60 s
    REQUIRE(f.take(f.a).size() == 1);
    REQUIRE(f.broker.nack("t", "g", f.at, "A", "retry now", 600));
    auto got = f.take(f.a);
    REQUIRE(got.size() == 1);
    CHECK(got[0].attempts == 3);
}

TEST_CASE("nack validates like ack and refuses a non-owner") {
    OneInFlight f;
    CHECK(f.broker.nack("t", "g", f.at, "B", "x", 0).error().code == Errc::not_owner);
    CHECK(f.broker.nack("t", "g", {0, 5}, "A", "x", 0).message() == "message is not in-flight");
    CHECK(f.broker.nack("t", "g", {0, 0}, "", "x", 0).message() == "owner cannot be empty");
    CHECK(f.broker.nack("t", "g", {3, 0}, "A", "x", 0).message() == "partition out of range");
}

TEST_CASE("a nack with no live stream is recorded and redelivered once a stream is back") {
    OneInFlight f;
    REQUIRE(f.broker.unsubscribe(f.a, 0));
    REQUIRE(f.broker.nack("t", "g", f.at, "A", "offline", 100));
    CHECK(f.events_of(EventKind::redelivered).empty());
    StreamId b = f.subscribe("t", "g", "B", 300, 200);
    f.advance(250);
    auto got = f.take(b);
    REQUIRE(got.size() == 1);
    CHECK(got[0].last_error == "offline");
}

TEST_CASE("reasons and owners are trimmed of Unicode white space, as Go's TrimSpace does") {
    OneInFlight f;
    // U+00A0 no-break space and U+3000 ideographic space around the reason and the owner.
    REQUIRE(f.broker.nack("t", "g", f.at, "\u3000A\u00A0", "boom\u00A0", 0));
    auto got = f.take(f.a);
    REQUIRE(got.size() == 1);
    CHECK(got[0].last_error == "boom");
}
