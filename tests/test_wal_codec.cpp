#include <doctest/doctest.h>

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

TEST_CASE("a framed record is header + payload with the CRC over type and payload") {
    std::string out;
    frame_record(3, "abc", out);
    REQUIRE(out.size() == kRecordHeaderSize + 3);
    const char t = 3;
    const std::uint32_t crc = crc32c_extend(crc32c(std::string_view(&t, 1)), "abc");
    CHECK(static_cast<std::uint8_t>(out[0]) == (crc & 0xFF));
    CHECK(static_cast<std::uint8_t>(out[4]) == 3);  // length
    CHECK(static_cast<std::uint8_t>(out[8]) == 3);  // type
    CHECK(out.substr(9, 3) == std::string(3, '\0'));
    CHECK(out.substr(12) == "abc");
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
