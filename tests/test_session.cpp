// Commands, interactive sessions, forks and the session -> scenario file round trip.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "scenario_fixture.hpp"
#include "sim/session.hpp"

using namespace driftq;
using namespace driftq::sim;

namespace {

Command make(Command::Kind kind) {
    Command c;
    c.kind = kind;
    return c;
}

Command produce(const std::string& topic, const std::string& key, const std::string& value) {
    Command c = make(Command::Kind::produce);
    c.topic = topic;
    c.key = key;
    c.value = value;
    return c;
}

Command answer(Command::Kind kind, const std::string& topic, std::int32_t p, std::int64_t offset,
               const std::string& owner, const std::string& reason = {}) {
    Command c = make(kind);
    c.topic = topic;
    c.group = "billing";
    c.partition = p;
    c.offset = offset;
    c.owner = owner;
    c.text = reason;
    return c;
}

Command subscribe(const std::string& name, const std::string& topic, ConsumerBehaviour b) {
    Command c = make(Command::Kind::subscribe);
    c.consumer = name;
    c.topic = topic;
    c.group = "billing";
    c.lease_ms = 500;
    c.behaviour = b;
    return c;
}

std::vector<std::string> lines(const EventLog& log, std::uint64_t n) {
    std::vector<std::string> out;
    for (std::size_t i = 0; i < n && i < log.size(); ++i) out.push_back(to_json(log[i]));
    return out;
}

std::vector<std::string> lines(const std::vector<Event>& trace) {
    std::vector<std::string> out;
    for (const Event& e : trace) out.push_back(to_json(e));
    return out;
}

// The scenario a session saves, written to JSON, read back and run as `driftq-sim run` would;
// the first `n` events of its trace.
std::vector<std::string> replay_saved(const Session& s, std::uint64_t n, bool* passed = nullptr) {
    const std::string text = write_scenario(s.scenario());
    World w(parse_ok(text));
    w.finish();
    if (passed) *passed = w.passed();
    REQUIRE(w.trace().size() >= n);
    return lines(std::vector<Event>(w.trace().begin(), w.trace().begin() + static_cast<std::ptrdiff_t>(n)));
}

// Where the first in-flight delivery of orders/billing sits, if any.
std::optional<Position> first_in_flight(const World& w) {
    const Topic* t = w.broker()->find_topic("orders");
    auto g = t->groups.find("billing");
    if (g == t->groups.end()) return std::nullopt;
    for (std::size_t p = 0; p < g->second.partitions.size(); ++p) {
        for (const auto& [offset, entry] : g->second.partitions[p].in_flight) {
            return Position{static_cast<std::int32_t>(p), offset};
        }
    }
    return std::nullopt;
}

const char* kShop = R"({"name": "shop", "seed": 7, "until_ms": 4000,
    "wal": {"durability": "batch", "batch_max_records": 8, "batch_max_delay_ms": 20},
    "broker": {"persist_topics": true, "ack_timeout_ms": 400},
    "topics": [{"name": "orders", "partitions": 2}],
    "producers": [{"topic": "orders", "rate": {"count": 40, "every_ms": 50,
                   "keys": {"kind": "round_robin", "count": 5}}}],
    "consumers": [{"name": "w1", "topic": "orders", "group": "billing", "lease_ms": 300,
                   "processing": {"kind": "exponential", "ms": 60}, "fail_probability": 0.2}]})";

}  // namespace

