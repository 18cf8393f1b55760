#include <doctest/doctest.h>

#include <map>
#include <set>

#include "scenario_fixture.hpp"
#include "sim/session.hpp"
#include "sim/what_if.hpp"
#include "sim/world.hpp"

using namespace driftq;
using namespace driftq::sim;

namespace {
const char* kMinimal = R"({"name": "t", "topics": [{"name": "orders"}]})";

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
    CHECK(e.find("bad.json: /consumers/0/behaviour: expected one of \"ack\", \"nack\", \"hang\", \"manual\", found \"sleep\"") != std::string::npos);
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

TEST_CASE("a run with no checks has not passed: it verified nothing") {
    World w(parse_ok(R"({"name": "t", "until_ms": 100, "topics": [{"name": "orders"}]})"));
    w.finish();
    CHECK(w.checks().empty());
    CHECK_FALSE(w.passed());
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
    Session tm(scenario.value(), SessionOptions{50, 7, 4});
    tm.run_until(4000);  // record the run, then travel in it
    CHECK(tm.snapshot_count() > 3);
    auto straight_state = [&](TimeMs t) {
        World w(scenario.value());
        w.run_until(t);
        return w.broker() ? w.broker()->dump_state() : std::string("down");
    };
    auto state = [](const World& w) { return w.broker() ? w.broker()->dump_state() : std::string("down"); };
    for (TimeMs t : {3000, 0, 1234, 1900, 2100, 2999, 4000, 10}) {  // forwards and backwards
        CAPTURE(t);
        tm.seek(t);
        CHECK(state(tm.world()) == straight_state(t));
    }
    tm.seek(1000);
    const TimeMs before = tm.now();
    REQUIRE(tm.step_event());
    CHECK(tm.now() > before);
    tm.step_event_back();
    CHECK(tm.now() < before + 1);
    tm.seek(1000);
    tm.step_tick();
    CHECK(tm.now() == 1250);
    tm.step_tick_back();
    CHECK(state(tm.world()) == straight_state(1000));
}

TEST_CASE("the parser refuses unknown topics, impossible consumer times and unbounded times") {
    const std::string e = parse_error(R"({"name": "t", "topics": [{"name": "orders"}],
        "producers": [{"topic": "ordres", "rate": {"count": 3, "every_ms": 9223372036854775807}}],
        "consumers": [{"name": "a", "topic": "orders", "join_at": 100, "leave_at": 50},
                      {"name": "b", "topic": "orders", "rejoin_at": 10},
                      {"name": "c", "topic": "dlq.orders", "processing": {"kind": "uniform", "min_ms": 9, "max_ms": 1}}],
        "expect": [{"check": "in_flight", "group": "g", "equals": 0}, {"check": "dlq_count", "topic": "orders"}]})");
    CHECK(e.find("/producers/0/topic: unknown topic \"ordres\"") != std::string::npos);
    CHECK(e.find("/producers/0/rate/every_ms: expected an integer in [1, 1000000000]") != std::string::npos);
    CHECK(e.find("/consumers/0/leave_at: must not be before join_at") != std::string::npos);
    CHECK(e.find("/consumers/1/rejoin_at: needs an earlier leave_at or crash_at") != std::string::npos);
    CHECK(e.find("/consumers/2/processing/min_ms: must not exceed max_ms") != std::string::npos);
    CHECK(e.find("/expect/0/group: a group needs its topic") != std::string::npos);
    CHECK(e.find("/expect/1/equals: this check needs equals, at_least or at_most") != std::string::npos);
    CHECK(e.find("/consumers/2/topic") == std::string::npos);  // a DLQ of a declared topic is fine
}

TEST_CASE("a check timed after the end of the run fails instead of vanishing") {
    World w(parse_ok(R"({"name": "t", "until_ms": 1000, "topics": [{"name": "o"}],
        "expect": [{"at": 5000, "check": "topic_messages", "topic": "o", "equals": 0}]})"));
    w.finish();
    REQUIRE(w.checks().size() == 1);
    CHECK_FALSE(w.checks()[0].ok);
    CHECK(w.checks()[0].observed == "never reached: the run ends at 1000 ms");
}

