// The lane model: each bucket's state from the broker's state, for single messages and folded
// buckets, with the commit, next-dispatch, in-flight, acked-above-a-gap and dead-letter rules.
#include <doctest/doctest.h>

#include "ui/lane_model.hpp"

namespace driftq::ui {

namespace {

PartitionLog log_of(int n) {
    PartitionLog p;
    for (int i = 0; i < n; ++i) {
        Message m;
        m.offset = i * 2;  // offsets are topic-global: not contiguous within a partition
        m.body = std::make_shared<MessageBody>();
        p.messages.push_back(m);
    }
    return p;
}

InFlightView flight(std::int64_t offset, int attempts, bool expired = false) {
    InFlightView v;
    v.offset = offset;
    v.attempts = attempts;
    v.lease_expired = expired;
    v.sent_at = 0;
    v.lease_ms = 1000;
    v.lease_deadline = 1000;  // the inputs below are at 0 ms unless they say otherwise
    return v;
}

std::vector<CellState> states(const std::vector<LaneBucket>& b) {
    std::vector<CellState> out;
    for (const auto& k : b) out.push_back(k.state);
    return out;
}

}  // namespace

TEST_CASE("lane buckets: one message each, every state") {
    const PartitionLog log = log_of(8);  // offsets 0,2,...,14
    GroupPartition gp;
    gp.committed = 2;     // indices 0,1 committed
    gp.next_index = 7;    // index 7 never dispatched
    gp.done_above_commit = {8};  // index 4 acked above a gap
    const std::vector<InFlightView> fl = {flight(4, 1), flight(6, 3), flight(10, 1, true), flight(12, 1, true)};
    const std::vector<std::int64_t> dead = {10};  // index 5: its DLQ copy was made
    const LaneInput in{&log, &gp, fl, dead};
    CHECK(committed_index(in) == 2);
    CHECK(next_dispatch_index(in) == 7);
    const auto b = lane_buckets(in, 0, 8, 1);
    using S = CellState;
    CHECK(states(b) == std::vector<S>{S::acked, S::acked, S::in_flight, S::redelivered, S::acked, S::dead, S::expired, S::waiting});
    CHECK(b[3].attempts == 3);
    REQUIRE(b[3].in_flight != nullptr);
    CHECK(b[3].in_flight->offset == 6);
    CHECK(b[2].in_flight_count == 1);
}

TEST_CASE("lane buckets: folded buckets show their worst state and count what is in flight") {
    const PartitionLog log = log_of(10);
    GroupPartition gp;
    gp.committed = 6;   // indices 0..3 committed
    gp.next_index = 6;
    const std::vector<InFlightView> fl = {flight(8, 1), flight(10, 2)};  // indices 4, 5
    const LaneInput in{&log, &gp, fl, {}};
    const auto b = lane_buckets(in, 0, 10, 4);  // [0,4) [4,8) [8,10)
    using S = CellState;
    REQUIRE(b.size() == 3);
    CHECK(states(b) == std::vector<S>{S::acked, S::redelivered, S::waiting});
    CHECK(b[1].in_flight_count == 2);
    CHECK(b[1].in_flight == nullptr);  // only one-message buckets point at their delivery
    CHECK(b[2].last == 10);
}

TEST_CASE("lane buckets: a message between the commit and the next dispatch that is neither in flight nor acked waits") {
    const PartitionLog log = log_of(4);
    GroupPartition gp;
    gp.next_index = 3;  // 0..2 dispatched; nothing committed
    const std::vector<InFlightView> fl = {flight(0, 1), flight(4, 1)};  // index 1 (offset 2) neither
    const auto b = lane_buckets({&log, &gp, fl, {}}, 0, 4, 1);
    using S = CellState;
    CHECK(states(b) == std::vector<S>{S::in_flight, S::waiting, S::in_flight, S::waiting});
}

TEST_CASE("lane buckets: an expired lease shows even on a redelivered message") {
    const PartitionLog log = log_of(2);
    GroupPartition gp;
    gp.next_index = 2;
    const std::vector<InFlightView> fl = {flight(0, 3, /*expired=*/true), flight(2, 3)};
    const auto b = lane_buckets({&log, &gp, fl, {}}, 0, 2, 1);
    CHECK(states(b) == std::vector<CellState>{CellState::expired, CellState::redelivered});
    CHECK(b[0].attempts == 3);
}

TEST_CASE("lane buckets: a lease that ran out shows as expired before any redelivery pass has seen it") {
    const PartitionLog log = log_of(2);
    GroupPartition gp;
    gp.next_index = 2;
    const std::vector<InFlightView> fl = {flight(0, 1), flight(2, 2)};  // leases end at 1000 ms
    LaneInput in{&log, &gp, fl, {}};
    in.now = 999;
    CHECK(states(lane_buckets(in, 0, 2, 1)) == std::vector<CellState>{CellState::in_flight, CellState::redelivered});
    in.now = 1000;
    CHECK(states(lane_buckets(in, 0, 2, 1)) == std::vector<CellState>{CellState::expired, CellState::expired});
}

TEST_CASE("lane buckets: a message the commit passed that was never acked is skipped, not acked") {
    const PartitionLog log = log_of(4);  // offsets 0,2,4,6
    GroupPartition gp;
    gp.committed = 4;   // indices 0..2 at or below the commit
    gp.next_index = 3;
    const std::vector<std::int64_t> skipped = {0, 2};
    const std::vector<InFlightView> fl = {flight(2, 1)};  // offset 2 is still held: it may yet be acked
    LaneInput in{&log, &gp, fl, {}, skipped};
    using S = CellState;
    CHECK(states(lane_buckets(in, 0, 4, 1)) == std::vector<S>{S::skipped, S::in_flight, S::acked, S::waiting});
    // Folded, the loss outranks everything else in its bucket.
    const std::vector<std::int64_t> dead = {4};
    in.dead_offsets = dead;
    CHECK(states(lane_buckets(in, 0, 4, 4)) == std::vector<S>{S::skipped});
    // Without the skip list the same lane reads acked: the state comes from it alone.
    in.skipped_offsets = {};
    in.dead_offsets = {};
    CHECK(states(lane_buckets(in, 0, 4, 1)) == std::vector<S>{S::acked, S::in_flight, S::acked, S::waiting});
}

TEST_CASE("lane buckets: no group means everything waits; a range past the log is clamped") {
    const PartitionLog log = log_of(3);
    const auto b = lane_buckets({&log, nullptr, {}, {}}, 1, 100, 1);
    REQUIRE(b.size() == 2);
    CHECK(b[0].state == CellState::waiting);
    CHECK(b[1].first == 2);
    CHECK(lane_buckets({&log, nullptr, {}, {}}, 5, 9, 1).empty());
}

}  // namespace driftq::ui