TEST_CASE("commands answer ok or the reference's exact error text") {
    World w(parse_ok(R"({"name": "t", "topics": [{"name": "orders", "partitions": 2}]})"));
    CHECK(w.apply(produce("nope", "k", "v")).text() == "topic does not exist (create it first)");
    CommandResult r = w.apply(produce("orders", "k", "v"));
    REQUIRE(r.ok());
    CHECK(r.detail == "orders p0@0");

    REQUIRE(w.apply(subscribe("bob", "orders", ConsumerBehaviour::manual)).ok());
    CHECK(w.apply(subscribe("bob", "orders", ConsumerBehaviour::manual)).text() ==
          "consumer bob already exists (consumer_restart brings it back)");
    w.run_until(10);
    REQUIRE(w.broker()->in_flight_total() == 1);  // a manual consumer holds it until told

    CHECK(w.apply(answer(Command::Kind::ack_if_owner, "orders", 0, 0, "mallory")).text() == "not owner");
    CHECK(w.apply(answer(Command::Kind::nack, "orders", 0, 0, "bob", "card declined")).ok());
    CHECK(w.apply(answer(Command::Kind::ack_if_owner, "orders", 0, 0, "bob")).ok());
    CHECK(w.apply(answer(Command::Kind::ack_if_owner, "orders", 0, 0, "bob")).text() ==
          "message is not in-flight");
    CHECK(w.apply(answer(Command::Kind::ack_if_owner, "orders", 7, 0, "bob")).text() ==
          "partition out of range");
    CHECK(w.broker()->committed_offset("orders", "billing", 0) == 0);

    Command crash = make(Command::Kind::broker_crash);
    CHECK(w.apply(crash).ok());
    CHECK(w.apply(crash).text() == "the broker is not running");
    CHECK(w.apply(produce("orders", "k", "v")).text() == "the broker is not running");
    CHECK(w.apply(make(Command::Kind::broker_restart)).ok());

    // Every command is in the run's timeline with its result, and narrated in the trace.
    REQUIRE(w.applied().size() == 13);
    CHECK(w.applied()[4].command.command.owner == "mallory");
    CHECK(w.applied()[4].result.text() == "not owner");
    int narrated = 0;
    for (const Event& e : w.trace()) narrated += e.kind == EventKind::command;
    CHECK(narrated == 13);
}

TEST_CASE("a negative partition_override is read and refused by the broker") {
    Scenario s = parse_ok(R"({"name": "t", "topics": [{"name": "o", "partitions": 2}],
        "timeline": [{"at": 5, "action": "produce", "topic": "o", "value": "x",
                      "envelope": {"partition_override": -1},
                      "expect": "partition_override out of range"}]})");
    World w(std::move(s));
    w.finish();
    REQUIRE(w.checks().size() == 1);
    CHECK(w.passed());
}

