#include <doctest/doctest.h>

#include "broker_fixture.hpp"

using namespace driftq;
using namespace driftq::testing;

namespace {
// A short story touching most of the broker: produce, deliver, timeout, nack, DLQ, ack.
void story(Fixture& f) {
    REQUIRE(f.broker.create_topic("orders", 2, 0));
    StreamId a = f.subscribe("orders", "billing", "worker-a", 300, 0);
    f.subscribe("orders", "billing", "worker-b", 300, 0);
    Envelope env = with_retry(2);
    env.run_id = "run-1";
    Position p1 = f.produce(ProduceRequest{"orders", "user:1", "charge", env}, 10);
    Position p2 = f.produce(ProduceRequest{"orders", "user:2", "refund", std::nullopt}, 20);
    f.advance(500);  // both time out; redelivery walks partition 0 first: p2 -> a, p1 -> b
    REQUIRE(f.broker.nack("orders", "billing", p1, "worker-b", "card declined", 510).ok());
    REQUIRE(f.broker.ack_if_owner("orders", "billing", p2, "worker-a", 520).ok());
    f.advance(1000);
    (void)a;
}

std::string trace(const Fixture& f) {
    std::string out;
    for (const Event& e : f.sink.events) out += to_json(e) + "\n";
    return out;
}
}  // namespace

TEST_CASE("the same operations give a byte-identical trace and state dump") {
    Fixture one;
    Fixture two;
    story(one);
    story(two);
    CHECK(trace(one) == trace(two));
    CHECK(one.broker.dump_state() == two.broker.dump_state());
    CHECK(one.sink.events.size() > 10);
}

TEST_CASE("events serialise as one JSON object with only the fields that apply") {
    Event e;
    e.at = 1500;
    e.seq = 7;
    e.kind = EventKind::dead_lettered;
    e.topic = "t";
    e.group = "g";
    e.partition = 0;
    e.offset = 3;
    e.attempts = 3;
    e.value = 0;
    e.text = "a \"quoted\"\nreason";
    e.target = "dlq.t";
    CHECK(to_json(e) ==
          R"({"seq":7,"at":1500,"kind":"dead_lettered","topic":"t","group":"g","partition":0,)"
          R"("offset":3,"attempts":3,"value":0,"text":"a \"quoted\"\nreason","target":"dlq.t"})");
}

TEST_CASE("the story's state dump is the golden text") {
    Fixture f;
    story(f);
    // user:1 -> partition 1, user:2 -> partition 0 (FNV-1a). Offset 0 (user:1) was nacked on its
    // second attempt and dead-lettered; offset 1 was acked by worker-a. A plain ack does not
    // purge retry state (reference 1.6), so offset 1's "ack_timeout" stays.
    const std::string expected = R"(driftq-state v1 last_tick=1000 in_flight=0
topic "dlq.orders" partitions=2 next_offset=1
  partition 0 messages=0 bytes=0
  partition 1 messages=1 bytes=12
    msg 0 key="user:1" value="charge" env{ run="run-1" dlq="orders"/1/0 dlq_attempts=2 dlq_last_error="ack_timeout | card declined" dlq_at=510 }
topic "orders" partitions=2 next_offset=2
  partition 0 messages=1 bytes=12
    msg 1 key="user:2" value="refund"
  partition 1 messages=1 bytes=12
    msg 0 key="user:1" value="charge" env{ run="run-1" retry=2/0/0 }
  group "billing" rr_cursor=0 has_offsets=true
    stream 1 owner="worker-a" lease=300 outbox=2
    stream 2 owner="worker-b" lease=300 outbox=2
    partition 0 committed=1 next_index=1
      retry_state 1 last_error="ack_timeout" at=500
    partition 1 committed=0 next_index=1
metric dlq_messages_total topic="orders" reason="max_attempts_reached" 1
)";
    CHECK(f.broker.dump_state() == expected);
}
