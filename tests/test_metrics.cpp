#include <doctest/doctest.h>

#include "broker_fixture.hpp"

using namespace driftq;
using namespace driftq::testing;

TEST_CASE("lag counts every message after the commit, in-flight ones included") {
    Fixture f;
    REQUIRE(f.broker.create_topic("t", 2, 0));
    StreamId a = f.subscribe("t", "g", "A", 5000);
    for (int i = 0; i < 4; ++i) f.produce("t", "");  // all to partition 0
    f.take(a);
    REQUIRE(f.broker.ack_if_owner("t", "g", {0, 0}, "A", 0));
    MetricsSnapshot m = f.broker.metrics();
    REQUIRE(m.partitions.size() == 2);
    CHECK(m.partitions[0] == PartitionGauge{"t", "g", 0, 2, 3});
    CHECK(m.partitions[1] == PartitionGauge{"t", "g", 1, 0, 0});
}

TEST_CASE("a group stays in the metrics after its last stream leaves") {
    Fixture f;
    REQUIRE(f.broker.create_topic("t", 1, 0));
    StreamId a = f.subscribe("t", "g", "A");
    f.produce("t", "");
    REQUIRE(f.broker.unsubscribe(a, 0));
    MetricsSnapshot m = f.broker.metrics();
    REQUIRE(m.partitions.size() == 1);
    CHECK(m.partitions[0] == PartitionGauge{"t", "g", 0, 1, 1});
}

TEST_CASE("counters appear only after their first increment") {
    BrokerOptions o;
    o.max_partition_messages = 1;
    Fixture f(o);
    REQUIRE(f.broker.create_topic("t", 1, 0));
    MetricsSnapshot m = f.broker.metrics();
    CHECK(m.produce_rejected_total.empty());
    CHECK(m.dlq_messages_total.empty());
    CHECK(m.partitions.empty());  // no group yet
    f.produce("t", "");
    CHECK_FALSE(f.broker.produce(ProduceRequest{"t", "", "v", {}}, 0));  // the partition is full
    m = f.broker.metrics();
    REQUIRE(m.produce_rejected_total.size() == 1);
    CHECK(m.produce_rejected_total.at("partition_buffer_full") == 1);
    CHECK(m.dlq_messages_total.empty());  // still never incremented
}

TEST_CASE("a failed ack for an unknown group still makes the group appear, as upstream") {
    Fixture f;
    REQUIRE(f.broker.create_topic("t", 1, 0));
    f.produce("t", "");
    CHECK(f.broker.ack_if_owner("t", "ghost", {0, 0}, "o", 0).error().code == Errc::not_in_flight);
    MetricsSnapshot m = f.broker.metrics();
    REQUIRE(m.partitions.size() == 1);
    CHECK(m.partitions[0] == PartitionGauge{"t", "ghost", 0, 0, 1});
}

TEST_CASE("with failed_answer_creates_group off, a failed ack or nack for an unknown group creates nothing") {
    BrokerOptions o;
    o.failed_answer_creates_group = false;
    Fixture f(o);
    REQUIRE(f.broker.create_topic("t", 4096, 0));
    f.produce("t", "");
    // A million-byte group name, as a hostile client sends it: refused, nothing kept.
    const std::string huge(1 << 20, 'g');
    CHECK(f.broker.ack_if_owner("t", huge, {0, 0}, "o", 0).error().code == Errc::not_in_flight);
    CHECK(f.broker.nack("t", "ghost", {0, 0}, "o", "why", 0).error().code == Errc::not_in_flight);
    CHECK(f.broker.find_topic("t")->groups.empty());
    CHECK(f.broker.metrics().partitions.empty());
    // A real group still answers as before.
    const StreamId s = f.subscribe("t", "g", "o");
    REQUIRE(f.take(s).size() == 1);
    CHECK(f.broker.ack_if_owner("t", "g", {0, 0}, "someone", 0).error().code == Errc::not_owner);
    CHECK(f.broker.ack_if_owner("t", "g", {0, 0}, "o", 0));
    CHECK(f.broker.find_topic("t")->groups.size() == 1);
}
