// mirror_synced and copy_out: what the playground persists of the simulated disk (the browser's
// IndexedDB copy) and how it reads it back.
#include <doctest/doctest.h>

#include "wal/storage_mirror.hpp"
#include "wal/wal.hpp"
#include "wal_fixture.hpp"

using namespace driftq;
using namespace driftq::testing;


TEST_CASE("mirror_synced copies only the bytes a crash would keep, and only files that changed") {
    MemoryStorage disk;
    REQUIRE(disk.append("seg0", "durable").ok());
    REQUIRE(disk.sync("seg0").ok());
    REQUIRE(disk.append("seg0", "+pending").ok());
    CHECK(disk.synced_size("seg0") == 7);
    CHECK(disk.synced_size("missing") == 0);

    MemoryStorage copy;
    REQUIRE(copy.append("other", "not mine").ok());
    auto changed = mirror_synced(disk, copy, "wal/");
    REQUIRE(changed.ok());
    CHECK(changed.value() == 1);
    CHECK(text_of(copy, "wal/seg0") == "durable");
    CHECK(text_of(copy, "other") == "not mine");  // outside the prefix: left alone

    // Nothing new synced: nothing rewritten.
    CHECK(mirror_synced(disk, copy, "wal/").value() == 0);
    REQUIRE(disk.sync("seg0").ok());
    CHECK(mirror_synced(disk, copy, "wal/").value() == 1);
    CHECK(text_of(copy, "wal/seg0") == "durable+pending");

    // A file the disk no longer has goes from the copy too.
    REQUIRE(disk.rename("seg0", "seg1").ok());
    CHECK(mirror_synced(disk, copy, "wal/").value() == 2);
    CHECK_FALSE(copy.read("wal/seg0").ok());
    CHECK(text_of(copy, "wal/seg1") == "durable+pending");
}

TEST_CASE("copy_out gives the files under a prefix as a synced storage of their own") {
    MemoryStorage store;
    REQUIRE(store.append("wal/a", "abc").ok());
    REQUIRE(store.append("session.json", "{}").ok());
    auto out = copy_out(store, "wal/");
    REQUIRE(out.ok());
    MemoryStorage copy = out.value();
    CHECK(copy.list().value() == std::vector<std::string>{"a"});
    copy.crash();  // synced: a crash keeps it
    CHECK(text_of(copy, "a") == "abc");
}


TEST_CASE("the WAL refuses a storage whose syncs complete later; a mirror may write to one") {
    MemoryStorage inner;
    SwitchedStorage later(inner);
    later.later = true;
    auto wal = Wal::open(later, WalOptions{});
    REQUIRE_FALSE(wal.ok());
    CHECK(wal.error().message == "the WAL needs a storage whose sync() is durable when it returns");
    MemoryStorage disk;
    REQUIRE(disk.append("seg", "bytes").ok());
    REQUIRE(disk.sync("seg").ok());
    CHECK(mirror_synced(disk, later, "wal/").value() == 1);
    CHECK(text_of(later, "wal/seg") == "bytes");
}