TEST_CASE("a timeline command's expected result is checked, and fails on a wrong text") {
    const std::string base = R"({"name": "t", "topics": [{"name": "o"}],
        "consumers": [{"name": "c", "topic": "o", "group": "billing", "behaviour": "manual"}],
        "timeline": [{"at": 0, "action": "produce", "topic": "o", "value": "x"},
                     {"at": 10, "action": "ack_if_owner", "topic": "o", "group": "billing",
                      "offset": 0, "owner": "eve", "expect": ")";
    for (const auto& [expect, ok] : {std::pair<std::string, bool>{"not owner", true}, {"ok", false}}) {
        World w(parse_ok(base + expect + "\"}]}"));
        w.finish();
        REQUIRE(w.checks().size() == 1);
        CHECK(w.passed() == ok);
        CHECK(w.checks()[0].observed == "\"not owner\"");
    }
}

TEST_CASE("unknown actions and fields a command does not read are errors with their path") {
    auto s = parse_scenario(R"({"name": "t", "topics": [{"name": "o"}],
        "timeline": [{"at": 1, "action": "explode"},
                     {"at": 2, "action": "broker_crash", "topic": "o"},
                     {"at": 3, "action": "nack", "topic": "o", "offset": 0}]})", "bad.json");
    REQUIRE_FALSE(s.ok());
    const std::string& e = s.error().message;
    CHECK(e.find("bad.json: /timeline/0/action: unknown action \"explode\"") != std::string::npos);
    CHECK(e.find("bad.json: /timeline/1/topic: unknown field") != std::string::npos);
    CHECK(e.find("bad.json: /timeline/2/owner: required for nack") != std::string::npos);
}

TEST_CASE("pause holds a consumer's deliveries in its stream until resume") {
    World w(parse_ok(R"({"name": "t", "topics": [{"name": "o"}], "broker": {"ack_timeout_ms": 100000},
        "consumers": [{"name": "c", "topic": "o", "group": "billing", "processing": {"ms": 10}}]})"));
    w.run_until(1);
    Command pause = make(Command::Kind::consumer_pause);
    pause.consumer = "c";
    REQUIRE(w.apply(pause).ok());
    REQUIRE(w.apply(produce("o", "", "x")).ok());
    w.run_until(500);
    CHECK(w.broker()->committed_offset("o", "billing", 0) == -1);
    Command resume = make(Command::Kind::consumer_resume);
    resume.consumer = "c";
    REQUIRE(w.apply(resume).ok());
    CHECK(w.apply(resume).text() == "consumer c is not paused or hanging");
    w.run_until(520);
    CHECK(w.broker()->committed_offset("o", "billing", 0) == 0);
}

TEST_CASE("a hanging consumer takes deliveries and answers none until resumed; lose_ack drops its next ack") {
    World w(parse_ok(R"({"name": "t", "topics": [{"name": "o"}], "broker": {"ack_timeout_ms": 100000},
        "consumers": [{"name": "c", "topic": "o", "group": "billing", "lease_ms": 300, "processing": {"ms": 10}}]})"));
    w.run_until(1);
    Command hang = make(Command::Kind::consumer_hang);
    hang.consumer = "c";
    REQUIRE(w.apply(hang).ok());
    CHECK(w.apply(hang).text() == "consumer c is not running");
    REQUIRE(w.apply(produce("o", "", "x")).ok());
    w.run_until(200);
    CHECK(w.broker()->in_flight_total() == 1);  // taken, not answered
    CHECK(w.broker()->committed_offset("o", "billing", 0) == -1);
    Command resume = make(Command::Kind::consumer_resume);
    resume.consumer = "c";
    REQUIRE(w.apply(resume).ok());
    w.run_until(600);  // the lease ran out at 300; the 500 pass redelivers it, and now it acks
    CHECK(w.broker()->committed_offset("o", "billing", 0) == 0);

    Command lose = make(Command::Kind::lose_ack);
    lose.consumer = "c";
    REQUIRE(w.apply(lose).ok());
    REQUIRE(w.apply(produce("o", "", "y")).ok());
    REQUIRE(w.apply(produce("o", "", "z")).ok());
    w.run_until(700);
    // The first ack after lose_ack was lost: offset 1 stays in flight; offset 2's ack arrived.
    std::size_t lost = 0;
    for (const Event& e : w.trace()) lost += e.kind == EventKind::ack_lost ? 1 : 0;
    CHECK(lost == 1);
    const auto flying = w.broker()->in_flight_view();
    REQUIRE(flying.size() == 1);
    CHECK(flying[0].offset == 1);
    lose.consumer = "nobody";
    CHECK(w.apply(lose).text() == "no consumer named nobody");
}

TEST_CASE("a scripted session saves as a scenario that replays byte for byte") {
    Session s(parse_ok(kShop), SessionOptions{50, 7, 4});  // dense recent snapshots, often evicted
    s.run_until(300);
    REQUIRE(s.apply(subscribe("me", "orders", ConsumerBehaviour::manual)).ok());
    s.run_until(700);
    REQUIRE(s.apply(produce("orders", "vip", "gold")).ok());
    s.run_until(1000);
    const auto held = first_in_flight(s.world());
    REQUIRE(held);
    CHECK(s.apply(answer(Command::Kind::ack_if_owner, "orders", held->partition, held->offset, "nobody"))
              .text() == "not owner");
    s.run_until(1400);
    REQUIRE(s.apply(make(Command::Kind::broker_crash)).ok());
    s.run_until(1500);
    REQUIRE(s.apply(make(Command::Kind::broker_restart)).ok());
    s.run_until(2500);
    const std::uint64_t events = s.visible_events();
    REQUIRE(events > 150);
    REQUIRE(s.snapshot_count() > 3);

    bool passed = false;
    const auto replayed = replay_saved(s, events, &passed);
    CHECK(passed);  // every command got the result it got live
    CHECK(replayed == lines(s.log(), events));

    // Seeking shows what a straight run of the saved file shows at that time.
    World straight(parse_ok(write_scenario(s.scenario())));
    for (TimeMs t : {0, 200, 999, 1450, 1500, 2500}) {
        straight.run_until(t);
        s.seek(t);
        CHECK(s.visible_events() == straight.event_count());
        REQUIRE((s.world().broker() == nullptr) == (straight.broker() == nullptr));
        if (straight.broker()) CHECK(s.world().broker()->dump_state() == straight.broker()->dump_state());
    }
    // And back and forth in any order, what the session's own snapshots give.
    for (TimeMs t : {1450, 200, 2500, 999, 0, 1500}) {
        s.seek(t);
        auto rebuilt = s.world_at(0, t);
        CHECK((s.world().broker() == nullptr) == (rebuilt->broker() == nullptr));
        if (s.world().broker()) CHECK(s.world().broker()->dump_state() == rebuilt->broker()->dump_state());
        CHECK(s.visible_events() == rebuilt->event_count());
    }
}

TEST_CASE("acting after a seek back forks; both branches are kept and compared") {
    Session s(parse_ok(kShop), SessionOptions{40});
    s.run_until(2000);
    const std::uint64_t main_events = s.visible_events();
    s.seek(800);
    REQUIRE_FALSE(s.at_head());
    const std::uint64_t at_fork = s.visible_events();
    REQUIRE(s.apply(make(Command::Kind::broker_crash)).ok());
    CHECK(s.branch() == 1);
    s.run_until(1200);
    REQUIRE(s.apply(make(Command::Kind::broker_restart)).ok());
    s.run_until(2000);

    const auto branches = s.branches();
    REQUIRE(branches.size() == 2);
    CHECK(branches[1].parent == 0);
    CHECK(branches[1].fork_at == 800);
    CHECK(branches[0].head == 2000);

    const Session::Divergence d = s.compare(0, 1);
    REQUIRE(d.diverged);
    CHECK(d.first_event == at_fork + 1);
    REQUIRE(d.b);
    CHECK(d.b->kind == EventKind::broker_crashed);
    CHECK(s.compare(1, 1).diverged == false);

    // The old future is intact: switching back shows it, event for event.
    s.switch_branch(0);
    CHECK(s.visible_events() == main_events);
    CHECK(s.commands().empty());
    s.switch_branch(1);
    CHECK(s.world().broker() != nullptr);
    CHECK(replay_saved(s, s.visible_events()) == lines(s.log(), s.visible_events()));

    // State of both at one time, side by side.
    auto a = s.world_at(0, 1000);
    auto b = s.world_at(1, 1000);
    CHECK(a->broker() != nullptr);
    CHECK(b->broker() == nullptr);  // crashed at 800, restarted at 1200
}

TEST_CASE("stepping moves by event times and ticks, back and forth") {
    Session s(parse_ok(kShop));
    REQUIRE(s.step_event());
    const TimeMs first = s.now();
    const std::uint64_t n = s.visible_events();
    while (s.now() == first) REQUIRE(s.step_event());
    const TimeMs second = s.now();
    CHECK(s.visible_events() > n);
    s.step_event_back();
    CHECK(s.now() == first);
    CHECK(s.visible_events() == n);
    s.seek(second);
    s.step_tick();
    const TimeMs tick = s.world().broker()->options().tick_ms;
    CHECK(s.now() == second + tick);
    s.step_tick_back();
    CHECK(s.now() == second);
}

TEST_CASE("a command applied at a time runs before that time's checks, as in the saved file") {
    const std::string base = R"({"name": "t", "topics": [{"name": "o"}],
        "expect": [{"at": 1000, "check": "topic_messages", "topic": "o", "equals": 1}])";
    World live(parse_ok(base + "}"));
    live.run_until(1000);
    REQUIRE(live.apply(produce("o", "", "x")).ok());
    live.finish();
    World file(parse_ok(base + R"(, "timeline": [{"at": 1000, "action": "produce", "topic": "o", "value": "x"}]})"));
    file.finish();
    REQUIRE(live.checks().size() == 1);
    REQUIRE(file.checks().size() == 1);
    CHECK(live.checks()[0].ok);
    CHECK(file.checks()[0].ok);
}

TEST_CASE("a session can stop exactly at a check's time; the check runs once time moves past") {
    // Playback stops at arbitrary times, a check's own among them (this once looped forever).
    Session s(parse_ok(R"({"name": "t", "topics": [{"name": "o"}],
        "expect": [{"at": 1000, "check": "topic_messages", "topic": "o", "equals": 0}]})"));
    s.run_until(1000);
    CHECK(s.now() == 1000);
    CHECK(s.world().checks().empty());
    s.run_until(1001);
    REQUIRE(s.world().checks().size() == 1);
    CHECK(s.world().checks()[0].ok);
}