TEST_CASE("a check at time T sees everything else that happens at T") {
    World w(parse_ok(R"({"name": "t", "until_ms": 1000, "topics": [{"name": "o"}],
        "producers": [{"topic": "o", "messages": [{"at": 0, "value": "v"}]}],
        "consumers": [{"name": "c", "topic": "o", "processing": {"kind": "constant", "ms": 50}}],
        "expect": [{"at": 50, "check": "committed", "topic": "o", "group": "g", "equals": 0}]})"));
    w.finish();
    CHECK(w.passed());
}

TEST_CASE("an offset reused after a restart without a WAL starts a fresh history") {
    World w(parse_ok(R"({"name": "t", "until_ms": 3000, "topics": [{"name": "o"}],
        "producers": [{"topic": "o", "messages": [{"at": 0, "value": "a"}, {"at": 2000, "value": "b"}]}],
        "consumers": [{"name": "c", "topic": "o", "leave_at": 500}],
        "timeline": [{"at": 1000, "action": "broker_crash"}, {"at": 1100, "action": "broker_restart"}],
        "expect": [{"check": "deliveries", "topic": "o", "group": "g", "offset": 0, "equals": 0}],
        "invariants": ["all_acked_or_dead_lettered"]})"));
    w.finish();
    REQUIRE(w.checks().size() == 2);
    CHECK(w.checks()[0].ok);       // "b" at offset 0 was never delivered
    CHECK_FALSE(w.checks()[1].ok);  // and so is neither acked nor dead-lettered
}

TEST_CASE("retries and resends repeat the same key; each producer has its own key distribution") {
    World w(parse_ok(R"({"name": "t", "until_ms": 5000, "topics": [{"name": "o", "partitions": 4}],
        "producers": [
          {"name": "hot", "topic": "o", "duplicate_probability": 1,
           "rate": {"count": 40, "every_ms": 10, "keys": {"kind": "zipf", "value": "h", "count": 4, "skew": 10}}},
          {"name": "flat", "topic": "o", "rate": {"count": 200, "every_ms": 10, "keys": {"kind": "zipf", "value": "f", "count": 4, "skew": 0}}}]})"));
    w.finish();
    std::map<std::string, std::set<std::string>> keys_of_value;
    std::map<std::string, int> copies;
    std::set<std::string> flat_keys;
    int hot = 0, hot_on_h0 = 0;
    for (const PartitionLog& p : w.broker()->find_topic("o")->partitions) {
        for (const Message& m : p.messages) {
            keys_of_value[m.value()].insert(m.key());
            ++copies[m.value()];
            if (m.value().rfind("flat", 0) == 0) flat_keys.insert(m.key());
            if (m.value().rfind("hot", 0) == 0) {
                ++hot;
                hot_on_h0 += m.key() == "h0";
            }
        }
    }
    CHECK(copies.at("hot-0") == 2);  // the lost response made it send hot-0 again...
    CHECK(keys_of_value.at("hot-0").size() == 1);  // ...with the same key both times
    CHECK(hot_on_h0 * 10 > hot * 9);  // skew 10: nearly every hot message draws the hot key
    for (const auto& kv : keys_of_value) CHECK_MESSAGE(kv.second.size() == 1, kv.first);  // clang 14: no captured bindings
    CHECK(flat_keys.size() == 4);  // skew 0 is uniform, whatever the other producer uses
}

