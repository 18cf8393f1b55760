// Read-only views for the front ends, against values worked out by hand.
#include <doctest/doctest.h>

#include <string>

#include "scenario_fixture.hpp"
#include "sim/session.hpp"

using namespace driftq;
using namespace driftq::sim;

namespace {

// One partition, tick 250 ms, a consumer "me" that answers only through commands, lease 300 ms,
// and one message at 0 allowed 4 attempts with a 1000 ms backoff.
const char* kOne = R"({"name": "one", "topics": [{"name": "t"}],
    "consumers": [{"name": "me", "topic": "t", "group": "g", "lease_ms": 300, "behaviour": "manual"}],
    "producers": [{"topic": "t", "messages": [{"at": 0, "value": "job",
                   "envelope": {"retry_policy": {"max_attempts": 4, "backoff_ms": 1000}}}]}]})";

}  // namespace

TEST_CASE("the in-flight view shows owner, attempt, lease deadline, backoff gate and the next pass") {
    World w(parse_ok(kOne));
    w.run_until(100);
    auto v = w.broker()->in_flight_view();
    REQUIRE(v.size() == 1);
    CHECK(v[0].topic == "t");
    CHECK(v[0].group == "g");
    CHECK(v[0].offset == 0);
    CHECK(v[0].owner == "me");
    CHECK(v[0].stream == std::optional<StreamId>(1));
    CHECK(v[0].attempts == 1);
    CHECK(v[0].sent_at == 0);
    CHECK(v[0].lease_ms == 300);
    CHECK(v[0].lease_deadline == 300);
    CHECK(v[0].redelivery_at == std::optional<TimeMs>(500));  // the first pass at or after 300
    CHECK_FALSE(v[0].next_eligible_at);
    CHECK_FALSE(v[0].lease_expired);
    CHECK(v[0].message.value() == "job");

    // The pass at 500 redelivers (the first retry waits only for the lease) and shuts the gate
    // until 500 + backoff(1) = 1500.
    w.run_until(600);
    v = w.broker()->in_flight_view();
    REQUIRE(v.size() == 1);
    CHECK(v[0].attempts == 2);
    CHECK(v[0].sent_at == 500);
    CHECK(v[0].lease_deadline == 800);
    CHECK(v[0].next_eligible_at == std::optional<TimeMs>(1500));
    CHECK(v[0].redelivery_at == std::optional<TimeMs>(1500));
    CHECK(v[0].last_error == "ack_timeout");

    w.run_until(900);  // the pass at 750 saw nothing due (deadline 800)
    CHECK_FALSE(w.broker()->in_flight_view()[0].lease_expired);
    w.run_until(1100);  // the pass at 1000 sees the lease gone, but the gate holds until 1500
    v = w.broker()->in_flight_view();
    CHECK(v[0].lease_expired);
    CHECK(v[0].attempts == 2);

    Command leave;
    leave.kind = Command::Kind::unsubscribe;
    leave.consumer = "me";
    REQUIRE(w.apply(leave).ok());
    v = w.broker()->in_flight_view();
    CHECK_FALSE(v[0].stream);
    CHECK_FALSE(v[0].redelivery_at);  // no live stream in the group: it waits
}

TEST_CASE("the in-flight view of one topic, group and partition is that part of the whole view") {
    World w(parse_ok(R"({"name": "t", "broker": {"max_in_flight": 4}, "topics": [{"name": "o", "partitions": 3}],
        "producers": [{"name": "p", "topic": "o", "rate": {"count": 30, "every_ms": 1, "keys": {"kind": "round_robin", "value": "k", "count": 30}}}],
        "consumers": [{"name": "a", "topic": "o", "group": "g", "behaviour": "hang"},
                      {"name": "b", "topic": "o", "group": "h", "behaviour": "hang"}]})"));
    w.run_until(40);
    const auto all = w.broker()->in_flight_view();
    REQUIRE(all.size() == 24);  // 4 per partition and group
    std::size_t seen = 0;
    for (const char* group : {"g", "h"}) {
        for (std::int32_t p = 0; p < 3; ++p) {
            const auto part = w.broker()->in_flight_view("o", group, p);
            CHECK(part.size() == 4);
            for (const InFlightView& v : part) {
                CHECK(v.group == group);
                CHECK(v.partition == p);
                CHECK(all[seen].offset == v.offset);
                CHECK(all[seen].lease_deadline == v.lease_deadline);
                ++seen;
            }
        }
    }
    CHECK(seen == all.size());
    CHECK(w.broker()->in_flight_view("o", "g", 3).empty());
    CHECK(w.broker()->in_flight_view("o", "nobody", 0).empty());
    CHECK(w.broker()->in_flight_view("none", "g", 0).empty());
}

