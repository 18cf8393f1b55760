// Bounds (not in the reference): the largest message, the most partitions, the longest topic
// name. Each refuses at the call with an error naming it, so nothing is acknowledged that the WAL
// could not hold or a restart would lose; replay and import check numbers before using them.
#include <doctest/doctest.h>

#include "broker_fixture.hpp"
#include "broker/retry.hpp"
#include "wal/upstream_wal.hpp"
#include "wal/wal_format.hpp"
#include "wal_fixture.hpp"

using namespace driftq;
using namespace driftq::testing;

namespace {
ProduceRequest message(std::string value, std::string key = "k") { return ProduceRequest{"t", std::move(key), std::move(value), {}}; }

// No message bound but the WAL's, and no byte cap in the way.
BrokerOptions ceiling_options() {
    BrokerOptions o;
    o.max_message_bytes = 0;
    o.max_partition_bytes = 0;
    return o;
}

// `b` journaling to `disk`, with topic "t" of one partition. Keep the result: it owns the WAL.
Restored journaling_with_topic(Broker& b, MemoryStorage& disk) {
    auto restored = restore_broker(b, disk, WalOptions{}, 0);
    REQUIRE(restored.ok());
    REQUIRE(b.create_topic("t", 1, 0));
    return std::move(restored).value();
}
}  // namespace

TEST_CASE("a message over max_message_bytes is refused at produce, naming the limit, and nothing is appended") {
    BrokerOptions o;
    o.max_message_bytes = 100;
    o.max_partition_bytes = 0;
    Fixture f(o);
    REQUIRE(f.broker.create_topic("t", 1, 0));
    REQUIRE(f.broker.produce(message(std::string(99, 'v')), 0).ok());  // 1 + 99 = 100: at the limit
    auto r = f.broker.produce(message(std::string(100, 'v')), 0);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == Errc::too_large);
    CHECK(r.error().message == "message too large: 101 bytes, at most 100 (max_message_bytes)");
    CHECK(f.broker.find_topic("t")->next_offset == 1);
    CHECK(f.events_of(EventKind::produce_rejected).size() == 1);
}

TEST_CASE("the envelope's and routing's text count toward the message size") {
    BrokerOptions o;
    o.max_message_bytes = 10;
    Broker b(o);
    REQUIRE(b.create_topic("t", 1, 0));
    ProduceRequest r = message("v");  // 2 bytes
    r.envelope = Envelope{};
    r.envelope->labels["team"] = "core";  // 8 more: 10, at the limit
    CHECK(b.produce(r, 0).ok());
    r.envelope->run_id = "x";
    CHECK(b.produce(r, 0).error().message == "message too large: 11 bytes, at most 10 (max_message_bytes)");
    r.envelope->run_id.clear();
    r.routing = Routing{"l", {}};
    CHECK(b.produce(r, 0).error().code == Errc::too_large);
}

TEST_CASE("max_message_bytes 0 or past the ceiling means the most a WAL record holds, and such a message replays") {
    BrokerOptions o = ceiling_options();
    MemoryStorage disk;
    {
        Broker b(o);
        const auto restored = journaling_with_topic(b, disk);
        const std::string big(static_cast<std::size_t>(kMaxMessageBytes) - 1, 'v');
        REQUIRE(b.produce(message(big), 0).ok());  // exactly the ceiling, acknowledged durable
        CHECK(b.produce(message(big + "v"), 0).error().message ==
              "message too large: " + std::to_string(kMaxMessageBytes + 1) + " bytes, at most " +
                  std::to_string(kMaxMessageBytes) + " (max_message_bytes)");
    }
    disk.crash();
    Reopened again(disk, o);
    REQUIRE(again.restored.ok());
    CHECK(again.restored.value().contents.record_count == 1);
    CHECK(again.broker.find_topic("t")->partitions[0].messages.size() == 1);
    o.max_message_bytes = kMaxMessageBytes * 2;
    Broker capped(o);
    REQUIRE(capped.create_topic("t", 1, 0));
    CHECK(capped.produce(message(std::string(static_cast<std::size_t>(kMaxMessageBytes), 'v')), 0).error().code ==
          Errc::too_large);
}

