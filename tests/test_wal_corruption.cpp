// Corruption sweep: damage a WAL of about 1,000 records at thousands of positions, by truncation
// and by flipping a bit, and check the exact outcome in every recovery mode: what is kept, what
// is reported (kind, segment, byte), what is set aside, and when a mode refuses.
#include <doctest/doctest.h>

#include "base/prng.hpp"
#include "wal/wal_format.hpp"
#include "wal_fixture.hpp"

using namespace driftq;
using namespace driftq::testing;

namespace {

struct Layout {
    std::vector<WalRecord> records;
    WalContents clean;
    std::vector<std::uint64_t> seg_starts;  // global byte position of each segment
    std::uint64_t total = 0;
};

WalOptions sweep_options(RecoveryMode mode) {
    WalOptions o;
    o.segment_bytes = 16 * 1024;
    o.recovery = mode;
    return o;
}

Layout build(MemoryStorage& s) {
    Layout l;
    l.records = sample_records(1000);
    write_records(s, l.records, sweep_options(RecoveryMode::absolute));
    l.clean = read_wal(s).value();
    for (const WalSegment& seg : l.clean.segments) {
        l.seg_starts.push_back(l.total);
        l.total += seg.size;
    }
    return l;
}

// What recovery must find for one kind of damage at byte `at` of segment `seg`.
struct Expected {
    std::uint64_t records = 0;    // records kept
    bool damaged = true;          // false: the cut fell after the last record, nothing is wrong
    std::size_t segment = 0;      // where the damage is reported
    std::uint64_t offset = 0;
    bool torn = false;
};

// The record holding byte `at` of segment `seg` (or the first record after it): its number and
// where it starts. `at` is past the segment header.
std::pair<std::size_t, std::uint64_t> record_at(const Layout& l, std::size_t seg, std::uint64_t at) {
    auto n = static_cast<std::size_t>(l.clean.segments[seg].first_record);
    while (n + 1 < l.records.size() && l.clean.record_segments[n + 1] == seg && l.clean.record_offsets[n + 1] <= at) ++n;
    return {n, l.clean.record_offsets[n]};
}

Expected expect_flip(const Layout& l, std::size_t seg, std::uint64_t at) {
    if (at < kSegmentHeaderSize) return {l.clean.segments[seg].first_record, true, seg, 0, false};
    const auto [n, start] = record_at(l, seg, at);
    return {n, true, seg, start, false};
}

// A truncation is a torn tail only in the last segment; before it, the same cut is corruption.
Expected expect_cut(const Layout& l, std::size_t seg, std::uint64_t at) {
    const bool last = seg + 1 == l.clean.segments.size();
    if (at < kSegmentHeaderSize) return {l.clean.segments[seg].first_record, true, seg, 0, last};
    const auto [n, start] = record_at(l, seg, at);
    if (at != start) return {n, true, seg, start, last};
    // Exactly between records: the end of the log if this is the last segment; otherwise the
    // next segment's header shows records are missing, and the damage is reported here.
    if (last) return {n, false, seg, at, false};
    return {n, true, seg, at, false};
}

std::string where(const Layout& l, const Expected& e) {
    return l.clean.segments[e.segment].name + " at byte " + std::to_string(e.offset);
}

void check_point_in_time(MemoryStorage damaged, const Layout& l, const Expected& e, bool deep) {
    WalContents c;
    auto wal = Wal::open(damaged, sweep_options(RecoveryMode::point_in_time), &c);
    REQUIRE_MESSAGE(wal.ok(), wal.error().message);
    REQUIRE(c.records.size() == e.records);
    CHECK(std::equal(c.records.begin(), c.records.end(), l.records.begin()));
    if (!e.damaged) {
        CHECK(c.issues.empty());
        return;
    }
    REQUIRE_FALSE(c.issues.empty());
    const RecoveryIssue& first = c.issues.front();
    CHECK(first.kind == (e.torn ? RecoveryIssue::Kind::torn_tail : RecoveryIssue::Kind::corruption));
    CHECK(first.file == l.clean.segments[e.segment].name);
    CHECK(first.offset == e.offset);
    // Every later segment is set aside whole, and so is the damaged one if its header is gone.
    const std::size_t kept_segments = e.offset < kSegmentHeaderSize ? e.segment : e.segment + 1;
    for (std::size_t i = 0; i < l.clean.segments.size(); ++i) {
        const std::string& name = l.clean.segments[i].name;
        CHECK(damaged.size(name + ".quarantined").ok() == (i >= kept_segments));
        // The first set-aside name may hold the fresh segment recovery starts in its place.
        if (i != kept_segments) CHECK(damaged.size(name).ok() == (i < kept_segments));
    }
    if (!deep) return;
    // The log is usable afterwards: appends go after the kept records.
    REQUIRE(wal.value()->append(l.records[0], 0));
    wal.value().reset();
    CHECK(read_wal(damaged)->records.size() == e.records + 1);
}

// tolerate_tail keeps the prefix when the damage is in the last segment and refuses otherwise;
// absolute refuses any damage. A refusal names the kind, the segment and the byte, and changes
// nothing.
void check_strict_modes(const MemoryStorage& damaged, const Layout& l, const Expected& e) {
    const bool in_last = e.segment + 1 == l.clean.segments.size();
    for (RecoveryMode mode : {RecoveryMode::tolerate_tail, RecoveryMode::absolute}) {
        CAPTURE(to_string(mode));
        MemoryStorage copy = damaged;
        WalContents c;
        auto wal = Wal::open(copy, sweep_options(mode), &c);
        const bool accept = !e.damaged || (mode == RecoveryMode::tolerate_tail && in_last);
        REQUIRE(wal.ok() == accept);
        if (accept) {
            CHECK(c.records.size() == e.records);
            if (e.damaged) {  // reported as point_in_time reports it
                REQUIRE_FALSE(c.issues.empty());
                CHECK(c.issues.front().kind == (e.torn ? RecoveryIssue::Kind::torn_tail : RecoveryIssue::Kind::corruption));
                CHECK(c.issues.front().file == l.clean.segments[e.segment].name);
                CHECK(c.issues.front().offset == e.offset);
            }
            continue;
        }
        const std::string prefix = (e.torn ? "torn tail in " : "corruption in ") + where(l, e);
        CHECK_MESSAGE(wal.error().message.rfind(prefix, 0) == 0, wal.error().message);
        CHECK(copy.list().value() == damaged.list().value());  // nothing renamed or set aside
        for (const WalSegment& seg : l.clean.segments) {
            const auto before = damaged.read(seg.name), after = copy.read(seg.name);
            CHECK(before.ok() == after.ok());
            if (before.ok() && after.ok()) CHECK(before.value() == after.value());
        }
    }
}

void check_recovery(const MemoryStorage& damaged, const Layout& l, const Expected& e, bool deep) {
    CAPTURE(e.records);
    CAPTURE(e.segment);
    CAPTURE(e.offset);
    check_point_in_time(damaged, l, e, deep);
    check_strict_modes(damaged, l, e);
}

// A random byte of the log: its segment and its position in that segment.
struct Spot {
    std::size_t seg;
    std::uint64_t at;
};
Spot random_spot(const Layout& l, Prng& rng) {
    const std::uint64_t global = rng.below(l.total);
    const auto seg = static_cast<std::size_t>(
        std::upper_bound(l.seg_starts.begin(), l.seg_starts.end(), global) - l.seg_starts.begin() - 1);
    return Spot{seg, global - l.seg_starts[seg]};
}

}  // namespace

