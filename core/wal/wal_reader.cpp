// Reading the WAL back: segment discovery, header and record validation, damage detection.
#include <algorithm>

#include "base/byte_io.hpp"
#include "base/crc32c.hpp"
#include "wal/wal.hpp"
#include "wal/wal_format.hpp"

namespace driftq {

std::string_view to_string(Durability d) {
    switch (d) {
        case Durability::always: return "always";
        case Durability::batch: return "batch";
        case Durability::none: return "none";
    }
    return "?";
}

std::string_view to_string(RecoveryMode m) {
    switch (m) {
        case RecoveryMode::tolerate_tail: return "tolerate_tail";
        case RecoveryMode::point_in_time: return "point_in_time";
        case RecoveryMode::absolute: return "absolute";
    }
    return "?";
}

std::string to_string(const RecoveryIssue& issue) {
    static constexpr const char* kKinds[] = {"torn tail", "corruption", "skipped unknown record",
                                             "quarantined", "ignored file"};
    return std::string(kKinds[static_cast<int>(issue.kind)]) + " in " + issue.file + " at byte " +
           std::to_string(issue.offset) + ": " + issue.detail;
}

namespace {

std::string older_format_advice(unsigned version) {
    return "format version " + std::to_string(version) +
           " was written by an older DriftQ Playground, whose record headers had no checksum; this "
           "build reads version " + std::to_string(kWalFormatVersion) +
           " only. Keep the directory for that older build, or start a new WAL elsewhere";
}

Error manifest_version_error(const std::string& line) {
    if (line == "driftq-wal v1") return make_error(Errc::unsupported, "MANIFEST: " + older_format_advice(1));
    return make_error(Errc::unsupported, "MANIFEST line 1: expected '" + std::string(kManifestFirstLine) +
                                             "', found '" + line + "'");
}

// Segments to read, in order: those named by the manifest, plus the next one if it exists (a
// crash can leave a new segment created but not yet listed).
Result<std::vector<WalSegment>> discover(const Storage& storage, std::vector<RecoveryIssue>& issues) {
    auto names = storage.list();
    if (!names) return names.error();
    std::vector<std::uint32_t> on_disk;
    for (const std::string& n : names.value()) {
        if (std::uint32_t i = parse_segment_name(n)) on_disk.push_back(i);
    }
    std::vector<std::uint32_t> listed;
    const bool has_manifest =
        std::find(names->begin(), names->end(), kManifestName) != names->end();
    if (has_manifest) {
        auto text = storage.read(kManifestName);
        if (!text) return text.error();
        std::size_t pos = 0, line_no = 0;
        while (pos < text->size()) {
            std::size_t end = text->find('\n', pos);
            if (end == std::string::npos) end = text->size();
            const std::string line = text->substr(pos, end - pos);
            pos = end + 1;
            if (++line_no == 1) {
                if (line != kManifestFirstLine) return manifest_version_error(line);
                continue;
            }
            const std::uint32_t i = line.rfind("segment ", 0) == 0 ? parse_segment_name(line.substr(8)) : 0;
            if (i == 0) {
                return make_error(Errc::corrupt_data, "MANIFEST line " + std::to_string(line_no) +
                                                          ": expected 'segment wal-NNNNNNNN.seg'");
            }
            listed.push_back(i);
        }
    } else {
        listed = on_disk;  // no manifest yet: every segment file is part of the log
    }
    const std::uint32_t next = listed.empty() ? 1 : listed.back() + 1;
    if (std::find(on_disk.begin(), on_disk.end(), next) != on_disk.end() &&
        std::find(listed.begin(), listed.end(), next) == listed.end()) {
        listed.push_back(next);
    }
    for (std::uint32_t i : on_disk) {
        if (std::find(listed.begin(), listed.end(), i) == listed.end()) {
            issues.push_back({RecoveryIssue::Kind::ignored_file, segment_name(i), 0,
                              "segment not listed in MANIFEST; left untouched"});
        }
    }
    std::vector<WalSegment> out;
    for (std::uint32_t i : listed) {
        auto size = storage.size(segment_name(i));
        if (!size) {
            return make_error(Errc::corrupt_data,
                              "segment " + segment_name(i) + " is listed in MANIFEST but missing");
        }
        out.push_back(WalSegment{segment_name(i), i, 0, size.value()});
    }
    return out;
}

struct SegmentReader {
    const std::string& data;
    const WalSegment& seg;
    std::size_t seg_index;
    bool last;
    WalContents& out;
    const RecordVisitor& visit;

    // Returns an error only for what no mode tolerates; damage is recorded in out.damage.
    Status read(std::uint64_t expected_first) {
        if (data.size() < kSegmentHeaderSize) return damage(0, "segment header incomplete", true);
        ByteReader h(std::string_view(data).substr(8, kSegmentHeaderSize - 8));
        std::uint32_t version_flags, index, reserved, crc;
        std::uint64_t first;
        h.u32(version_flags);
        h.u32(index);
        h.u64(first);
        h.u32(reserved);
        h.u32(crc);
        if (!std::equal(kSegmentMagic.begin(), kSegmentMagic.end(), data.begin())) {
            return damage(0, "bad segment magic", false);
        }
        if (crc != crc32c(std::string_view(data).substr(0, kSegmentHeaderSize - 4))) {
            return damage(0, "segment header checksum mismatch", false);
        }
        const unsigned version = version_flags & 0xFFFF;
        if (version > kWalFormatVersion) {
            return make_error(Errc::unsupported,
                              seg.name + ": format version " + std::to_string(version) +
                                  " is newer than this program's " + std::to_string(kWalFormatVersion));
        }
        if (version < kWalFormatVersion) return make_error(Errc::unsupported, seg.name + ": " + older_format_advice(version));
        if (index == seg.index && first > expected_first && seg_index > 0) {
            // The previous segment read cleanly but ends early: it was cut on a record boundary.
            // The damage is there, not in this intact segment.
            const WalSegment& prev = out.segments[seg_index - 1];
            out.damage = WalDamage{false, seg_index - 1, prev.size,
                                   "segment ends after record " + std::to_string(expected_first) +
                                       " but " + seg.name + " begins at record " + std::to_string(first) +
                                       ": " + std::to_string(first - expected_first) +
                                       " record(s) missing"};
            return {};
        }
        if (index != seg.index || first != expected_first) {
            return damage(0, "segment header says index " + std::to_string(index) + ", first record " +
                                 std::to_string(first) + "; expected " + std::to_string(seg.index) +
                                 ", " + std::to_string(expected_first), false);
        }
        std::uint64_t pos = kSegmentHeaderSize;
        while (pos < data.size()) {
            Status s = read_record(pos);
            if (!s || out.damage) return s;
        }
        return {};
    }