TEST_CASE("a message's biography lists its events across groups and branches, by index") {
    Session s(parse_ok(R"({"name": "b", "topics": [{"name": "t", "partitions": 2}],
        "consumers": [{"name": "a", "topic": "t", "group": "g1", "processing": {"ms": 10}},
                      {"name": "b", "topic": "t", "group": "g2", "processing": {"ms": 20}}],
        "producers": [{"topic": "t", "messages": [{"at": 5, "key": "x", "value": "1"},
                                                  {"at": 6, "key": "x", "value": "2"}]}]})"));
    s.run_until(100);
    std::int32_t p = -1;  // both messages are keyed "x", so they share one partition
    for (std::size_t i = 0; i < s.log().size() && p < 0; ++i) {
        if (s.log()[i].kind == EventKind::produced) p = s.log()[i].partition;
    }
    REQUIRE(p >= 0);
    const auto bio = s.biography(MessageRef{"t", p, 0});
    std::vector<EventKind> kinds;
    for (std::uint64_t seq : bio) kinds.push_back(s.log()[seq - 1].kind);
    // produced, delivered to each group, acked and committed by each group.
    CHECK(kinds == std::vector<EventKind>{EventKind::produced, EventKind::delivered, EventKind::delivered,
                                          EventKind::acked, EventKind::offset_committed,
                                          EventKind::acked, EventKind::offset_committed});
    for (std::uint64_t seq : bio) {
        CHECK(s.log()[seq - 1].offset == 0);
        CHECK(s.log()[seq - 1].partition == p);
    }
    CHECK(s.biography(MessageRef{"t", p, 1}).size() == 7);
    CHECK(s.biography(MessageRef{"t", 1 - p, 0}).empty());

    // After a fork the biography is the shared past plus the branch's own future.
    s.seek(7);
    Command crash;
    crash.kind = Command::Kind::broker_crash;
    REQUIRE(s.apply(crash).ok());
    s.run_until(100);
    const auto forked = s.biography(MessageRef{"t", p, 0});
    REQUIRE(forked.size() == 3);  // produced and both deliveries happened before the crash at 7
    CHECK(forked == std::vector<std::uint64_t>(bio.begin(), bio.begin() + 3));
}

TEST_CASE("lag and throughput series follow the tick grid and keep spikes through merges") {
    Session s(parse_ok(R"({"name": "l", "broker": {"tick_ms": 100},
        "topics": [{"name": "t"}],
        "consumers": [{"name": "c", "topic": "t", "group": "g", "join_at": 1000, "processing": {"ms": 1}}],
        "producers": [{"topic": "t", "rate": {"count": 10, "every_ms": 50}}]})"));
    s.run_until(2000);
    const auto& all = s.series();
    const Series& produced = all.at(SeriesKey{SeriesKey::Metric::produced, "t", "", 0});
    // Messages at 0, 50, ..., 450: two per 100 ms interval, sampled at the end of each grid point.
    auto cols = produced.columns(0, 600, 6);
    CHECK(cols[0].max == 1);  // grid point 0 holds what happened at time 0: one message
    CHECK(cols[1].max == 2);
    CHECK(cols[4].max == 2);
    cols = produced.columns(600, 1000, 4);  // nothing produced after 450: counts drop to 0
    for (const Series::Column& c : cols) CHECK(c.max == 0);
    const Series& lag = all.at(SeriesKey{SeriesKey::Metric::lag, "t", "g", 0});
    cols = lag.columns(0, 2000, 20);
    CHECK(cols[9].max == 10);   // nobody consumed before 1000
    CHECK(cols[15].max == 0);   // all acked soon after the consumer joins

    Series bounded(0, 10, 8);
    for (TimeMs t = 0; t < 1000; t += 10) bounded.add(t, t == 370 ? 99 : 1);
    CHECK(bounded.size() <= 8);
    CHECK(bounded.bucket_ms() > 10);
    auto merged = bounded.columns(0, 1000, 1);
    CHECK(merged[0].max == 99);  // the spike survived every merge
    CHECK(merged[0].min == 1);
}