// Damages a copy of the log at 600 random spots, one at a time, and checks each outcome.
template <class Damage, class Expect>
void sweep_sampled(std::uint64_t seed, Damage damage, Expect expect) {
    MemoryStorage s;
    const Layout l = build(s);
    REQUIRE(l.clean.segments.size() > 3);
    Prng rng(seed);
    for (int i = 0; i < 600; ++i) {
        const Spot x = random_spot(l, rng);
        MemoryStorage damaged = s;
        damage(damaged, l.clean.segments[x.seg].name, x.at, rng);
        CAPTURE(x.seg);
        CAPTURE(x.at);
        check_recovery(damaged, l, expect(l, x.seg, x.at), i % 8 == 0);
    }
}

TEST_CASE("truncation at 600 sampled positions: the exact outcome in every recovery mode") {
    sweep_sampled(42, [](MemoryStorage& d, const std::string& seg, std::uint64_t at, Prng&) {
        REQUIRE(d.truncate(seg, at));
    }, expect_cut);
}

TEST_CASE("a flipped bit at 600 sampled positions: the exact outcome in every recovery mode") {
    sweep_sampled(7, [](MemoryStorage& d, const std::string& seg, std::uint64_t at, Prng& rng) {
        d.flip_byte(seg, at, static_cast<std::uint8_t>(1u << rng.below(8)));
    }, expect_flip);
}

TEST_CASE("cuts between records and inside record headers, at both ends of every segment") {
    MemoryStorage s;
    const Layout l = build(s);
    for (std::size_t seg = 0; seg < l.clean.segments.size(); ++seg) {
        std::vector<std::uint64_t> cuts = {0, 1, kSegmentHeaderSize - 1};
        const auto first = static_cast<std::size_t>(l.clean.segments[seg].first_record);
        std::size_t end = first;
        while (end < l.records.size() && l.clean.record_segments[end] == seg) ++end;
        for (std::size_t n = first; n < end; ++n) {
            if (n >= first + 3 && n + 3 < end) continue;  // the first and last three records
            const std::uint64_t start = l.clean.record_offsets[n];
            cuts.push_back(start);
            if (n == first || n + 1 == end) {
                for (std::uint64_t b = 1; b <= kRecordHeaderSize; ++b) cuts.push_back(start + b);
            }
        }
        for (std::uint64_t at : cuts) {
            MemoryStorage damaged = s;
            REQUIRE(damaged.truncate(l.clean.segments[seg].name, at));
            CAPTURE(seg);
            CAPTURE(at);
            check_recovery(damaged, l, expect_cut(l, seg, at), false);
        }
    }
}
