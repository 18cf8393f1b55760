#include <doctest/doctest.h>

#include "broker_fixture.hpp"

using namespace driftq;
using namespace driftq::testing;

namespace {
// One partition, two messages in flight to owner A.
struct TwoInFlight : Fixture {
    explicit TwoInFlight(CommitRule rule = CommitRule::highest_acked) : Fixture(options(rule)) {
        REQUIRE(broker.create_topic("t", 1, 0));
        a = subscribe("t", "g", "A", 5000);
        produce("t", "");
        produce("t", "");
        REQUIRE(take(a).size() == 2);
    }
    static BrokerOptions options(CommitRule rule) {
        BrokerOptions o;
        o.commit_rule = rule;
        return o;
    }
    std::int64_t committed() const { return broker.committed_offset("t", "g", 0); }
    StreamId a = 0;
};
}  // namespace

TEST_CASE("ack validation reports the reference's errors in the reference's order") {
    TwoInFlight f;
    auto msg = [&](std::string_view topic, std::string_view group, Position at,
                   std::string_view owner) {
        return f.broker.ack_if_owner(topic, group, at, owner, 0).message();
    };
    CHECK(msg("", "g", {0, 0}, "A") == "topic cannot be empty");
    CHECK(msg("t", "", {0, 0}, "A") == "group cannot be empty");
    CHECK(msg("t", "g", {-1, 0}, "A") == "partition cannot be negative");
    CHECK(msg("t", "g", {0, -1}, "A") == "offset cannot be negative");
    CHECK(msg("t", "g", {0, 0}, "  ") == "owner cannot be empty");
    CHECK(msg("x", "g", {0, 0}, "A") == "topic does not exist");
    CHECK(msg("t", "g", {1, 0}, "A") == "partition out of range");
    CHECK(msg("t", "g", {0, 9}, "A") == "message is not in-flight");
    CHECK(msg("t", "other", {0, 0}, "A") == "message is not in-flight");
    Status wrong = f.broker.ack_if_owner("t", "g", {0, 0}, "B", 0);
    CHECK(wrong.error().code == Errc::not_owner);
    CHECK(wrong.message() == "not owner");
}

TEST_CASE("a second ack of the same delivery is 'message is not in-flight'") {
    TwoInFlight f;
    REQUIRE(f.broker.ack_if_owner("t", "g", {0, 0}, " A ", 0));  // owner is trimmed
    CHECK(f.broker.ack_if_owner("t", "g", {0, 0}, "A", 0).error().code == Errc::not_in_flight);
}

TEST_CASE("highest_acked: acking offset 1 before 0 commits 1; the late ack of 0 changes nothing") {
    TwoInFlight f;
    REQUIRE(f.broker.ack_if_owner("t", "g", {0, 1}, "A", 0));
    CHECK(f.committed() == 1);
    REQUIRE(f.broker.ack_if_owner("t", "g", {0, 0}, "A", 0));
    CHECK(f.committed() == 1);
    CHECK(f.events_of(EventKind::late_ack).size() == 1);
    CHECK(f.events_of(EventKind::offset_committed).size() == 1);
}

TEST_CASE("contiguous: acking 1 before 0 commits nothing until 0 is acked, then both") {
    TwoInFlight f(CommitRule::contiguous);
    REQUIRE(f.broker.ack_if_owner("t", "g", {0, 1}, "A", 0));
    CHECK(f.committed() == -1);
    REQUIRE(f.broker.ack_if_owner("t", "g", {0, 0}, "A", 0));
    CHECK(f.committed() == 1);
    auto commits = f.events_of(EventKind::offset_committed);
    REQUIRE(commits.size() == 1);
    CHECK(commits[0].offset == 1);
}

TEST_CASE("contiguous: the commit follows the partition's own offsets, not the topic's") {
    BrokerOptions o;
    o.commit_rule = CommitRule::contiguous;
    Fixture f(o);
    REQUIRE(f.broker.create_topic("t", 2, 0));
    StreamId a = f.subscribe("t", "g", "A", 5000);
    for (const char* k : {"k0", "k1", "k2"}) f.produce("t", k);  // p0: 0,2  p1: 1
    f.take(a);
    REQUIRE(f.broker.ack_if_owner("t", "g", {0, 0}, "A", 0));
    REQUIRE(f.broker.ack_if_owner("t", "g", {0, 2}, "A", 0));
    CHECK(f.broker.committed_offset("t", "g", 0) == 2);  // offset 1 lives in partition 1
}

TEST_CASE("an ack works after the owner disconnected") {
    TwoInFlight f;
    REQUIRE(f.broker.unsubscribe(f.a, 0));
    CHECK(f.broker.ack_if_owner("t", "g", {0, 0}, "A", 0).ok());
    CHECK(f.committed() == 0);
}

TEST_CASE("plain ack has no in-flight check and can commit past the log end") {
    Fixture f;
    REQUIRE(f.broker.create_topic("t", 1, 0));
    f.produce("t", "");
    f.produce("t", "");
    REQUIRE(f.broker.ack("t", "g", {0, 7}, 0));
    CHECK(f.broker.committed_offset("t", "g", 0) == 7);
}