TEST_CASE("create_topic refuses more than max_partitions and names longer than max_topic_name_bytes") {
    Broker b;
    CHECK(b.create_topic("t", 4097, 0).message() == "partitions must be <= 4096 (max_partitions)");
    CHECK(b.create_topic("t", 4096, 0).ok());
    CHECK(b.create_topic(std::string(250, 'n'), 1, 0).message() ==
          "topic name too long: 250 bytes, at most 249 (max_topic_name_bytes)");
    CHECK(b.create_topic(std::string(249, 'n'), 1, 0).ok());
    CHECK(b.list_topics().size() == 2);
}

TEST_CASE("a topic with the longest name still gets its dead-letter topic") {
    BrokerOptions o;
    o.max_partition_bytes = 0;
    Fixture f(o);
    const std::string name(249, 'n');
    REQUIRE(f.broker.create_topic(name, 1, 0));
    ProduceRequest r{name, "k", "v", Envelope{}};
    r.envelope->retry_policy = RetryPolicy{1, 0, 0};
    REQUIRE(f.broker.produce(r, 0).ok());
    auto stream = f.broker.subscribe(name, "g", "c", 1000, 0);
    REQUIRE(stream.ok());
    REQUIRE(f.broker.nack(name, "g", Position{0, 0}, "c", "boom", 1).ok());
    CHECK(f.broker.find_topic("dlq." + name) != nullptr);
}

TEST_CASE("replay refuses a record for a partition beyond max_partitions, without overflow at INT32_MAX") {
    for (const std::int32_t partition : {4096, INT32_MAX}) {
        MemoryStorage disk;
        MessageRecord m = rich_message(0);
        m.partition = partition;
        write_records(disk, {m}, WalOptions{});
        Reopened again(disk);
        REQUIRE_FALSE(again.restored.ok());
        CHECK(again.restored.error().message.find("message record for partition " + std::to_string(partition) +
                                                  ", beyond max_partitions 4096") != std::string::npos);
    }
    MemoryStorage disk;
    write_records(disk, {TopicRecord{"t", 5000}}, WalOptions{});
    Reopened again(disk);
    REQUIRE_FALSE(again.restored.ok());
    CHECK(again.restored.error().message.find("topic record with 5000 partitions, beyond max_partitions 4096") !=
          std::string::npos);
}

TEST_CASE("the upstream importer refuses numbers that do not fit 32 bits instead of narrowing them") {
    const UpstreamWal parsed = parse_upstream_wal(
        "{\"type\":1,\"topic\":\"t\",\"partition\":4294967296,\"offset\":0}\n"
        "{\"type\":2,\"topic\":\"t\",\"group\":\"g\",\"partition\":-2147483649,\"offset\":0}\n"
        "{\"type\":1,\"topic\":\"t\",\"partition\":1,\"offset\":0,\"retry_max_attempts\":9999999999}\n",
        0);
    CHECK(parsed.records.empty());
    REQUIRE(parsed.errors.size() == 3);
    CHECK(parsed.errors[0] == "line 1: field \"partition\": expected a 32-bit integer");
    CHECK(parsed.errors[1] == "line 2: field \"partition\": expected a 32-bit integer");
    CHECK(parsed.errors[2] == "line 3: field \"retry_max_attempts\": expected a 32-bit integer");
}

TEST_CASE("the importer refuses unsigned numbers past INT64_MAX, and replay an offset with no successor") {
    const UpstreamWal parsed = parse_upstream_wal(
        "{\"type\":1,\"topic\":\"t\",\"partition\":0,\"offset\":18446744073709551615}\n"
        "{\"type\":1,\"topic\":\"t\",\"partition\":0,\"offset\":0,\"retry_max_attempts\":18446744073709551615}\n",
        0);
    CHECK(parsed.records.empty());
    REQUIRE(parsed.errors.size() == 2);
    CHECK(parsed.errors[0] == "line 1: field \"offset\": expected a 64-bit signed integer");
    CHECK(parsed.errors[1] == "line 2: field \"retry_max_attempts\": expected a 64-bit signed integer");
    // offset + 1 would overflow: refused with the record named, not undefined behaviour.
    MemoryStorage disk;
    MessageRecord m = rich_message(0);
    m.offset = INT64_MAX;
    write_records(disk, {m}, WalOptions{});
    Reopened again(disk);
    REQUIRE_FALSE(again.restored.ok());
    CHECK(again.restored.error().message.find("offset out of range") != std::string::npos);
}

