// On-disk layout of the WAL (docs/wal-format.md has the grammar and a worked hex example).
// All integers little-endian. Headers are written field by field, never by memcpy of a struct,
// so the structs below document the layout and pin its size.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace driftq {

inline constexpr std::array<char, 8> kSegmentMagic = {'D', 'R', 'I', 'F', 'T', 'Q', 'W', 'L'};
// Version 2 protects the record header with its own checksum (version 1 had none, so a damaged
// length could pass for a torn tail). Older versions are refused, never guessed at.
inline constexpr std::uint16_t kWalFormatVersion = 2;
inline constexpr const char* kManifestFirstLine = "driftq-wal v2";
inline constexpr std::uint32_t kMaxRecordPayload = 64u << 20;  // sanity bound on `length`
inline constexpr const char* kManifestName = "MANIFEST";

// Start of every segment file.
struct SegmentHeader {
    std::array<char, 8> magic;   // "DRIFTQWL"
    std::uint16_t version;       // kWalFormatVersion
    std::uint16_t flags;         // 0; reserved
    std::uint32_t segment_index; // 1, 2, ... matches the file name
    std::uint64_t first_record;  // number of the segment's first record (records count from 0)
    std::uint32_t reserved;      // 0
    std::uint32_t crc;           // CRC32C of the 28 bytes before it
};
static_assert(sizeof(SegmentHeader) == 32, "segment header is 32 bytes on disk");
inline constexpr std::size_t kSegmentHeaderSize = sizeof(SegmentHeader);

// Start of every record; `length` payload bytes follow. The header has its own checksum so that
// a damaged length is told apart from a record cut short by a crash.
struct RecordHeader {
    std::uint32_t length;       // payload bytes
    std::uint8_t type;          // RecordType, bit 0x80 = safe to ignore when unknown
    std::array<std::uint8_t, 3> reserved;  // 0
    std::uint32_t payload_crc;  // CRC32C of the payload
    std::uint32_t header_crc;   // CRC32C of the 12 bytes before it
};
static_assert(sizeof(RecordHeader) == 16, "record header is 16 bytes on disk");
inline constexpr std::size_t kRecordHeaderSize = sizeof(RecordHeader);

std::string segment_name(std::uint32_t index);  // "wal-00000001.seg"
// Parses a segment file name; 0 if `name` is not one.
std::uint32_t parse_segment_name(std::string_view name);

std::string encode_segment_header(std::uint32_t index, std::uint64_t first_record);
// The 16-byte header of a record holding `payload`.
std::string encode_record_header(std::uint8_t type, std::string_view payload);
// Appends a framed record (header + payload) to `out`.
void frame_record(std::uint8_t type, std::string_view payload, std::string& out);

}  // namespace driftq