TEST_CASE("the WAL view and the recovery report after a torn tail") {
    World w(parse_ok(R"({"name": "w", "until_ms": 1000, "topics": [{"name": "t"}],
        "wal": {"durability": "always"},
        "producers": [{"topic": "t", "messages": [{"at": 10, "value": "a"}, {"at": 20, "value": "b"},
                                                  {"at": 30, "value": "c"}]}],
        "timeline": [{"at": 100, "action": "broker_crash"},
                     {"at": 110, "action": "torn_tail", "bytes": 5},
                     {"at": 120, "action": "broker_restart"}]})"));
    w.run_until(50);
    WalView v = w.wal_view();
    REQUIRE(v.contents);
    CHECK(v.appended == 3);
    CHECK(v.durable == 3);
    CHECK(v.contents->records.size() == 3);
    CHECK_FALSE(v.contents->damage);
    w.run_until(115);
    v = w.wal_view();
    REQUIRE(v.contents);
    CHECK_FALSE(v.broker_running);
    REQUIRE(v.contents->damage);
    CHECK(v.contents->damage->torn);
    CHECK(v.contents->records.size() == 2);
    w.run_until(200);
    REQUIRE(w.last_recovery());
    const RecoveryReport& r = *w.last_recovery();
    CHECK(r.records_recovered == 2);
    CHECK(r.records_unsynced == 0);
    CHECK(r.records_quarantined == 1);
    CHECK(r.bytes_torn > 0);
    // What it counted: the rest of the third record, from where that record begins.
    REQUIRE(r.torn.size() == 1);
    CHECK(r.torn[0].torn_tail);
    CHECK(r.torn[0].bytes == r.bytes_torn);
    const WalDamage& d = *v.contents->damage;  // as read after the tear, before the restart
    CHECK(r.torn[0].file == v.contents->segments[d.segment].name);
    CHECK(r.torn[0].offset == d.offset);
    CHECK(r.torn[0].bytes == v.contents->segments[d.segment].size - d.offset);
    CHECK(r.torn[0].bytes > 16);  // a header and part of a payload: the cut took 5 bytes, not these
    CHECK(r.at == 120);
}

namespace {

// A scenario with a dead-lettered message, a committed consume-scope key, a durable retry
// state, lag behind a hanging group and a torn-tail restart; `check` is spliced into "expect".
std::string rich(const std::string& check) {
    return R"({"name": "rich", "until_ms": 3000, "wal": {"durability": "always"},
        "broker": {"persist_topics": true, "max_in_flight": 10},
        "topics": [{"name": "t", "partitions": 2}],
        "producers": [{"topic": "t", "messages": [
            {"at": 0, "key": "a", "value": "poison", "envelope": {"retry_policy": {"max_attempts": 2}}},
            {"at": 10, "key": "b", "value": "job", "envelope": {"idempotency_key": "k1", "tenant_id": "acme"}}]}],
        "consumers": [{"name": "n", "topic": "t", "group": "g", "behaviour": "nack", "nack_reason": "boom",
                       "processing": {"ms": 5}, "leave_at": 300},
                      {"name": "h", "topic": "t", "group": "slow", "behaviour": "hang"}],
        "timeline": [{"at": 400, "action": "idem_begin", "topic": "t", "group": "g", "key": "k9", "owner": "w",
                      "lease_ms": 1000},
                     {"at": 410, "action": "idem_commit", "topic": "t", "group": "g", "key": "k9", "owner": "w",
                      "result": "sent"},
                     {"at": 1000, "action": "broker_crash"},
                     {"at": 1000, "action": "torn_tail", "bytes": 3},
                     {"at": 1100, "action": "broker_restart"}],
        "expect": [)" + check + "]}";
}

// Runs `rich` with one check and returns whether it held and what was observed.
std::pair<bool, std::string> holds(const std::string& check) {
    World w(parse_ok(rich(check)));
    w.finish();
    REQUIRE(w.checks().size() == 1);
    return {w.checks()[0].ok, w.checks()[0].observed};
}

}  // namespace

