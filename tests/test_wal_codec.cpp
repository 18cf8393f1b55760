#include <doctest/doctest.h>

#include <cstdio>
#include <fstream>

#include "base/crc32c.hpp"
#include "wal/wal_format.hpp"
#include "wal_fixture.hpp"

using namespace driftq;
using namespace driftq::testing;

TEST_CASE("crc32c matches the standard check value") {
    CHECK(crc32c("123456789") == 0xE3069283u);
    CHECK(crc32c("") == 0u);
    CHECK(crc32c_extend(crc32c("1234"), "56789") == 0xE3069283u);
}

TEST_CASE("every record type survives encode and decode unchanged") {
    for (const WalRecord& r : sample_records(12)) {
        std::string payload;
        encode_payload(r, payload);
        auto back = decode_payload(record_type(r), payload);
        REQUIRE_MESSAGE(back.ok(), describe(r));
        CHECK_MESSAGE(back.value() == r, describe(r));
    }
}

TEST_CASE("a truncated or padded payload is an error, never a crash") {
    for (const WalRecord& r : sample_records(6)) {
        std::string payload;
        encode_payload(r, payload);
        for (std::size_t n = 0; n < payload.size(); ++n) {
            auto cut = decode_payload(record_type(r), std::string_view(payload).substr(0, n));
            REQUIRE_FALSE(cut.ok());
            CHECK(cut.error().code == Errc::corrupt_data);
        }
        CHECK_FALSE(decode_payload(record_type(r), payload + "x").ok());
    }
}

TEST_CASE("segment names round-trip and reject look-alikes") {
    CHECK(segment_name(7) == "wal-00000007.seg");
    CHECK(parse_segment_name("wal-00000007.seg") == 7);
    CHECK(parse_segment_name("wal-0000007.seg") == 0);
    CHECK(parse_segment_name("wal-00000007.seg.quarantined") == 0);
    CHECK(parse_segment_name("wal-0000000x.seg") == 0);
}

TEST_CASE("a framed record is a checksummed header, then the payload with its own checksum") {
    std::string out;
    frame_record(3, "abc", out);
    REQUIRE(out.size() == kRecordHeaderSize + 3);
    const auto u32_at = [&out](std::size_t at) {
        std::uint32_t v = 0;
        for (int i = 3; i >= 0; --i) v = v << 8 | static_cast<std::uint8_t>(out[at + static_cast<std::size_t>(i)]);
        return v;
    };
    CHECK(u32_at(0) == 3);  // length
    CHECK(static_cast<std::uint8_t>(out[4]) == 3);  // type
    CHECK(out.substr(5, 3) == std::string(3, '\0'));
    CHECK(u32_at(8) == crc32c("abc"));
    CHECK(u32_at(12) == crc32c(std::string_view(out).substr(0, 12)));
    CHECK(out.substr(16) == "abc");
}

TEST_CASE("the hardware and table CRC32C agree on every length and alignment") {
    std::string data;
    for (int i = 0; i < 300; ++i) data.push_back(static_cast<char>(i * 131 + 7));
    for (std::size_t start = 0; start < 9; ++start) {
        for (std::size_t len = 0; start + len <= data.size(); len += 7) {
            const std::string_view v = std::string_view(data).substr(start, len);
            REQUIRE(crc32c_extend(0x12345678u, v) == crc32c_software(0x12345678u, v));
        }
    }
}

namespace {

// `bytes` as `xxd` prints them, for the failure message (and for updating the document).
std::string xxd(std::string_view bytes) {
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out;
    for (std::size_t line = 0; line < bytes.size(); line += 16) {
        char at[24];
        std::snprintf(at, sizeof at, "%08zx: ", line);
        std::string hex = at, text;
        for (std::size_t i = line; i < line + 16; ++i) {
            if (i < bytes.size()) {
                const auto b = static_cast<unsigned char>(bytes[i]);
                hex += kHex[b >> 4];
                hex += kHex[b & 15];
                text += b >= 0x20 && b < 0x7f ? static_cast<char>(b) : '.';
            } else {
                hex += "  ";
            }
            if (i % 2 == 1) hex += ' ';
        }
        out += hex + ' ' + text + '\n';
    }
    return out;
}

// The bytes of the `xxd` block under "## Worked example" in docs/wal-format.md.
std::string documented_example() {
    std::ifstream in(DRIFTQ_DOCS "/wal-format.md");
    std::string line, bytes;
    bool in_section = false;
    while (std::getline(in, line)) {
        if (line.rfind("## ", 0) == 0) in_section = line == "## Worked example";
        if (!in_section || line.size() < 10 || line[8] != ':') continue;
        const std::string hex = line.substr(10, 40);  // 8 groups of 4 digits, spaces between
        for (std::size_t i = 0; i + 1 < hex.size(); ++i) {
            if (hex[i] == ' ') continue;
            bytes += static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16));
            ++i;
        }
    }
    return bytes;
}

}  // namespace

TEST_CASE("the worked example in docs/wal-format.md is what the writer writes") {
    MemoryStorage s;
    auto body = std::make_shared<MessageBody>();
    body->key = "k1";
    body->value = "v1";
    write_records(s, {TopicRecord{"t", 2}, MessageRecord{"t", 1, 0, body}, OffsetRecord{"t", "g", 1, 0}},
                  WalOptions{});
    const std::string written = s.read(segment_name(1)).value();
    const std::string documented = documented_example();
    REQUIRE_FALSE(documented.empty());
    CHECK_MESSAGE(documented == written, "the writer writes:\n" << xxd(written));
    CHECK(s.read(kManifestName).value() == "driftq-wal v2\nsegment wal-00000001.seg\n");
}
