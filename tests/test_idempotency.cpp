#include <doctest/doctest.h>

#include "broker_fixture.hpp"

using namespace driftq;
using namespace driftq::testing;

namespace {
constexpr TimeMs kWindow = 10 * 60 * 1000;

ProduceRequest keyed(std::string topic, std::string idem, std::string tenant = "") {
    Envelope env;
    env.idempotency_key = std::move(idem);
    env.tenant_id = std::move(tenant);
    return ProduceRequest{std::move(topic), "", "v", env};
}
IdemKey ckey(std::string key, std::string group = "g") {
    return IdemKey{IdemScope::consume, "", "t", std::move(group), std::move(key)};
}
}  // namespace

TEST_CASE("produce scope: a repeated key within the window is accepted but not enqueued") {
    Fixture f;
    REQUIRE(f.broker.create_topic("t", 1, 0));
    auto first = f.broker.produce(keyed("t", "order-1"), 0);
    auto second = f.broker.produce(keyed("t", "order-1"), 1000);
    REQUIRE(first);
    REQUIRE(second);
    CHECK_FALSE(first->deduplicated);
    CHECK(second->deduplicated);
    CHECK(f.broker.find_topic("t")->next_offset == 1);
    CHECK(f.events_of(EventKind::deduplicated).size() == 1);
}

TEST_CASE("produce scope: another tenant or topic is an independent key") {
    Fixture f;
    REQUIRE(f.broker.create_topic("t", 1, 0));
    REQUIRE(f.broker.create_topic("u", 1, 0));
    f.produce(keyed("t", "k"));
    CHECK_FALSE(f.broker.produce(keyed("t", "k", "x"), 0)->deduplicated);
    CHECK_FALSE(f.broker.produce(keyed("u", "k"), 0)->deduplicated);
    CHECK(f.broker.produce(keyed("t", "k", ""), 0)->deduplicated);
}

TEST_CASE("produce scope: the key expires 10 minutes after its last change") {
    Fixture f;
    REQUIRE(f.broker.create_topic("t", 1, 0));
    f.produce(keyed("t", "k"), 0);
    CHECK(f.broker.produce(keyed("t", "k"), kWindow)->deduplicated);  // not strictly older
    CHECK_FALSE(f.broker.produce(keyed("t", "k"), kWindow + 1)->deduplicated);
}

TEST_CASE("produce scope: a failed produce marks the key FAILED and a retry may succeed") {
    BrokerOptions o;
    o.max_partition_messages = 1;
    Fixture f(o);
    REQUIRE(f.broker.create_topic("t", 1, 0));
    f.produce("t", "");
    auto rejected = f.broker.produce(keyed("t", "k"), 0);
    REQUIRE_FALSE(rejected);
    const IdemRecord& rec = f.broker.idempotency().records().at(
        IdemKey{IdemScope::produce, "", "t", "", "k"});
    CHECK(rec.status == IdemStatus::failed);
    CHECK(rec.last_error == "producer overload: partition_buffer_full");
    StreamId a = f.subscribe("t", "g", "A", 5000);
    f.take(a);
    REQUIRE(f.broker.ack_if_owner("t", "g", {0, 0}, "A", 0));
    CHECK(f.broker.produce(keyed("t", "k"), 0).ok());
}

TEST_CASE("consume scope: leases must lie within 250 ms .. 10 min") {
    Broker b;
    CHECK(b.consume_begin_lease(ckey("k"), "A", 249, 0).error().message ==
          "idempotency: invalid lease duration");
    CHECK(b.consume_begin_lease(ckey("k"), "A", kWindow + 1, 0).error().code ==
          Errc::idem_bad_lease);
    CHECK(b.consume_begin_lease(ckey("k"), "A", 250, 0).ok());
    CHECK(b.consume_begin_lease(ckey("k2"), "A", kWindow, 0).ok());
}

TEST_CASE("consume scope: an active lease is held against others, refreshable by its owner") {
    Broker b;
    REQUIRE(b.consume_begin_lease(ckey("k"), "A", 1000, 0));
    CHECK(b.consume_begin_lease(ckey("k"), "B", 1000, 400).error().message ==
          "idempotency: lease held by another worker");
    REQUIRE(b.consume_begin_lease(ckey("k"), "A", 1000, 500));  // refresh to 1500
    CHECK_FALSE(b.consume_begin_lease(ckey("k"), "B", 1000, 999));  // past the first lease's end
    CHECK_FALSE(b.consume_begin_lease(ckey("k"), "B", 1000, 1499));
    CHECK(b.consume_begin_lease(ckey("k"), "B", 1000, 1500).ok());  // lease end is exclusive
}

TEST_CASE("consume scope: commit makes later begins report already done with the result") {
    Broker b;
    REQUIRE(b.consume_begin_lease(ckey("k"), "A", 1000, 0));
    CHECK(b.consume_commit_if_owner(ckey("k"), "B", "x", 10).error().code == Errc::idem_lease_held);
    REQUIRE(b.consume_commit_if_owner(ckey("k"), "A", "ok", 10));
    CHECK(b.consume_commit_if_owner(ckey("k"), "A", "again", 20).ok());  // idempotent
    auto again = b.consume_begin_lease(ckey("k"), "B", 1000, 3 * kWindow);  // kept forever
    REQUIRE(again);
    CHECK(again->already_done);
    CHECK(again->prior_result == "ok");
}

