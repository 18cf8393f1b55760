#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "broker/offset_map.hpp"

using driftq::OffsetMap;

namespace {
std::vector<std::int64_t> keys(const OffsetMap<std::string>& m) {
    std::vector<std::int64_t> out;
    for (const auto& [k, v] : m) out.push_back(k);
    return out;
}
}  // namespace

TEST_CASE("offset map iterates live entries in ascending order and finds them") {
    OffsetMap<std::string> m;
    for (std::int64_t k : {2, 5, 9, 14}) m.emplace_back(k, "v" + std::to_string(k));
    CHECK(m.size() == 4);
    CHECK(keys(m) == std::vector<std::int64_t>{2, 5, 9, 14});
    REQUIRE(m.find(9) != nullptr);
    CHECK(*m.find(9) == "v9");
    CHECK(m.find(6) == nullptr);
    CHECK(m.max_key() == 14);
}

TEST_CASE("offset map erase from the middle, the front and the back") {
    OffsetMap<std::string> m;
    for (std::int64_t k = 0; k < 6; ++k) m.emplace_back(k, "x");
    CHECK(m.erase(3));
    CHECK_FALSE(m.erase(3));
    CHECK(m.count(3) == 0);
    CHECK(m.erase(0));
    CHECK(m.erase(5));
    CHECK(keys(m) == std::vector<std::int64_t>{1, 2, 4});
    CHECK(m.max_key() == 4);
    m.emplace_back(7, "y");
    CHECK(keys(m) == std::vector<std::int64_t>{1, 2, 4, 7});
}

TEST_CASE("offset map stays correct through compaction of many middle tombstones") {
    OffsetMap<std::string> m;
    for (std::int64_t k = 0; k < 1000; ++k) m.emplace_back(k, std::to_string(k));
    // Keep the first and every 10th entry so the front never frees its tombstones.
    for (std::int64_t k = 1; k < 1000; ++k) {
        if (k % 10 != 0) REQUIRE(m.erase(k));
    }
    CHECK(m.size() == 100);
    std::int64_t expect = 0;
    for (const auto& [k, v] : m) {
        CHECK(k == expect);
        CHECK(v == std::to_string(k));
        expect += 10;
    }
    CHECK(m.erase(0));
    CHECK(m.size() == 99);
    CHECK(*m.find(990) == "990");
}

TEST_CASE("an emptied offset map accepts new keys above the old ones") {
    OffsetMap<std::string> m;
    m.emplace_back(4, "a");
    CHECK(m.erase(4));
    CHECK(m.empty());
    m.emplace_back(8, "b");
    CHECK(keys(m) == std::vector<std::int64_t>{8});
}
