// MemoryStorage at a power cut: what a disk keeps of unsynced bytes and of directory changes.
#include <doctest/doctest.h>

#include <set>

#include "wal/memory_storage.hpp"
#include "wal_fixture.hpp"

using namespace driftq;
using namespace driftq::testing;


TEST_CASE("a new file whose name was never made durable by sync_dir is gone after a crash") {
    MemoryStorage disk;
    REQUIRE(disk.append("a", "bytes").ok());
    REQUIRE(disk.sync("a").ok());  // its bytes are durable, its name is not
    MemoryStorage cut = disk;
    cut.crash();
    CHECK_FALSE(cut.read("a").ok());
    REQUIRE(disk.sync_dir().ok());
    REQUIRE(disk.append("a", "+more").ok());
    disk.crash();
    CHECK(text_of(disk, "a") == "bytes");  // the name survives with its synced bytes only
}

TEST_CASE("a rename or a remove not made durable is undone by a crash") {
    MemoryStorage disk;
    REQUIRE(disk.append("x", "old").ok());
    REQUIRE(disk.sync("x").ok());
    REQUIRE(disk.sync_dir().ok());
    REQUIRE(disk.append("x.tmp", "new").ok());
    REQUIRE(disk.sync("x.tmp").ok());
    REQUIRE(disk.rename("x.tmp", "x").ok());
    CHECK(text_of(disk, "x") == "new");
    MemoryStorage cut = disk;
    cut.crash();
    CHECK(text_of(cut, "x") == "old");
    CHECK_FALSE(cut.read("x.tmp").ok());
    REQUIRE(disk.sync_dir().ok());
    REQUIRE(disk.remove("x").ok());
    disk.crash();
    CHECK(text_of(disk, "x") == "new");  // the rename was made durable, the remove was not
}

TEST_CASE("keep_prefix keeps some prefix of the unsynced bytes, and differs by seed") {
    std::string original;
    for (int i = 0; i < 2100; ++i) original += static_cast<char>('a' + i % 26);
    std::set<std::size_t> sizes;
    for (std::uint64_t seed = 1; seed <= 20; ++seed) {
        MemoryStorage disk;
        REQUIRE(disk.append("f", original.substr(0, 100)).ok());
        REQUIRE(disk.sync("f").ok());
        REQUIRE(disk.sync_dir().ok());
        REQUIRE(disk.append("f", original.substr(100)).ok());
        disk.crash(PowerLoss::keep_prefix, seed);
        const std::string kept = text_of(disk, "f");
        CHECK(kept.size() >= 100);
        CHECK(kept == original.substr(0, kept.size()));
        sizes.insert(kept.size());
    }
    CHECK(sizes.size() > 10);
}

TEST_CASE("keep_sectors keeps any subset of 512-byte sectors; a lost sector below a kept one reads as zeros") {
    const std::string original(512 * 6, 'x');
    bool saw_hole = false;
    for (std::uint64_t seed = 1; seed <= 20; ++seed) {
        MemoryStorage disk;
        REQUIRE(disk.append("f", original.substr(0, 300)).ok());
        REQUIRE(disk.sync("f").ok());
        REQUIRE(disk.sync_dir().ok());
        REQUIRE(disk.append("f", original.substr(300)).ok());
        disk.crash(PowerLoss::keep_sectors, seed);
        const std::string kept = text_of(disk, "f");
        REQUIRE(kept.size() >= 300);
        CHECK(kept.substr(0, 300) == std::string(300, 'x'));  // synced bytes are never touched
        CHECK((kept.size() == 300 || kept.size() % 512 == 0));
        for (std::size_t s = 512; s < kept.size(); s += 512) {
            const std::string sector = kept.substr(s, 512);
            const bool whole = sector == std::string(512, 'x'), zero = sector == std::string(512, '\0');
            CHECK((whole || zero));
            saw_hole = saw_hole || zero;
        }
    }
    CHECK(saw_hole);
}

TEST_CASE("a copy of the storage is independent: crashing one leaves the other as it was") {
    MemoryStorage disk;
    REQUIRE(disk.append("a", "synced").ok());
    REQUIRE(disk.sync("a").ok());
    REQUIRE(disk.sync_dir().ok());
    REQUIRE(disk.append("a", "+unsynced").ok());
    MemoryStorage copy = disk;
    copy.crash();
    CHECK(text_of(copy, "a") == "synced");
    CHECK(text_of(disk, "a") == "synced+unsynced");
}
