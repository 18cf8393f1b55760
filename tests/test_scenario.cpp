#include <doctest/doctest.h>

#include "core/sim/time_machine.hpp"
#include "core/sim/world.hpp"

using namespace driftq;
using namespace driftq::sim;

namespace {
const char* kMinimal = R"({"name": "t", "topics": [{"name": "orders"}]})";

Scenario parse_ok(const std::string& text) {
    auto s = parse_scenario(text, "x.json");
    REQUIRE_MESSAGE(s.ok(), (s.ok() ? "" : s.error().message));
    return s.value();
}
std::string parse_error(const std::string& text) {
    auto s = parse_scenario(text, "bad.json");
    REQUIRE_FALSE(s.ok());
    return s.error().message;
}
}  // namespace

TEST_CASE("a minimal scenario gets the documented defaults") {
    Scenario s = parse_ok(kMinimal);
    CHECK(s.seed == 1);
    CHECK(s.until_ms == 10000);
    CHECK(s.broker.max_in_flight == 2);
    CHECK_FALSE(s.wal.has_value());
    CHECK(s.topics.at(0).partitions == 1);
}

TEST_CASE("errors name the file, the JSON path and what was expected, all at once") {
    const std::string e = parse_error(R"({
        "name": "t", "topics": [{"name": "orders", "partitions": 0}],
        "consumers": [{"name": "c", "topic": "orders", "lease_ms": "300", "behaviour": "sleep"}],
        "expect": [{"check": "committed", "topic": "orders"}],
        "invariants": ["no_lost_messages"],
        "typo_field": 1})");
    CHECK(e.find("bad.json: /topics/0/partitions: expected an integer in [1, 1024], found 0") != std::string::npos);
    CHECK(e.find("bad.json: /consumers/0/lease_ms: expected an integer, found a string") != std::string::npos);
    CHECK(e.find("bad.json: /consumers/0/behaviour: expected one of \"ack\", \"nack\", \"hang\", found \"sleep\"") != std::string::npos);
    CHECK(e.find("bad.json: /expect/0/group: this check needs a group") != std::string::npos);
    CHECK(e.find("bad.json: /invariants/0: unknown invariant \"no_lost_messages\"") != std::string::npos);
    CHECK(e.find("bad.json: /typo_field: unknown field") != std::string::npos);
}

TEST_CASE("malformed JSON and missing required fields are refused before anything runs") {
    CHECK(parse_error("{\"name\": ") == "bad.json: not valid JSON");
    CHECK(parse_error(R"({"topics": []})").find("/name: required string is missing") != std::string::npos);
    CHECK(parse_error(R"({"name": "t"})").find("/topics: a scenario needs at least one topic") != std::string::npos);
}

TEST_CASE("a failed expectation reports what was observed") {
    Scenario s = parse_ok(R"({"name": "t", "until_ms": 100, "topics": [{"name": "orders"}],
        "producers": [{"topic": "orders", "messages": [{"at": 0, "value": "v"}]}],
        "consumers": [{"name": "c", "topic": "orders", "group": "g"}],
        "expect": [{"check": "committed", "topic": "orders", "group": "g", "equals": 5}]})");
    World w(std::move(s));
    w.finish();
    REQUIRE(w.checks().size() == 1);
    CHECK_FALSE(w.passed());
    CHECK(w.checks()[0].observed == "0");
}

TEST_CASE("the same scenario and seed give the same trace; another seed another one") {
    const std::string text = R"({"name": "t", "until_ms": 3000, "topics": [{"name": "o", "partitions": 3}],
        "producers": [{"topic": "o", "rate": {"count": 50, "every_ms": 20, "keys": {"kind": "zipf", "count": 10}}}],
        "consumers": [{"name": "c", "topic": "o", "lease_ms": 300, "fail_probability": 0.3,
                       "processing": {"kind": "exponential", "ms": 80}}]})";
    auto run = [&](std::uint64_t seed) {
        Scenario s = parse_ok(text);
        s.seed = seed;
        World w(std::move(s));
        w.finish();
        return w.trace();
    };
    CHECK(run(1) == run(1));
    CHECK(run(1) != run(2));
}

TEST_CASE("a broker crash without a WAL loses everything; with one, acknowledged messages survive") {
    for (bool wal : {false, true}) {
        CAPTURE(wal);
        std::string text = R"({"name": "t", "until_ms": 1000, "topics": [{"name": "o"}],
            "broker": {"persist_topics": true},
            "producers": [{"topic": "o", "messages": [{"at": 0, "value": "a"}, {"at": 1, "value": "b"}]}],
            "timeline": [{"at": 100, "action": "broker_crash"}, {"at": 200, "action": "broker_restart"}],
            "expect": [{"check": "topic_messages", "topic": "o", "equals": )";
        text += wal ? "2}]," : "0}],";
        text += wal ? R"("wal": {"durability": "always"}})" : R"("invariants": []})";
        World w(parse_ok(text));
        w.finish();
        CHECK(w.passed());
    }
}

TEST_CASE("time travel: seeking anywhere gives the state a straight run has at that time") {
    const std::string text = R"({"name": "t", "until_ms": 4000, "topics": [{"name": "o", "partitions": 2}],
        "wal": {"durability": "batch"}, "broker": {"persist_topics": true},
        "producers": [{"topic": "o", "rate": {"count": 120, "every_ms": 25, "keys": {"kind": "round_robin", "count": 5}}}],
        "consumers": [{"name": "c", "topic": "o", "lease_ms": 300, "fail_probability": 0.2,
                       "processing": {"kind": "uniform", "min_ms": 1, "max_ms": 400}}],
        "timeline": [{"at": 1800, "action": "broker_crash"}, {"at": 2100, "action": "broker_restart"}]})";
    auto scenario = parse_scenario(text, "t.json");
    REQUIRE(scenario);
    TimeMachine tm(scenario.value(), 50);
    CHECK(tm.snapshot_count() > 3);
    auto straight_state = [&](TimeMs t) {
        World w(scenario.value());
        w.run_until(t);
        return w.broker() ? w.broker()->dump_state() : std::string("down");
    };
    auto state = [](const World& w) { return w.broker() ? w.broker()->dump_state() : std::string("down"); };
    for (TimeMs t : {3000, 0, 1234, 1900, 2100, 2999, 4000, 10}) {  // forwards and backwards
        CAPTURE(t);
        CHECK(state(tm.seek(t)) == straight_state(t));
    }
    tm.seek(1000);
    const TimeMs before = tm.position();
    tm.step_event_forward();
    CHECK(tm.position() > before);
    tm.step_event_back();
    CHECK(tm.position() < before + 1);
    tm.seek(1000);
    tm.step_tick_forward();
    CHECK(tm.position() == 1250);
    CHECK(state(tm.step_tick_back()) == straight_state(1000));
}