TEST_CASE("a power cut keeps none, a prefix or some sectors of the unsynced WAL; replay matches each") {
    // Durability none: nothing is synced until a segment rolls, so the cut decides what survives.
    const auto scenario = [](const char* power_loss) {
        return std::string(R"({"name": "p", "until_ms": 1000, "topics": [{"name": "o", "partitions": 2}],
            "broker": {"persist_topics": true},
            "wal": {"durability": "none", "segment_bytes": 512, "buffer_bytes": 1},
            "producers": [{"topic": "o", "rate": {"count": 60, "every_ms": 5, "keys": {"kind": "round_robin", "value": "k", "count": 5}}}],
            "timeline": [{"at": 400, "action": "broker_crash", "power_loss": ")") + power_loss + R"("},
                         {"at": 500, "action": "broker_restart"}],
            "invariants": ["replay_equals_durable_state", "no_durable_produce_lost"]})";
    };
    std::uint64_t recovered[3] = {};
    int i = 0;
    for (const char* mode : {"drop_unsynced", "keep_prefix", "keep_sectors"}) {
        CAPTURE(mode);
        const Scenario s = parse_ok(scenario(mode));
        REQUIRE(s.timeline[0].command.power_loss == static_cast<PowerLoss>(i));
        CHECK(parse_ok(write_scenario(s)).timeline == s.timeline);  // the mode survives a save
        World w(s);
        w.finish();
        REQUIRE(w.last_recovery());
        CHECK(w.passed());
        for (const CheckResult& c : w.checks()) CHECK_MESSAGE(c.ok, c.what << ": " << c.observed);
        recovered[i++] = w.last_recovery()->records_recovered;
    }
    // Segments roll every few records, so some records were synced; the rest depend on the cut.
    CHECK(recovered[0] > 0);
    CHECK(recovered[1] > recovered[0]);  // this seed keeps part of the unsynced tail
    CHECK(recovered[2] >= recovered[0]);
    CHECK_FALSE(parse_scenario(scenario("keep_everything"), "x.json"));
}

TEST_CASE("delivery counts are what the group's consumers took, not what the broker queued") {
    // The broker queues the message to the paused consumer's stream at 10 ms; it is taken only
    // after the resume at 100 ms.
    World w(parse_ok(R"({"name": "d", "until_ms": 300, "topics": [{"name": "o"}],
        "producers": [{"topic": "o", "messages": [{"at": 10, "value": "a"}]}],
        "consumers": [{"name": "c", "topic": "o", "behaviour": "manual"}],
        "timeline": [{"at": 5, "action": "consumer_pause", "consumer": "c"},
                     {"at": 100, "action": "consumer_resume", "consumer": "c"}],
        "expect": [{"at": 50, "check": "deliveries", "topic": "o", "group": "g", "offset": 0, "equals": 0},
                   {"at": 50, "check": "in_flight", "topic": "o", "equals": 1},
                   {"at": 150, "check": "deliveries", "topic": "o", "group": "g", "offset": 0, "equals": 1},
                   {"at": 150, "check": "attempts", "topic": "o", "group": "g", "offset": 0, "equals": 1}]})"));
    w.finish();
    for (const CheckResult& c : w.checks()) CHECK_MESSAGE(c.ok, c.what << ": " << c.observed);
    CHECK(w.passed());
}

TEST_CASE("bad input is refused with a short, clear message: deep nesting, huge values, oversized runs") {
    // A million nested arrays: refused before parsing (freeing such a value recurses a million deep).
    const std::string deep = R"({"name": "d", "topics": [{"name": "o"}], "x": )" + std::string(1'000'000, '[') +
                             std::string(1'000'000, ']') + "}";
    auto d = parse_scenario(deep, "deep.json");
    REQUIRE_FALSE(d);
    CHECK(d.error().message.find("deep.json: nested deeper than 64 levels (at byte 109)") == 0);
    // 64 levels are fine as far as nesting goes (the field is then unknown).
    const std::string ok_deep = R"({"name": "d", "topics": [{"name": "o"}], "x": )" + std::string(63, '[') + std::string(63, ']') + "}";
    auto od = parse_scenario(ok_deep, "ok.json");
    REQUIRE_FALSE(od);
    CHECK(od.error().message == "ok.json: /x: unknown field");
    // A 16 MiB string where a choice is expected: the message quotes 40 bytes of it and its size.
    const std::string huge(16 * 1024 * 1024, 'z');
    auto h = parse_scenario(R"({"name": "h", "topics": [{"name": "o"}], "wal": {"durability": ")" + huge + R"("}})", "h.json");
    REQUIRE_FALSE(h);
    CHECK(h.error().message.size() < 300);
    CHECK(h.error().message.find("found \"" + std::string(40, 'z') + "...\" (a string of 16777216 bytes)") != std::string::npos);
    // A nested value there is named by its type, never dumped.
    auto n = parse_scenario(R"({"name": "h", "topics": [{"name": "o"}], "wal": {"durability": [[[1, 2, 3]]]}})", "n.json");
    REQUIRE_FALSE(n);
    CHECK(n.error().message.find("found an array") != std::string::npos);
    // More messages than a run may produce, and more redelivery passes than a run may make.
    auto m = parse_scenario(R"({"name": "m", "topics": [{"name": "o"}], "producers": [
        {"topic": "o", "rate": {"count": 6000000}}, {"topic": "o", "rate": {"count": 6000000}}]})", "m.json");
    REQUIRE_FALSE(m);
    CHECK(m.error().message.find("m.json: /producers: the producers send 12000000 messages; a scenario may send at most 10000000") == 0);
    auto t = parse_scenario(R"({"name": "t", "until_ms": 1000000000, "broker": {"tick_ms": 50}, "topics": [{"name": "o"}]})", "t.json");
    REQUIRE_FALSE(t);
    CHECK(t.error().message.find("t.json: /until_ms: runs 20000000 redelivery passes (until_ms 1000000000 over tick_ms 50)") == 0);
    CHECK(parse_scenario(R"({"name": "t", "until_ms": 1000000000, "broker": {"tick_ms": 100}, "topics": [{"name": "o"}]})", "t.json"));
}

