// Corruption sweep: damage a WAL of about 1,000 records at thousands of positions, by truncation
// and by flipping a byte, and check that recovery never fails unexpectedly, keeps every record
// before the damage and reports where it is.
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

// Records that lie wholly before byte `at` of segment `seg`.
std::size_t records_before(const Layout& l, std::size_t seg, std::uint64_t at) {
    std::size_t n = 0;
    while (n < l.records.size()) {
        const std::size_t rs = l.clean.record_segments[n];
        if (rs > seg) break;
        if (rs == seg) {
            const std::uint64_t end = n + 1 < l.records.size() && l.clean.record_segments[n + 1] == seg
                                          ? l.clean.record_offsets[n + 1]
                                          : l.clean.segments[seg].size;
            if (end > at) break;
        }
        ++n;
    }
    return n;
}

// `deep` also checks appending after recovery and the tolerate_tail verdict (slower).
void check_recovery(MemoryStorage damaged, const Layout& l, std::size_t seg, std::uint64_t at,
                    const char* what, bool deep) {
    CAPTURE(what);
    CAPTURE(seg);
    CAPTURE(at);
    const std::size_t expected = records_before(l, seg, at);
    const bool last = seg + 1 == l.clean.segments.size();
    MemoryStorage strict = deep ? damaged : MemoryStorage{};

    WalContents c;
    auto wal = Wal::open(damaged, sweep_options(RecoveryMode::point_in_time), &c);
    REQUIRE_MESSAGE(wal.ok(), wal.error().message);
    REQUIRE(c.records.size() == expected);
    CHECK(std::equal(c.records.begin(), c.records.end(), l.records.begin()));
    if (expected < l.records.size()) {
        // The report names the damaged segment, or (when the cut fell exactly between records)
        // the following one whose header no longer lines up.
        REQUIRE_FALSE(c.issues.empty());
        const RecoveryIssue& first = c.issues.front();
        const std::size_t reported = std::find_if(l.clean.segments.begin(), l.clean.segments.end(),
                                                  [&](const WalSegment& s) { return s.name == first.file; }) -
                                     l.clean.segments.begin();
        CHECK((reported == seg || reported == seg + 1));
        if (reported == seg) CHECK(first.offset <= at);
    }
    if (!deep) return;
    // The log is usable afterwards: appends go after the kept records.
    REQUIRE(wal.value()->append(l.records[0], 0));
    wal.value().reset();
    CHECK(read_wal(damaged)->records.size() == expected + 1);

    // tolerate_tail accepts damage in the last segment and refuses it elsewhere, saying where.
    auto tolerant = Wal::open(strict, sweep_options(RecoveryMode::tolerate_tail));
    if (last || expected == l.records.size()) {
        CHECK(tolerant.ok());
    } else if (!tolerant.ok()) {
        CHECK(tolerant.error().message.find(" at byte ") != std::string::npos);
    }
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

TEST_CASE("truncation at 1,000 sampled positions keeps every record before the cut") {
    MemoryStorage s;
    const Layout l = build(s);
    REQUIRE(l.clean.segments.size() > 3);
    Prng rng(42);
    for (int i = 0; i < 1000; ++i) {
        const Spot x = random_spot(l, rng);
        MemoryStorage damaged = s;
        REQUIRE(damaged.truncate(l.clean.segments[x.seg].name, x.at));
        check_recovery(damaged, l, x.seg, x.at, "truncate", i % 8 == 0);
    }
}

TEST_CASE("a flipped byte at 1,000 sampled positions keeps every record before it") {
    MemoryStorage s;
    const Layout l = build(s);
    Prng rng(7);
    for (int i = 0; i < 1000; ++i) {
        const Spot x = random_spot(l, rng);
        MemoryStorage damaged = s;
        damaged.flip_byte(l.clean.segments[x.seg].name, x.at, static_cast<std::uint8_t>(1u << rng.below(8)));
        check_recovery(damaged, l, x.seg, x.at, "flip", i % 8 == 0);
    }
}
