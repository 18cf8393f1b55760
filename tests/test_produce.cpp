#include <doctest/doctest.h>

#include "broker_fixture.hpp"

using namespace driftq;
using namespace driftq::testing;

namespace {
ProduceRequest request(std::string topic, std::string key, Envelope env) {
    return ProduceRequest{std::move(topic), std::move(key), "v", std::move(env)};
}
}  // namespace

TEST_CASE("produce to an empty or unknown topic fails with the reference's text") {
    Fixture f;
    auto empty = f.broker.produce(ProduceRequest{"", "k", "v", {}}, 0);
    REQUIRE_FALSE(empty);
    CHECK(empty.error().message == "topic cannot be empty");
    auto missing = f.broker.produce(ProduceRequest{"nope", "k", "v", {}}, 0);
    REQUIRE_FALSE(missing);
    CHECK(missing.error().code == Errc::topic_not_found);
    CHECK(missing.error().message == "topic does not exist (create it first)");
    CHECK(f.events_of(EventKind::produce_rejected).size() == 2);
}

TEST_CASE("partition_override wins over the key hash and must be inside the topic") {
    Fixture f;
    REQUIRE(f.broker.create_topic("t", 4, 0));
    Envelope env;
    env.partition_override = 0;
    CHECK(f.produce(request("t", "k1", env)).partition == 0);  // hash would say 1
    env.partition_override = 4;
    auto high = f.broker.produce(request("t", "k1", env), 0);
    REQUIRE_FALSE(high);
    CHECK(high.error().message == "partition_override out of range");
    env.partition_override = -1;
    CHECK(f.broker.produce(request("t", "k1", env), 0).error().code == Errc::out_of_range);
    CHECK(f.broker.find_topic("t")->next_offset == 1);  // failed produces consume no offset
}

TEST_CASE("target_topic redirects the produce, and a missing target is an error") {
    Fixture f;
    REQUIRE(f.broker.create_topic("a", 1, 0));
    REQUIRE(f.broker.create_topic("b", 1, 0));
    Envelope env;
    env.target_topic = "b";
    auto r = f.broker.produce(request("a", "k", env), 0);
    REQUIRE(r);
    CHECK(r->topic == "b");
    CHECK(f.broker.find_topic("a")->partitions[0].messages.empty());
    CHECK(f.broker.find_topic("b")->partitions[0].messages.size() == 1);
    env.target_topic = "c";
    CHECK(f.broker.produce(request("a", "k", env), 0).error().message ==
          "topic does not exist (create it first)");
}

TEST_CASE("a deadline rejects only produces strictly after it") {
    Fixture f;
    REQUIRE(f.broker.create_topic("t", 1, 0));
    Envelope env;
    env.deadline_ms = 1000;
    CHECK(f.broker.produce(request("t", "k", env), 1000).ok());  // equal instant passes
    auto late = f.broker.produce(request("t", "k", env), 1001);
    REQUIRE_FALSE(late);
    CHECK(late.error().code == Errc::deadline_exceeded);
    CHECK(late.error().message == "message deadline exceeded");
}

TEST_CASE("the stored message keeps key, value and envelope") {
    Fixture f;
    REQUIRE(f.broker.create_topic("t", 1, 0));
    Envelope env;
    env.run_id = "run-1";
    env.labels = {{"a", "b"}};
    f.produce(request("t", "key", env));
    const Message& m = f.broker.find_topic("t")->partitions[0].messages.at(0);
    CHECK(m.key() == "key");
    CHECK(m.value() == "v");
    REQUIRE(m.envelope());
    CHECK(m.envelope()->run_id == "run-1");
    CHECK(m.envelope()->labels.at("a") == "b");
    CHECK(m.routing() == nullptr);  // no router installed
}