TEST_CASE("what if: a lesson step's comparison is read, checked, and applied wherever the option lives") {
    Scenario s = parse_ok(R"({"name": "w", "topics": [{"name": "o"}], "wal": {},
        "producers": [{"topic": "o", "messages": [{"at": 0, "key": "a", "value": "x"},
                                                   {"at": 1, "key": "b", "value": "y", "envelope": {"retry_policy": {"max_attempts": 3, "backoff_ms": 10}}}]}],
        "consumers": [{"name": "c1", "topic": "o", "lease_ms": 300}, {"name": "c2", "topic": "o"}],
        "lessons": [{"at": 0, "text": "t", "what_if": {"commit_rule": "contiguous", "lesson": "10-x.json"}}]})");
    REQUIRE(s.lessons[0].what_if);
    CHECK(s.lessons[0].what_if->kind == WhatIf::Kind::commit_rule);
    CHECK(s.lessons[0].what_if->value == 1);
    CHECK(s.lessons[0].what_if_lesson == "10-x.json");
    CHECK(current_value(s, WhatIf::Kind::max_attempts) == 3);
    CHECK(current_value(s, WhatIf::Kind::lease_ms) == 300);

    Scenario a = s;
    CHECK(apply_what_if(a, {WhatIf::Kind::max_attempts, 5}).empty());
    REQUIRE(a.producers[0].messages[0].envelope);  // a message with no policy gets one: the limit applies to all
    CHECK(a.producers[0].messages[0].envelope->retry_policy->max_attempts == 5);
    CHECK(a.producers[0].messages[1].envelope->retry_policy->max_attempts == 5);
    CHECK(a.producers[0].messages[1].envelope->retry_policy->backoff_ms == 10);
    Scenario l = s;
    CHECK(apply_what_if(l, {WhatIf::Kind::lease_ms, 900}).empty());
    CHECK(l.consumers[0].lease_ms == 900);
    CHECK(l.consumers[1].lease_ms == 900);
    CHECK(l.broker.ack_timeout_ms == 900);
    Scenario d = s;
    CHECK(apply_what_if(d, {WhatIf::Kind::durability, 2}).empty());
    CHECK(d.wal->durability == Durability::none);
    Scenario n = parse_ok(kMinimal);
    CHECK(apply_what_if(n, {WhatIf::Kind::durability, 1}) == "this scenario has no WAL");
    CHECK(apply_what_if(n, {WhatIf::Kind::lease_ms, 0}) == "a lease is 1 ms to 1,000,000,000 ms");
    CHECK(describe(WhatIf{WhatIf::Kind::commit_rule, 1}) == "the contiguous commit rule");

    CHECK(parse_error(R"({"name": "w", "topics": [{"name": "o"}], "lessons": [{"text": "t", "what_if": {"lease_ms": 5, "max_in_flight": 1}}]})") ==
          "bad.json: /lessons/0/what_if: expected exactly one of commit_rule, lease_ms, max_attempts, backoff_ms, max_in_flight, durability");
    CHECK(parse_error(R"({"name": "w", "topics": [{"name": "o"}], "lessons": [{"text": "t", "what_if": {"commit_rule": "newest"}}]})")
              .find("/lessons/0/what_if/commit_rule: expected one of \"highest_acked\", \"contiguous\", found \"newest\"") != std::string::npos);
}
