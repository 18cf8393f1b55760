#include <doctest/doctest.h>

#include <algorithm>

#include "broker_fixture.hpp"

using namespace driftq;
using namespace driftq::testing;

namespace {
struct Routed : Fixture {
    Routed() {
        REQUIRE(broker.create_topic("in", 4, 0));
        REQUIRE(broker.create_topic("out", 4, 0));
        REQUIRE(broker.create_topic("env", 4, 0));
    }
    // The first message of the topic's first non-empty partition.
    const Message& only(const std::string& topic) {
        const Topic* t = broker.find_topic(topic);
        REQUIRE(t != nullptr);
        auto it = std::find_if(t->partitions.begin(), t->partitions.end(),
                               [](const PartitionLog& p) { return !p.messages.empty(); });
        REQUIRE(it != t->partitions.end());
        return it->messages.front();
    }
};
}  // namespace

TEST_CASE("the router's label and meta are attached to the stored message") {
    Routed f;
    std::vector<std::string> seen_topics;
    f.broker.set_router([&](const std::string& topic, const ProduceRequest&) {
        seen_topics.push_back(topic);
        return Result<RoutingDecision>(RoutingDecision{"test-label", "", std::nullopt,
                                                       {{"source", "router"}}});
    });
    f.produce("in", "k1");
    const Message& m = f.only("in");
    REQUIRE(m.routing());
    CHECK(m.routing()->label == "test-label");
    CHECK(m.routing()->meta.at("source") == "router");
    CHECK(seen_topics == std::vector<std::string>{"in"});
}

TEST_CASE("router target and override win over the envelope, which wins over hashing") {
    Routed f;
    f.broker.set_router([](const std::string&, const ProduceRequest&) {
        return Result<RoutingDecision>(RoutingDecision{"", "out", 3, {}});
    });
    Envelope env;
    env.target_topic = "env";
    env.partition_override = 1;
    auto r = f.broker.produce(ProduceRequest{"in", "k1", "v", env}, 0);
    REQUIRE(r);
    CHECK(r->topic == "out");
    CHECK(r->position.partition == 3);
    f.broker.set_router(nullptr);
    r = f.broker.produce(ProduceRequest{"in", "k1", "v", env}, 0);
    CHECK(r->topic == "env");
    CHECK(r->position.partition == 1);
}

TEST_CASE("a router error is ignored: no routing, no overrides, the produce succeeds") {
    Routed f;
    f.broker.set_router([](const std::string&, const ProduceRequest&) {
        return Result<RoutingDecision>(make_error(Errc::invalid_argument, "model offline"));
    });
    f.produce("in", "k1");
    CHECK(f.only("in").routing() == nullptr);
    auto failed = f.events_of(EventKind::router_failed);
    REQUIRE(failed.size() == 1);
    CHECK(failed[0].text == "model offline");
}

TEST_CASE("the router runs before the deadline check and the dedupe gate") {
    Routed f;
    int calls = 0;
    f.broker.set_router([&](const std::string&, const ProduceRequest&) {
        ++calls;
        return Result<RoutingDecision>(RoutingDecision{});
    });
    Envelope env;
    env.idempotency_key = "once";
    f.produce(ProduceRequest{"in", "", "v", env});
    CHECK(f.broker.produce(ProduceRequest{"in", "", "v", env}, 0)->deduplicated);
    env.deadline_ms = 5;
    CHECK_FALSE(f.broker.produce(ProduceRequest{"in", "", "v", env}, 6));
    CHECK(calls == 3);
}

TEST_CASE("the router is not consulted for dead-letter copies") {
    Routed f;
    int calls = 0;
    f.broker.set_router([&](const std::string&, const ProduceRequest&) {
        ++calls;
        return Result<RoutingDecision>(RoutingDecision{"lbl", "", std::nullopt, {}});
    });
    StreamId a = f.subscribe("in", "g", "A", 5000);
    Position at = f.produce(ProduceRequest{"in", "", "v", with_retry(1)});
    f.take(a);
    REQUIRE(f.broker.nack("in", "g", at, "A", "x", 0));
    CHECK(calls == 1);
    const Message& copy = f.only("dlq.in");
    REQUIRE(copy.routing());
    CHECK(copy.routing()->label == "lbl");  // the original's routing is kept
}

TEST_CASE("producer-supplied routing is kept without a router and replaced by a decision") {
    Routed f;
    ProduceRequest req{"in", "k1", "v", std::nullopt, Routing{"mine", {{"by", "producer"}}}};
    f.produce(req);
    REQUIRE(f.only("in").routing());
    CHECK(f.only("in").routing()->label == "mine");
    f.broker.set_router([](const std::string&, const ProduceRequest&) {
        return Result<RoutingDecision>(RoutingDecision{"router", "", std::nullopt, {}});
    });
    auto r = f.broker.produce(req, 0);
    REQUIRE(r);
    const Topic* t = f.broker.find_topic("in");
    CHECK(t->partitions[r->position.partition].messages.back().routing()->label == "router");
}