TEST_CASE("each new expectation kind holds on the right value and fails on a wrong one") {
    World probe(parse_ok(rich(R"({"check": "partitions", "topic": "t", "equals": 2})")));
    probe.run_until(900);
    const Message* poison = nullptr;
    for (const PartitionLog& p : probe.broker()->find_topic("t")->partitions) {
        for (const Message& m : p.messages) {
            if (m.value() == "poison") poison = &m;
        }
    }
    REQUIRE(poison);
    const std::string p = std::to_string(poison->partition);
    const std::string other = std::to_string(1 - poison->partition);

    struct Case {
        std::string right, wrong;
    };
    const Case cases[] = {
        {R"({"at": 900, "check": "message_partition", "topic": "t", "offset": 0, "equals": )" + p + "}",
         R"({"at": 900, "check": "message_partition", "topic": "t", "offset": 0, "equals": )" + other + "}"},
        {R"({"at": 900, "check": "dlq_metadata", "topic": "t", "offset": 0, "field": "attempts", "equals": 2})",
         R"({"at": 900, "check": "dlq_metadata", "topic": "t", "offset": 0, "field": "attempts", "equals": 3})"},
        {R"({"at": 900, "check": "dlq_metadata", "topic": "t", "offset": 0, "field": "last_error", "text": "boom | boom"})",
         R"({"at": 900, "check": "dlq_metadata", "topic": "t", "offset": 0, "field": "last_error", "text": "boom"})"},
        {R"({"at": 900, "check": "dlq_metadata", "topic": "t", "offset": 0, "field": "original_partition", "equals": )" + p + "}",
         R"({"at": 900, "check": "dlq_metadata", "topic": "t", "offset": 1, "field": "original_partition", "equals": )" + p + "}"},
        {R"({"at": 900, "check": "idempotency", "topic": "t", "group": "g", "key": "k9", "text": "COMMITTED"})",
         R"({"at": 900, "check": "idempotency", "topic": "t", "group": "g", "key": "k9", "text": "PENDING"})"},
        {R"({"at": 900, "check": "idempotency", "topic": "t", "key": "k1", "tenant": "acme", "text": "COMMITTED"})",
         R"({"at": 900, "check": "idempotency", "topic": "t", "key": "k1", "text": "COMMITTED"})"},
        {R"({"at": 900, "check": "lag", "topic": "t", "group": "slow", "partition": )" + p + R"(, "equals": 1})",
         R"({"at": 900, "check": "lag", "topic": "t", "group": "slow", "partition": )" + p + R"(, "equals": 0})"},
        {R"({"at": 7, "check": "retry_state", "topic": "t", "group": "g", "partition": )" + p + R"(, "offset": 0, "text": "boom"})",
         R"({"at": 7, "check": "retry_state", "topic": "t", "group": "g", "partition": )" + p + R"(, "offset": 0, "text": ""})"},
        {R"({"check": "recovery", "field": "records_quarantined", "equals": 1})",
         R"({"check": "recovery", "field": "records_quarantined", "equals": 0})"},
        {R"({"check": "recovery", "field": "records_unsynced", "equals": 0})",
         R"({"check": "recovery", "field": "records_unsynced", "at_least": 1})"},
        {R"({"check": "recovery", "field": "bytes_torn", "at_least": 1})",
         R"({"check": "recovery", "field": "bytes_torn", "equals": 0})"},
        {R"({"check": "recovery", "field": "records_recovered", "at_least": 1})",
         R"({"check": "recovery", "field": "records_recovered", "equals": 0})"},
        {R"({"check": "partitions", "topic": "t", "equals": 2})",
         R"({"check": "partitions", "topic": "t", "equals": 3})"},
        {R"({"at": 900, "check": "dlq_metadata", "topic": "t", "offset": 0, "field": "original_topic", "text": "t"})",
         R"({"at": 900, "check": "dlq_metadata", "topic": "t", "offset": 0, "field": "original_topic", "text": "dlq.t"})"},
        {R"({"at": 900, "check": "idempotency", "topic": "t", "group": "g", "key": "never-seen", "text": "absent"})",
         R"({"at": 900, "check": "idempotency", "topic": "t", "group": "g", "key": "k9", "text": "absent"})"},
    };
    for (const Case& c : cases) {
        CAPTURE(c.right);
        const std::pair<bool, std::string> right = holds(c.right);  // no structured bindings: clang 14's doctest
        CHECK_MESSAGE(right.first, right.second);
        CAPTURE(c.wrong);
        CHECK_FALSE(holds(c.wrong).first);
    }
}