TEST_CASE("the WAL refuses a record over its limit instead of writing one the reader would call damage") {
    MemoryStorage disk;
    auto wal = Wal::open(disk, WalOptions{}).value();
    auto body = std::make_shared<MessageBody>();
    body->value.assign(kMaxRecordPayload, 'v');
    auto r = wal->append(MessageRecord{"t", 0, 0, body}, 0);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == Errc::too_large);
    CHECK(r.error().message.rfind("WAL record too large: ", 0) == 0);
    CHECK(wal->appended() == 0);
    REQUIRE(wal->append(TopicRecord{"t", 1}, 0).ok());  // the WAL is still usable
    wal.reset();
    CHECK(read_wal(disk)->records.size() == 1);
}

TEST_CASE("the largest message, nacked with the longest chain, dead-letters into a record that replays") {
    const BrokerOptions o = ceiling_options();
    MemoryStorage disk;
    {
        Broker b(o);
        const auto restored = journaling_with_topic(b, disk);
        const StreamId s = b.subscribe("t", "g", "A", 300, 0).value();
        ProduceRequest big = message(std::string(static_cast<std::size_t>(kMaxMessageBytes) - 1, 'v'));
        big.envelope = Envelope{};
        big.envelope->retry_policy = RetryPolicy{1, 0, 0};  // dead-lettered after one attempt
        REQUIRE(b.produce(big, 0).ok());
        REQUIRE(b.poll(s));
        REQUIRE(b.nack("t", "g", {0, 0}, "A", std::string(static_cast<std::size_t>(kMaxLastErrorBytes), 'r'), 10));
        REQUIRE(b.find_topic("dlq.t"));
        CHECK(b.find_topic("dlq.t")->partitions[0].messages.size() == 1);
        CHECK(b.committed_offset("t", "g", 0) == 0);
    }
    disk.crash();
    Reopened again(disk, o);
    REQUIRE_MESSAGE(again.restored.ok(), again.restored.error().message);
    REQUIRE(again.broker.find_topic("dlq.t"));
    CHECK(again.broker.find_topic("dlq.t")->partitions[0].messages.size() == 1);
}

TEST_CASE("a last_error chain keeps its newest reasons within max_last_error_bytes") {
    CHECK(append_last_error("a | b", "c", 0) == "a | b | c");  // as the reference below the bound
    CHECK(append_last_error("aaaa | bbbb | cccc", "dddd", 64) == "aaaa | bbbb | cccc | dddd");
    std::string chain;
    for (int i = 0; i < 40; ++i) chain = append_last_error(chain, "boom" + std::to_string(i), 64);
    CHECK(chain.size() <= 64);
    CHECK(chain.rfind("... | ", 0) == 0);
    CHECK(chain.size() > 64 - 8);  // dropped whole reasons, not more
    CHECK(chain.substr(chain.size() - 6) == "boom39");
    // A single reason over the bound keeps its end.
    const std::string huge = append_last_error("", std::string(100, 'x') + "END", 64);
    CHECK(huge.size() == 64);
    CHECK(huge.substr(huge.size() - 3) == "END");
    // 0 or a value past the ceiling: the WAL's ceiling.
    const std::string big(static_cast<std::size_t>(kMaxLastErrorBytes), 'y');
    CHECK(append_last_error(big, "z", 0).size() <= static_cast<std::size_t>(kMaxLastErrorBytes));
    CHECK(append_last_error(big, "z", kMaxLastErrorBytes * 4).size() <= static_cast<std::size_t>(kMaxLastErrorBytes));
}

