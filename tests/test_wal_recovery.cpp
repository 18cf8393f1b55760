#include <doctest/doctest.h>

#include "base/byte_io.hpp"
#include "base/crc32c.hpp"
#include "wal/wal_format.hpp"
#include "wal_fixture.hpp"

using namespace driftq;
using namespace driftq::testing;

namespace {
WalOptions small_segments(RecoveryMode mode = RecoveryMode::tolerate_tail) {
    WalOptions o;
    o.segment_bytes = 2048;
    o.recovery = mode;
    return o;
}

Result<WalContents> reopen(Storage& s, WalOptions o) {
    WalContents c;
    auto wal = Wal::open(s, o, &c);
    if (!wal) return wal.error();
    return c;
}

bool has_issue(const WalContents& c, RecoveryIssue::Kind kind, const std::string& file,
               std::uint64_t offset) {
    for (const RecoveryIssue& i : c.issues) {
        if (i.kind == kind && i.file == file && i.offset == offset) return true;
    }
    return false;
}
}  // namespace

TEST_CASE("records written are read back in order across several segments") {
    MemoryStorage s;
    const auto records = sample_records(200);
    write_records(s, records, small_segments());
    auto c = read_wal(s);
    REQUIRE(c);
    CHECK(c->segments.size() > 3);
    CHECK_FALSE(c->damage);
    CHECK(c->records == records);
    CHECK(s.read(kManifestName).value().rfind("driftq-wal v2\nsegment wal-00000001.seg\n", 0) == 0);
}

TEST_CASE("reopening continues numbering and appends after the last record") {
    MemoryStorage s;
    auto records = sample_records(30);
    write_records(s, std::vector<WalRecord>(records.begin(), records.begin() + 10), small_segments());
    {
        auto wal = Wal::open(s, small_segments(), nullptr);
        REQUIRE(wal);
        CHECK(wal.value()->appended() == 10);
        for (std::size_t i = 10; i < 30; ++i) {
            CHECK(wal.value()->append(records[i], 0).value() == i);
        }
    }
    CHECK(read_wal(s)->records == records);
}

TEST_CASE("a torn tail is the end of the log: truncated, set aside, reported") {
    MemoryStorage s;
    const auto records = sample_records(20);
    write_records(s, records, WalOptions{});
    const std::string seg = segment_name(1);
    const std::uint64_t size = s.size(seg).value();
    REQUIRE(s.truncate(seg, size - 5));
    auto before = read_wal(s);
    REQUIRE(before->damage);
    CHECK(before->damage->torn);
    const std::uint64_t last_start = before->damage->offset;

    auto c = reopen(s, WalOptions{});
    REQUIRE(c);
    CHECK(c->records.size() == 19);
    CHECK(has_issue(c.value(), RecoveryIssue::Kind::torn_tail, seg, last_start));
    CHECK(s.size(seg).value() == last_start);
    CHECK(s.size(seg + ".tail-" + std::to_string(last_start)).value() == size - 5 - last_start);
    // Appends after recovery land after the good records.
    {
        auto wal = Wal::open(s, WalOptions{});
        REQUIRE(wal);
        REQUIRE(wal.value()->append(records[19], 0));
    }
    CHECK(read_wal(s)->records == records);
}

TEST_CASE("absolute consistency refuses even a torn tail") {
    MemoryStorage s;
    write_records(s, sample_records(5), WalOptions{});
    REQUIRE(s.truncate(segment_name(1), s.size(segment_name(1)).value() - 1));
    auto c = reopen(s, WalOptions{.recovery = RecoveryMode::absolute});
    REQUIRE_FALSE(c);
    CHECK(c.error().message.find("torn tail in wal-00000001.seg at byte") == 0);
}

TEST_CASE("a checksum mismatch in the last segment ends the log at that record") {
    MemoryStorage s;
    write_records(s, sample_records(10), WalOptions{});
    auto clean = read_wal(s);
    const std::uint64_t fifth = clean->record_offsets[5];
    s.flip_byte(segment_name(1), fifth + kRecordHeaderSize + 2);
    auto c = reopen(s, WalOptions{});
    REQUIRE(c);
    CHECK(c->records.size() == 5);
    CHECK(has_issue(c.value(), RecoveryIssue::Kind::corruption, segment_name(1), fifth));
}