TEST_CASE("consume scope: commit or fail after the lease ran out is 'lease lost'") {
    Broker b;
    REQUIRE(b.consume_begin_lease(ckey("k"), "A", 1000, 0));
    CHECK(b.consume_commit_if_owner(ckey("k"), "A", "", 1000).error().message ==
          "idempotency: lease lost or expired");
    CHECK(b.consume_fail_if_owner(ckey("k"), "A", "x", 1000).error().code == Errc::idem_lease_lost);
    CHECK(b.consume_commit_if_owner(ckey("nope"), "A", "", 1000).error().message ==
          "idempotency: key not found");
    CHECK(b.consume_renew_lease(ckey("nope"), "A", 1000, 1000).error().code == Errc::idem_not_found);
}

TEST_CASE("consume scope: FAILED can be leased again by anyone") {
    Broker b;
    REQUIRE(b.consume_begin_lease(ckey("k"), "A", 1000, 0));
    REQUIRE(b.consume_fail_if_owner(ckey("k"), "A", "boom", 10));
    CHECK(b.idempotency().records().at(ckey("k")).last_error == "boom");
    REQUIRE(b.consume_begin_lease(ckey("k"), "B", 1000, 20));
    CHECK(b.idempotency().records().at(ckey("k")).last_error.empty());
}

TEST_CASE("a keyed delivery takes a consume lease (PENDING) and the owner's ack commits it") {
    Fixture f;
    REQUIRE(f.broker.create_topic("t", 1, 0));
    StreamId a = f.subscribe("t", "g", "A", 1000);
    Position at = f.produce(keyed("t", "job"));
    REQUIRE(f.take(a).size() == 1);
    CHECK(f.broker.idempotency().records().at(ckey("job")).status == IdemStatus::pending);
    REQUIRE(f.broker.ack_if_owner("t", "g", at, "A", 100));
    CHECK(f.broker.idempotency().records().at(ckey("job")).status == IdemStatus::committed);
}

TEST_CASE("acking a keyed message after its lease ran out fails with 'lease lost'") {
    Fixture f;
    REQUIRE(f.broker.create_topic("t", 1, 0));
    StreamId a = f.subscribe("t", "g", "A", 1000);
    StreamId b = f.subscribe("t", "g", "B", 1000);
    Position at = f.produce(keyed("t", "job"));
    REQUIRE(f.take(a).size() == 1);
    // No tick ran, so the entry is still in flight and owned by A, but the lease is over.
    CHECK(f.broker.ack_if_owner("t", "g", at, "A", 1000).message() ==
          "idempotency: lease lost or expired");
    f.advance(1000);  // redelivered to B with a fresh lease; B's ack commits
    REQUIRE(f.take(b).size() == 1);
    CHECK(f.broker.ack_if_owner("t", "g", at, "B", 1100).ok());
}

TEST_CASE("a nack marks the consume key FAILED, and the redelivery leases it again") {
    Fixture f;
    REQUIRE(f.broker.create_topic("t", 1, 0));
    StreamId a = f.subscribe("t", "g", "A", 1000);
    Position at = f.produce(keyed("t", "job"));
    f.take(a);
    REQUIRE(f.broker.nack("t", "g", at, "A", "flaky", 10));
    auto again = f.take(a);
    REQUIRE(again.size() == 1);
    CHECK(again[0].attempts == 2);
    const IdemRecord& rec = f.broker.idempotency().records().at(ckey("job"));
    CHECK(rec.status == IdemStatus::pending);  // FAILED, then leased again by the redelivery
    CHECK(rec.owner == "A");
    const auto changes = f.events_of(EventKind::idempotency_changed);
    REQUIRE(changes.size() >= 3);
    CHECK(changes[changes.size() - 2].text == "FAILED");
    CHECK(changes.back().text == "PENDING");
}

TEST_CASE("a stream lease outside the idempotency bounds blocks its partition head-of-line") {
    Fixture f;
    REQUIRE(f.broker.create_topic("t", 1, 0));
    StreamId a = f.subscribe("t", "g", "A", 100);  // below the 250 ms minimum
    f.produce(keyed("t", "job"));
    f.produce("t", "");  // keyless, but stuck behind the keyed one
    CHECK(f.take(a).empty());
    const auto& gp = f.broker.find_topic("t")->groups.at("g").partitions[0];
    CHECK(gp.retry_state.at(0).last_error ==
          "idem_begin_failed: idempotency: invalid lease duration");
    CHECK(f.events_of(EventKind::idempotency_error).size() >= 1);
}

TEST_CASE("consume-scope COMMITTED keys are skipped at dispatch and the offset advances") {
    Fixture f;
    REQUIRE(f.broker.create_topic("t", 1, 0));
    REQUIRE(f.broker.consume_begin_lease(ckey("job"), "W", 1000, 0));
    REQUIRE(f.broker.consume_commit_if_owner(ckey("job"), "W", "", 0));
    f.produce(keyed("t", "job"));
    f.produce("t", "");
    StreamId a = f.subscribe("t", "g", "A", 1000);
    auto got = f.take(a);
    REQUIRE(got.size() == 1);
    CHECK(got[0].message.offset == 1);
    CHECK(f.broker.committed_offset("t", "g", 0) == 0);
    CHECK(f.events_of(EventKind::idempotent_skip).size() == 1);
}