TEST_CASE("a message nacked for ever keeps a bounded last_error in its deliveries and retry state") {
    BrokerOptions o;
    o.max_last_error_bytes = 80;
    Fixture f(o);
    REQUIRE(f.broker.create_topic("t", 1, 0));
    const StreamId a = f.subscribe("t", "g", "A", 300);
    const Position at = f.produce(ProduceRequest{"t", "", "v", {}});
    REQUIRE(f.take(a).size() == 1);
    std::string last;
    for (int i = 0; i < 200; ++i) {
        REQUIRE(f.broker.nack("t", "g", at, "A", "failure number " + std::to_string(i), i));
        auto d = f.take(a);
        REQUIRE(d.size() == 1);
        last = d[0].last_error;
        REQUIRE(last.size() <= 80);
    }
    CHECK(last.rfind("... | ", 0) == 0);
    CHECK(last.find("failure number 198") != std::string::npos);
    const GroupPartition& gp = f.broker.find_topic("t")->groups.at("g").partitions[0];
    CHECK(gp.retry_state.at(0).last_error.size() <= 80);
    CHECK(gp.retry_state.at(0).last_error.find("failure number 199") != std::string::npos);
    REQUIRE(gp.in_flight.find(0));
    CHECK(gp.in_flight.find(0)->last_error.size() <= 80);
}

TEST_CASE("max_topics refuses a new topic past the bound, not an existing one nor a dead-letter topic") {
    BrokerOptions o;
    o.max_topics = 2;
    Broker b(o);
    REQUIRE(b.create_topic("a", 1, 0));
    REQUIRE(b.create_topic("b", 1, 0));
    CHECK(b.create_topic("a", 1, 0));  // exists: the reference's silent no-op
    const Status refused = b.create_topic("c", 1, 0);
    REQUIRE_FALSE(refused);
    CHECK(refused.error().code == Errc::too_large);
    CHECK(refused.error().message == "too many topics: 2 exist, at most 2 (max_topics)");
    CHECK(b.list_topics() == std::vector<std::string>{"a", "b"});
    o.max_topics = 0;
    Broker unbounded(o);
    for (int i = 0; i < 50; ++i) REQUIRE(unbounded.create_topic("t" + std::to_string(i), 1, 0));
}

TEST_CASE("max_group_partitions counts a new group's partitions and refuses the group that would pass it") {
    BrokerOptions o;
    o.max_group_partitions = 10;
    Broker b(o);
    REQUIRE(b.create_topic("wide", 4, 0));
    REQUIRE(b.subscribe("wide", "g1", "o", 0, 0).ok());  // 4
    REQUIRE(b.subscribe("wide", "g2", "o", 0, 0).ok());  // 8
    REQUIRE(b.subscribe("wide", "g1", "o2", 0, 0).ok());  // g1 again: adds nothing
    auto third = b.subscribe("wide", "g3", "o", 0, 0);    // 12 > 10
    REQUIRE_FALSE(third.ok());
    CHECK(third.error().code == Errc::too_large);
    CHECK(third.error().message ==
          "too many consumer groups: they hold state for 8 partitions, a new group on wide adds 4, at most 10 (max_group_partitions)");
    REQUIRE(b.create_topic("narrow", 2, 0));
    CHECK(b.subscribe("narrow", "g3", "o", 0, 0).ok());  // 8 + 2 = 10: at the bound
    for (const auto& g : b.metrics().partitions) CHECK_FALSE((g.group == "g3" && g.topic == "wide"));
}

TEST_CASE("max_idempotency_records refuses a new key past the bound; a known key and expired records make room") {
    BrokerOptions o;
    o.max_idempotency_records = 2;
    o.idempotency_window_ms = 1000;
    Broker b(o);
    REQUIRE(b.create_topic("t", 1, 0));
    auto keyed = [](std::string key) {
        ProduceRequest r{"t", "k", "v", Envelope{}};
        r.envelope->idempotency_key = std::move(key);
        return r;
    };
    REQUIRE(b.produce(keyed("a"), 0).ok());
    REQUIRE(b.produce(keyed("b"), 0).ok());
    CHECK(b.produce(keyed("a"), 10).value().deduplicated);  // known: answered as before
    auto third = b.produce(keyed("c"), 10);
    REQUIRE_FALSE(third.ok());
    CHECK(third.error().code == Errc::too_large);
    CHECK(third.error().message ==
          "too many idempotency records: 2 are kept, at most 2 (max_idempotency_records); they expire after idempotency_window_ms");
    CHECK(b.find_topic("t")->next_offset == 2);
    CHECK(b.produce(keyed("c"), 5000).ok());  // the first two expired
}
