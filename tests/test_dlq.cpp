#include <doctest/doctest.h>

#include "broker_fixture.hpp"

using namespace driftq;
using namespace driftq::testing;

TEST_CASE("max attempts 3 with lease 300: attempts at 0, 500, 1000 and DLQ at the 1500 tick") {
    Fixture f;
    REQUIRE(f.broker.create_topic("t", 3, 0));
    StreamId a = f.subscribe("t", "g", "A", 300);
    Envelope env = with_retry(3);
    env.run_id = "run-7";
    env.tenant_id = "acme";
    env.target_topic = "t";
    env.partition_override = 2;
    Position at = f.produce(ProduceRequest{"t", "k1", "payload", env});
    f.advance(1499);
    CHECK(f.take(a).size() == 3);
    CHECK(f.events_of(EventKind::dead_lettered).empty());
    f.advance(1500);

    const Topic* dlq = f.broker.find_topic("dlq.t");
    REQUIRE(dlq != nullptr);
    CHECK(dlq->partitions.size() == 3);  // created with the source's partition count
    // The override is cleared, so the DLQ copy is placed by its key: "k1" % 3 = 0.
    REQUIRE(dlq->partitions[0].messages.size() == 1);
    const Message& m = dlq->partitions[0].messages[0];
    CHECK(m.key() == "k1");
    CHECK(m.value() == "payload");
    const Envelope* e = m.envelope();
    REQUIRE(e);
    CHECK(e->run_id == "run-7");
    CHECK(e->tenant_id == "acme");
    CHECK(e->target_topic.empty());
    CHECK_FALSE(e->partition_override);
    CHECK_FALSE(e->retry_policy);
    REQUIRE(e->dlq);
    CHECK(*e->dlq == DlqMetadata{"t", at.partition, at.offset, 3, "ack_timeout", 1500});

    CHECK(f.broker.committed_offset("t", "g", at.partition) == at.offset);
    CHECK(f.broker.in_flight_total() == 0);
    CHECK(f.broker.metrics().dlq_messages_total.at("t") == 1);
}

TEST_CASE("max attempts 1: the first nack dead-letters at once with the nack reason") {
    Fixture f;
    REQUIRE(f.broker.create_topic("t", 1, 0));
    StreamId a = f.subscribe("t", "g", "A", 5000);
    Position at = f.produce(ProduceRequest{"t", "", "v", with_retry(1)});
    REQUIRE(f.take(a).size() == 1);
    REQUIRE(f.broker.nack("t", "g", at, "A", "boom", 40));
    const Message& m = f.broker.find_topic("dlq.t")->partitions[0].messages.at(0);
    CHECK(m.envelope()->dlq->last_error == "boom");
    CHECK(m.envelope()->dlq->attempts == 1);
    CHECK(m.envelope()->dlq->routed_at_ms == 40);
    CHECK(f.take(a).empty());
}

TEST_CASE("each group dead-letters its own copy") {
    Fixture f;
    REQUIRE(f.broker.create_topic("t", 1, 0));
    StreamId a = f.subscribe("t", "g1", "A", 5000);
    StreamId b = f.subscribe("t", "g2", "B", 5000);
    Position at = f.produce(ProduceRequest{"t", "", "v", with_retry(1)});
    f.take(a);
    f.take(b);
    REQUIRE(f.broker.nack("t", "g1", at, "A", "x", 0));
    REQUIRE(f.broker.nack("t", "g2", at, "B", "y", 0));
    CHECK(f.broker.find_topic("dlq.t")->partitions[0].messages.size() == 2);
    CHECK(f.broker.metrics().dlq_messages_total.at("t") == 2);
}

TEST_CASE("DLQ messages reach DLQ consumers and are never dead-lettered again") {
    Fixture f;
    REQUIRE(f.broker.create_topic("t", 1, 0));
    REQUIRE(f.broker.create_topic("dlq.t", 1, 0));
    StreamId a = f.subscribe("t", "g", "A", 5000);
    StreamId d = f.subscribe("dlq.t", "ops", "D", 300);
    Position at = f.produce(ProduceRequest{"t", "", "v", with_retry(1)});
    f.take(a);
    REQUIRE(f.broker.nack("t", "g", at, "A", "x", 0));
    f.advance(3000);
    auto got = f.take(d);
    REQUIRE(got.size() == 7);  // 0, 500, 1000, ... redelivered forever
    CHECK(got.back().attempts == 7);
    CHECK(f.broker.find_topic("dlq.dlq.t") == nullptr);
}

TEST_CASE("a failed DLQ publish keeps the message in flight and appends the error every tick") {
    BrokerOptions o;
    o.max_partition_messages = 1;
    Fixture f(o);
    REQUIRE(f.broker.create_topic("t", 1, 0));
    REQUIRE(f.broker.create_topic("dlq.t", 1, 0));
    f.produce("dlq.t", "");  // fills the DLQ partition: nobody commits there
    StreamId a = f.subscribe("t", "g", "A", 5000);
    Position at = f.produce(ProduceRequest{"t", "", "v", with_retry(1)});
    f.take(a);
    REQUIRE(f.broker.nack("t", "g", at, "A", "boom", 0));
    const auto& gp = f.broker.find_topic("t")->groups.at("g").partitions[0];
    REQUIRE(gp.in_flight.count(0) == 1);
    CHECK(gp.in_flight.at(0).last_error ==
          "boom | dlq_publish_failed: producer overload: partition_buffer_full");
    f.advance(250);
    CHECK(gp.in_flight.at(0).last_error ==
          "boom | dlq_publish_failed: producer overload: partition_buffer_full"
          " | dlq_publish_failed: producer overload: partition_buffer_full");
    CHECK(f.broker.metrics().produce_rejected_total.at("partition_buffer_full") == 2);
    CHECK(f.broker.committed_offset("t", "g", 0) == -1);
}