TEST_CASE("corruption before the last segment: tolerate_tail refuses, point_in_time keeps the prefix") {
    MemoryStorage s;
    write_records(s, sample_records(200), small_segments());
    auto clean = read_wal(s);
    REQUIRE(clean->segments.size() > 3);
    const std::size_t victim = 40;
    const std::size_t seg_index = clean->record_segments[victim];
    const std::string seg = clean->segments[seg_index].name;
    s.flip_byte(seg, clean->record_offsets[victim] + kRecordHeaderSize);

    MemoryStorage copy = s;
    auto refused = reopen(copy, small_segments());
    REQUIRE_FALSE(refused);
    CHECK(refused.error().message.find("corruption in " + seg + " at byte " +
                                       std::to_string(clean->record_offsets[victim])) == 0);

    auto kept = reopen(s, small_segments(RecoveryMode::point_in_time));
    REQUIRE(kept);
    CHECK(kept->records.size() == victim);
    // Later segments were renamed aside, not deleted.
    const std::string later = clean->segments[seg_index + 1].name;
    CHECK_FALSE(s.size(later));
    CHECK(s.size(later + ".quarantined"));
}

TEST_CASE("an unknown record type is skipped when marked safe, and stops replay otherwise") {
    for (std::uint8_t type : {std::uint8_t{0x85}, std::uint8_t{0x07}}) {
        MemoryStorage s;
        write_records(s, sample_records(3), WalOptions{});
        std::string frame;
        frame_record(type, "future stuff", frame);
        for (const WalRecord& r : sample_records(2)) {  // two known records after it
            std::string payload;
            encode_payload(r, payload);
            frame_record(static_cast<std::uint8_t>(record_type(r)), payload, frame);
        }
        REQUIRE(s.append(segment_name(1), frame));
        auto c = read_wal(s);
        if (type & kSafeToIgnoreBit) {
            REQUIRE(c);
            CHECK(c->records.size() == 5);
            CHECK(c->issues.at(0).kind == RecoveryIssue::Kind::skipped_unknown_record);
        } else {
            REQUIRE_FALSE(c);
            CHECK(c.error().code == Errc::unsupported);
            CHECK(c.error().message.find("unknown record type 7") != std::string::npos);
        }
    }
}

namespace {
// The log in `s` with segment 1's header saying `version` (its checksum fixed).
void set_segment_version(MemoryStorage& s, std::uint16_t version) {
    const std::string seg = s.read(segment_name(1)).value();
    std::string header = encode_segment_header(1, 0);
    header[8] = static_cast<char>(version);
    header.resize(kSegmentHeaderSize - 4);
    std::string fixed = header;
    ByteWriter(fixed).u32(crc32c(header));
    REQUIRE(s.remove(segment_name(1)));
    REQUIRE(s.append(segment_name(1), fixed + seg.substr(kSegmentHeaderSize)));
}
}  // namespace

TEST_CASE("a segment from a newer format version is refused") {
    MemoryStorage s;
    write_records(s, sample_records(2), WalOptions{});
    set_segment_version(s, 3);
    auto c = read_wal(s);
    REQUIRE_FALSE(c);
    CHECK(c.error().message == "wal-00000001.seg: format version 3 is newer than this program's 2");
}

TEST_CASE("a log from format version 1 is refused in every mode, saying why and what to do") {
    MemoryStorage s;
    write_records(s, sample_records(2), WalOptions{});
    set_segment_version(s, 1);
    for (RecoveryMode mode : {RecoveryMode::tolerate_tail, RecoveryMode::point_in_time, RecoveryMode::absolute}) {
        MemoryStorage copy = s;
        auto c = reopen(copy, WalOptions{.recovery = mode});
        REQUIRE_FALSE(c);
        CHECK(c.error().code == Errc::unsupported);
        CHECK(c.error().message.rfind("wal-00000001.seg: format version 1 was written by an older "
                                      "DriftQ Playground", 0) == 0);
        CHECK(copy.read(segment_name(1)).value() == s.read(segment_name(1)).value());  // nothing repaired or moved
    }
    // A version 1 MANIFEST says the same before any segment is read.
    MemoryStorage old_manifest;
    write_records(old_manifest, sample_records(2), WalOptions{});
    REQUIRE(write_file_atomic(old_manifest, kManifestName, "driftq-wal v1\nsegment wal-00000001.seg\n"));
    auto m = read_wal(old_manifest);
    REQUIRE_FALSE(m);
    CHECK(m.error().message.rfind("MANIFEST: format version 1 was written by an older", 0) == 0);
}