    Status read_record(std::uint64_t& pos) {
        const std::uint64_t left = data.size() - pos;
        const std::string_view bytes = std::string_view(data).substr(static_cast<std::size_t>(pos));
        if (left < kRecordHeaderSize) return damage(pos, "record header incomplete", true);
        const std::string_view header = bytes.substr(0, kRecordHeaderSize);
        if (std::all_of(header.begin(), header.end(), [](char c) { return c == 0; })) {
            return damage(pos, "zero-filled bytes where a record should start", true);
        }
        ByteReader h(header);
        std::uint32_t length, type_word, payload_crc, header_crc;
        h.u32(length);
        h.u32(type_word);
        h.u32(payload_crc);
        h.u32(header_crc);
        // Past this check the length is what the writer wrote, so a short payload is a torn write.
        if (header_crc != crc32c(header.substr(0, kRecordHeaderSize - 4))) {
            return damage(pos, "record header checksum mismatch", false);
        }
        const auto type = static_cast<std::uint8_t>(type_word & 0xFF);
        if ((type_word >> 8) != 0) return damage(pos, "reserved header bytes are not zero", false);
        if (length > kMaxRecordPayload) {
            return damage(pos, "record length " + std::to_string(length) + " is implausible", false);
        }
        if (left - kRecordHeaderSize < length) {
            return damage(pos, "record payload incomplete (" + std::to_string(length) +
                                   " bytes declared, " + std::to_string(left - kRecordHeaderSize) +
                                   " present)", true);
        }
        const std::string_view payload = bytes.substr(kRecordHeaderSize, length);
        if (payload_crc != crc32c(payload)) return damage(pos, "record payload checksum mismatch", false);
        const std::uint64_t at = pos;
        pos += kRecordHeaderSize + length;
        if (!is_known_type(type)) {
            if (type & kSafeToIgnoreBit) {
                out.issues.push_back({RecoveryIssue::Kind::skipped_unknown_record, seg.name, at,
                                      "record type " + std::to_string(type) + " skipped"});
                return {};
            }
            return make_error(Errc::unsupported,
                              seg.name + " byte " + std::to_string(at) + ": unknown record type " +
                                  std::to_string(type) + " (written by a newer version?)");
        }
        auto rec = decode_payload(static_cast<RecordType>(type), payload);
        if (!rec) return damage(at, rec.error().message, false);
        ++out.record_count;
        return visit(std::move(rec).value(), seg_index, at);
    }

    // A short read at the end of the last segment is a torn write; anywhere else it is damage.
    Status damage(std::uint64_t at, std::string detail, bool looks_torn) {
        out.damage = WalDamage{looks_torn && last, seg_index, at, std::move(detail)};
        return {};
    }
};

}  // namespace

Result<WalContents> read_wal(const Storage& storage, const RecordVisitor& visitor) {
    WalContents out;
    auto segments = discover(storage, out.issues);
    if (!segments) return segments.error();
    out.segments = std::move(segments.value());
    const RecordVisitor keep = [&out](WalRecord&& r, std::size_t seg, std::uint64_t at) {
        out.records.push_back(std::move(r));
        out.record_segments.push_back(seg);
        out.record_offsets.push_back(at);
        return Status{};
    };
    for (std::size_t i = 0; i < out.segments.size() && !out.damage; ++i) {
        WalSegment& seg = out.segments[i];
        seg.first_record = out.record_count;
        auto data = storage.read(seg.name);
        if (!data) return data.error();
        SegmentReader reader{data.value(), seg, i, i + 1 == out.segments.size(), out,
                             visitor ? visitor : keep};
        if (Status s = reader.read(seg.first_record); !s) return s.error();
    }
    return out;
}

Status check_recovery_policy(const WalContents& c, RecoveryMode mode) {
    if (!c.damage) return {};
    const WalDamage& d = *c.damage;
    const bool in_last = d.segment + 1 == c.segments.size();
    const std::string where = c.segments[d.segment].name + " at byte " + std::to_string(d.offset);
    if (mode == RecoveryMode::absolute) {
        return make_error(Errc::corrupt_data, (d.torn ? "torn tail in " : "corruption in ") + where +
                                                  ": " + d.detail + " (recovery mode absolute)");
    }
    if (mode == RecoveryMode::tolerate_tail && !in_last) {
        return make_error(Errc::corrupt_data,
                          "corruption in " + where + ": " + d.detail + "; " +
                              std::to_string(c.segments.size() - d.segment - 1) +
                              " later segment(s) hold data. Recovery mode point_in_time keeps the "
                              "records before it and quarantines the rest");
    }
    return {};
}

}  // namespace driftq
