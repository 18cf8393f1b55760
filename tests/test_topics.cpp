#include <doctest/doctest.h>

#include "broker_fixture.hpp"

using namespace driftq;
using namespace driftq::testing;

TEST_CASE("create_topic rejects an empty name and a partition count below one") {
    Broker b;
    Status empty = b.create_topic("", 1, 0);
    REQUIRE_FALSE(empty);
    CHECK(empty.message() == "topic name cannot be empty");
    CHECK(b.create_topic("t", 0, 0).message() == "partitions must be > 0");
    CHECK(b.create_topic("t", -3, 0).message() == "partitions must be > 0");
    CHECK(b.list_topics().empty());
}

TEST_CASE("creating an existing topic succeeds silently and keeps its partition count") {
    Fixture f;
    REQUIRE(f.broker.create_topic("t", 2, 0));
    CHECK(f.broker.create_topic("t", 8, 0).ok());
    CHECK(f.broker.find_topic("t")->partitions.size() == 2);
    CHECK(f.events_of(EventKind::topic_created).size() == 1);
}

TEST_CASE("list_topics returns names sorted, dlq topics included") {
    Broker b;
    REQUIRE(b.create_topic("zeta", 1, 0));
    REQUIRE(b.create_topic("alpha", 1, 0));
    REQUIRE(b.create_topic("dlq.alpha", 1, 0));
    CHECK(b.list_topics() == std::vector<std::string>{"alpha", "dlq.alpha", "zeta"});
}
