// What a partition lane shows, computed from the broker's state for one (partition, group) and
// a range of log indices split into equal buckets: each bucket's worst state (a bucket narrower
// than a few pixels stands for many messages, and the one needing attention must not vanish),
// its message count, and for in-flight messages the attempt and lease. Pure and headless, so the
// tests check it without drawing.
#pragma once

#include <cstddef>
#include <cstdint>
#include <set>
#include <span>
#include <vector>

#include "broker/broker.hpp"

namespace driftq::ui {

// Ordered by how much attention a cell needs: a bucket shows its highest.
enum class CellState : std::uint8_t {
    acked,        // at or below the committed offset, or acked above a gap
    waiting,      // in the log, not (yet) delivered to this group
    in_flight,    // delivered, lease running
    expired,      // delivered, lease ran out: the next redelivery pass takes it back
    redelivered,  // in flight again, attempt 2 or more
    dead,         // moved to the dead-letter topic
    skipped,      // the commit passed it and the group never acked it: lost to this group
};
// Every state, in the order the legend lists them.
inline constexpr CellState kCellStates[] = {CellState::waiting, CellState::in_flight, CellState::expired,
                                            CellState::redelivered, CellState::acked, CellState::dead,
                                            CellState::skipped};
const char* to_string(CellState s);
// What the state means, in a few words (the legend's tooltip, the cell's tooltip).
const char* meaning(CellState s);

struct LaneBucket {
    std::size_t first = 0;  // log index range [first, last)
    std::size_t last = 0;
    CellState state = CellState::acked;
    int attempts = 0;               // highest attempt among its in-flight messages
    const InFlightView* in_flight = nullptr;  // the in-flight message, for one-message buckets
    std::size_t in_flight_count = 0;
};

struct LaneInput {
    const PartitionLog* log = nullptr;
    const GroupPartition* group = nullptr;       // nullptr: no group reads this topic
    std::span<const InFlightView> in_flight;     // this lane's, ascending offsets
    std::span<const std::int64_t> dead_offsets;  // this lane's dead-lettered, ascending
    std::span<const std::int64_t> skipped_offsets;  // committed past, never acked, ascending
    TimeMs now = 0;  // a lease that ran out shows as expired until the pass takes it back
};

// Buckets of `per_bucket` messages covering log indices [first, last) (last clamped to the log).
std::vector<LaneBucket> lane_buckets(const LaneInput& in, std::size_t first, std::size_t last,
                                     std::size_t per_bucket);

// The log index of the committed offset's successor (the first message not committed) and of the
// next message never dispatched to the group.
std::size_t committed_index(const LaneInput& in);
std::size_t next_dispatch_index(const LaneInput& in);

}  // namespace driftq::ui