TEST_CASE("a damaged length in the last record is corruption, not a torn tail") {
    MemoryStorage s;
    write_records(s, sample_records(5), WalOptions{});
    const WalContents clean = read_wal(s).value();
    const std::uint64_t last = clean.record_offsets.back();
    s.flip_byte(segment_name(1), last + 1, 0x10);  // length grows by 4096: past the end of the file
    MemoryStorage strict = s;
    auto refused = reopen(strict, WalOptions{.recovery = RecoveryMode::absolute});
    REQUIRE_FALSE(refused);
    CHECK(refused.error().message.rfind("corruption in wal-00000001.seg at byte " + std::to_string(last) +
                                            ": record header checksum mismatch", 0) == 0);
    auto c = reopen(s, WalOptions{});
    REQUIRE(c);
    CHECK(c->records.size() == 4);
    CHECK(has_issue(c.value(), RecoveryIssue::Kind::corruption, segment_name(1), last));
    CHECK_FALSE(has_issue(c.value(), RecoveryIssue::Kind::torn_tail, segment_name(1), last));
}

TEST_CASE("a segment cut exactly between records is reported against itself, not the next one") {
    MemoryStorage s;
    write_records(s, sample_records(200), small_segments());
    const WalContents clean = read_wal(s).value();
    REQUIRE(clean.segments.size() > 3);
    const std::size_t victim = clean.segments[1].first_record + 2;  // third record of segment 2
    REQUIRE(clean.record_segments[victim] == 1);
    const std::uint64_t cut = clean.record_offsets[victim];
    REQUIRE(s.truncate(segment_name(2), cut));

    MemoryStorage tolerant = s;
    auto refused = reopen(tolerant, small_segments());
    REQUIRE_FALSE(refused);
    CHECK(refused.error().message.rfind("corruption in wal-00000002.seg at byte " + std::to_string(cut) +
                                            ": segment ends after record " + std::to_string(victim) +
                                            " but wal-00000003.seg begins at record", 0) == 0);
    auto kept = reopen(s, small_segments(RecoveryMode::point_in_time));
    REQUIRE(kept);
    CHECK(kept->records.size() == victim);
    CHECK(has_issue(kept.value(), RecoveryIssue::Kind::corruption, segment_name(2), cut));
    CHECK(s.size(segment_name(2)).value() == cut);  // kept whole: it holds good records only
    CHECK(s.size(segment_name(3) + ".quarantined"));  // the intact later segments are set aside
}

TEST_CASE("durability always: every append is synced and survives a crash") {
    MemoryStorage s;
    auto wal = Wal::open(s, WalOptions{}).value();
    const auto records = sample_records(10);
    for (const auto& r : records) REQUIRE(wal->append(r, 0));
    CHECK(wal->durable() == 10);
    s.crash();
    CHECK(read_wal(s)->records == records);
}

TEST_CASE("durability batch: records become durable per batch; a crash loses only the open batch") {
    MemoryStorage s;
    WalOptions o;
    o.durability = Durability::batch;
    o.batch_max_records = 4;
    o.batch_max_delay_ms = 100;
    auto wal = Wal::open(s, o).value();
    const auto records = sample_records(10);
    for (int i = 0; i < 6; ++i) REQUIRE(wal->append(records[i], 0));
    CHECK(wal->durable() == 4);
    REQUIRE(wal->poll(99));
    CHECK(wal->durable() == 4);
    REQUIRE(wal->poll(100));  // the oldest unsynced record is now 100 ms old
    CHECK(wal->durable() == 6);
    REQUIRE(wal->append(records[6], 200));
    s.crash();
    CHECK(read_wal(s)->records == std::vector<WalRecord>(records.begin(), records.begin() + 6));
}

TEST_CASE("durability none: nothing is synced until asked") {
    MemoryStorage s;
    WalOptions o;
    o.durability = Durability::none;
    auto wal = Wal::open(s, o).value();
    const auto records = sample_records(10);
    for (const auto& r : records) REQUIRE(wal->append(r, 0));
    CHECK(wal->durable() == 0);
    MemoryStorage cut = s;
    cut.crash();
    CHECK(read_wal(cut)->records.empty());
    REQUIRE(wal->sync());  // asked: now all of them
    CHECK(wal->durable() == 10);
    s.crash();
    CHECK(read_wal(s)->records == records);
}

TEST_CASE("a storage error fails the append and every later one") {
    MemoryStorage s;
    auto wal = Wal::open(s, WalOptions{}).value();
    const auto records = sample_records(3);
    REQUIRE(wal->append(records[0], 0));
    s.fail_appends_after(0);
    auto failed = wal->append(records[1], 0);
    REQUIRE_FALSE(failed);
    CHECK(failed.error().code == Errc::io_error);
    s.fail_appends_after(-1);
    for (int i = 0; i < 3; ++i) CHECK_FALSE(wal->append(records[2], 0));
    CHECK(wal->durable() == 1);  // only the record before the error
}
