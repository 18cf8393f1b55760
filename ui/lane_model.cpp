#include "ui/lane_model.hpp"

#include <algorithm>
#include <cassert>

namespace driftq::ui {

const char* to_string(CellState s) {
    switch (s) {
        case CellState::acked: return "acked";
        case CellState::waiting: return "waiting";
        case CellState::in_flight: return "in flight";
        case CellState::expired: return "lease expired";
        case CellState::redelivered: return "redelivered";
        case CellState::dead: return "dead-lettered";
        case CellState::skipped: return "skipped";
    }
    return "?";
}

const char* meaning(CellState s) {
    switch (s) {
        case CellState::acked: return "acked: at or below the committed offset, or acked above a gap the commit waits on";
        case CellState::waiting: return "waiting: in the log, not delivered to this group (yet)";
        case CellState::in_flight: return "in flight: delivered, its lease running (the bar under the cell)";
        case CellState::expired: return "lease expired: its lease ran out; the next redelivery pass takes it back";
        case CellState::redelivered: return "redelivered: in flight again; the number is the attempt";
        case CellState::dead: return "dead-lettered: moved to the dead-letter topic after its last attempt";
        case CellState::skipped: return "skipped: committed past, never acked; this group will not see it again";
    }
    return "?";
}

std::size_t committed_index(const LaneInput& in) {
    if (!in.group || !in.group->committed) return 0;
    return first_index_after(in.log->messages, *in.group->committed);
}

std::size_t next_dispatch_index(const LaneInput& in) {
    if (!in.group) return 0;
    return in.group->next_index.value_or(committed_index(in));
}

namespace {

// Index of the message with `offset` at or after `from` (offsets ascend), or the log size.
std::size_t index_of(const MessageLog& log, std::int64_t offset, std::size_t from) {
    std::size_t lo = from, hi = log.size();
    while (lo < hi) {
        const std::size_t mid = lo + (hi - lo) / 2;
        if (log[mid].offset < offset) lo = mid + 1;
        else hi = mid;
    }
    return lo;
}

// An expired lease is news even on a retried message (its attempt badge still shows). It shows
// from the moment the lease runs out, not only once a redelivery pass has seen it: the pass runs
// on the tick grid, and usually redelivers in the same instant it notices.
CellState in_flight_state(const InFlightView& v, TimeMs now) {
    if (v.lease_expired || now >= v.lease_deadline) return CellState::expired;
    return v.attempts > 1 ? CellState::redelivered : CellState::in_flight;
}

}  // namespace

std::vector<LaneBucket> lane_buckets(const LaneInput& in, std::size_t first, std::size_t last,
                                     std::size_t per_bucket) {
    assert(in.log && per_bucket > 0);
    const MessageLog& log = in.log->messages;
    last = std::min(last, log.size());
    std::vector<LaneBucket> out;
    if (first >= last) return out;
    const std::size_t n = (last - first + per_bucket - 1) / per_bucket;
    out.resize(n);
    std::vector<std::size_t> settled(n, 0);  // messages known to be in flight or acked above the commit

    const std::size_t commit = committed_index(in);
    const std::size_t next = in.group ? next_dispatch_index(in) : 0;
    for (std::size_t b = 0; b < n; ++b) {
        out[b].first = first + b * per_bucket;
        out[b].last = std::min(last, out[b].first + per_bucket);
    }
    auto bucket_of = [&](std::size_t index) { return (index - first) / per_bucket; };
    auto raise = [](LaneBucket& b, CellState s) { b.state = std::max(b.state, s); };

    std::size_t cursor = 0;
    for (const InFlightView& v : in.in_flight) {
        cursor = index_of(log, v.offset, cursor);
        if (cursor >= log.size() || log[cursor].offset != v.offset) continue;  // not in this log
        if (cursor < first || cursor >= last) continue;
        LaneBucket& b = out[bucket_of(cursor)];
        raise(b, in_flight_state(v, in.now));
        b.attempts = std::max(b.attempts, v.attempts);
        b.in_flight = per_bucket == 1 ? &v : nullptr;
        ++b.in_flight_count;
        ++settled[bucket_of(cursor)];
    }
    if (in.group) {
        cursor = 0;
        for (const std::int64_t offset : in.group->done_above_commit) {
            cursor = index_of(log, offset, cursor);
            if (cursor >= first && cursor < last) ++settled[bucket_of(cursor)];
        }
    }
    cursor = 0;
    for (const std::int64_t offset : in.dead_offsets) {
        cursor = index_of(log, offset, cursor);
        if (cursor < first || cursor >= last || log[cursor].offset != offset) continue;
        raise(out[bucket_of(cursor)], CellState::dead);
    }
    // A message still held is shown as held (an ack may yet come); once nobody holds it, it is lost.
    cursor = 0;
    for (const std::int64_t offset : in.skipped_offsets) {
        cursor = index_of(log, offset, cursor);
        if (cursor < first || cursor >= last || log[cursor].offset != offset) continue;
        LaneBucket& k = out[bucket_of(cursor)];
        if (per_bucket == 1 && k.in_flight_count > 0) continue;
        raise(k, CellState::skipped);
    }
    // Messages between the commit and the next dispatch that are neither in flight nor acked
    // wait for their turn again; those past the next dispatch (or with no group) all wait.
    const std::size_t wait_from = in.group ? std::max(commit, next) : 0;
    for (std::size_t b = 0; b < n; ++b) {
        LaneBucket& k = out[b];
        const std::size_t lo = std::max(k.first, commit), hi = std::min(k.last, wait_from);
        const std::size_t between = hi > lo ? hi - lo : 0;
        if (k.last > wait_from || settled[b] < between) raise(k, CellState::waiting);
    }
    return out;
}

}  // namespace driftq::ui
