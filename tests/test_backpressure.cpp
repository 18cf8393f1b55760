#include <doctest/doctest.h>

#include "broker_fixture.hpp"

using namespace driftq;
using namespace driftq::testing;

TEST_CASE("with no committing group exactly 100 messages per partition are accepted") {
    Fixture f;
    REQUIRE(f.broker.create_topic("t", 2, 0));
    for (int i = 0; i < 100; ++i) f.produce("t", "");
    auto r = f.broker.produce(ProduceRequest{"t", "", "v", {}}, 0);
    REQUIRE_FALSE(r);
    CHECK(r.error().code == Errc::producer_overloaded);
    CHECK(r.error().reason == "partition_buffer_full");
    CHECK(r.error().message == "producer overload: partition_buffer_full");
    // The cap is per partition: partition 1 ("k1") still has room.
    CHECK(f.produce("t", "k1").partition == 1);
    CHECK(f.broker.metrics().produce_rejected_total.at("partition_buffer_full") == 1);
}

TEST_CASE("a committing group frees buffer space; a consuming group that never acked does not") {
    BrokerOptions o;
    o.max_partition_messages = 3;
    Fixture f(o);
    REQUIRE(f.broker.create_topic("t", 1, 0));
    StreamId a = f.subscribe("t", "g", "A", 5000);
    for (int i = 0; i < 3; ++i) f.produce("t", "");
    CHECK_FALSE(f.broker.produce(ProduceRequest{"t", "", "v", {}}, 0));  // "g" never committed
    REQUIRE(f.broker.ack_if_owner("t", "g", {0, 0}, "A", 0));
    CHECK(f.broker.produce(ProduceRequest{"t", "", "v", {}}, 0).ok());  // 1,2,3 buffered
    CHECK_FALSE(f.broker.produce(ProduceRequest{"t", "", "v", {}}, 0));
    (void)a;
}

TEST_CASE("the slowest committing group decides the buffered count") {
    BrokerOptions o;
    o.max_partition_messages = 2;
    Fixture f(o);
    REQUIRE(f.broker.create_topic("t", 1, 0));
    f.subscribe("t", "fast", "F", 5000);
    f.subscribe("t", "slow", "S", 5000);
    f.produce("t", "");
    f.produce("t", "");
    REQUIRE(f.broker.ack_if_owner("t", "fast", {0, 0}, "F", 0));
    REQUIRE(f.broker.ack_if_owner("t", "fast", {0, 1}, "F", 0));
    REQUIRE(f.broker.ack_if_owner("t", "slow", {0, 0}, "S", 0));
    // slow committed 0: one message (offset 1) buffered, room for one more.
    CHECK(f.broker.produce(ProduceRequest{"t", "", "v", {}}, 0).ok());
    CHECK_FALSE(f.broker.produce(ProduceRequest{"t", "", "v", {}}, 0));
}

TEST_CASE("the byte cap counts key+value and rejects when the total reaches 65536") {
    Fixture f;
    REQUIRE(f.broker.create_topic("t", 1, 0));
    CHECK(f.broker.produce(ProduceRequest{"t", "", std::string(32768, 'x'), {}}, 0).ok());
    CHECK(f.broker.produce(ProduceRequest{"t", "", std::string(32767, 'x'), {}}, 0).ok());
    auto r = f.broker.produce(ProduceRequest{"t", "", "x", {}}, 0);  // total would be 65536
    REQUIRE_FALSE(r);
    CHECK(r.error().reason == "partition_buffer_bytes_full");
    CHECK(r.error().message == "producer overload: partition_buffer_bytes_full");
}

TEST_CASE("two half-cap values: the second reaches the cap exactly and is rejected") {
    Fixture f;
    REQUIRE(f.broker.create_topic("t", 1, 0));
    CHECK(f.broker.produce(ProduceRequest{"t", "", std::string(32768, 'x'), {}}, 0).ok());
    CHECK_FALSE(f.broker.produce(ProduceRequest{"t", "", std::string(32768, 'x'), {}}, 0));
    CHECK(f.broker.produce(ProduceRequest{"t", "", std::string(32767, 'x'), {}}, 0).ok());
}

TEST_CASE("caps set to zero are disabled") {
    BrokerOptions o;
    o.max_partition_messages = 0;
    o.max_partition_bytes = 0;
    Fixture f(o);
    REQUIRE(f.broker.create_topic("t", 1, 0));
    for (int i = 0; i < 500; ++i) f.produce("t", "", std::string(1000, 'x'));
    CHECK(f.broker.find_topic("t")->partitions[0].messages.size() == 500);
}
