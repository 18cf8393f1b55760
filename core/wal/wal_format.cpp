#include "wal/wal_format.hpp"

#include "base/byte_io.hpp"
#include "base/crc32c.hpp"

namespace driftq {

std::string segment_name(std::uint32_t index) {
    std::string digits = std::to_string(index);
    if (digits.size() < 8) digits.insert(0, 8 - digits.size(), '0');
    return "wal-" + digits + ".seg";
}

std::uint32_t parse_segment_name(std::string_view name) {
    if (name.size() != 16 || name.substr(0, 4) != "wal-" || name.substr(12) != ".seg") return 0;
    std::uint32_t v = 0;
    for (char c : name.substr(4, 8)) {
        if (c < '0' || c > '9') return 0;
        v = v * 10 + static_cast<std::uint32_t>(c - '0');
    }
    return v;
}

std::string encode_segment_header(std::uint32_t index, std::uint64_t first_record) {
    std::string out(kSegmentMagic.begin(), kSegmentMagic.end());
    ByteWriter w(out);
    w.u32(kWalFormatVersion);  // version (u16) and flags (u16, zero) as one little-endian u32
    w.u32(index);
    w.u64(first_record);
    w.u32(0);
    w.u32(crc32c(out));
    return out;
}

std::string encode_record_header(std::uint8_t type, std::string_view payload) {
    std::string out;
    ByteWriter w(out);
    w.u32(static_cast<std::uint32_t>(payload.size()));
    w.u32(type);  // type byte and three zero reserved bytes
    w.u32(crc32c(payload));
    w.u32(crc32c(out));
    return out;
}

void frame_record(std::uint8_t type, std::string_view payload, std::string& out) {
    out += encode_record_header(type, payload);
    out.append(payload);
}

}  // namespace driftq
