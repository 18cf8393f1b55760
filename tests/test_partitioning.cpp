#include <doctest/doctest.h>

#include "broker_fixture.hpp"
#include "broker/partitioning.hpp"

using namespace driftq;
using namespace driftq::testing;

TEST_CASE("fnv1a32 matches Go's hash/fnv New32a on the reference's values") {
    CHECK(fnv1a32("k1") == 2554167489u);
    CHECK(fnv1a32("k2") == 2503834632u);
    CHECK(fnv1a32("user:1") == 1830439627u);
    CHECK(fnv1a32("user:2") == 1847217246u);
    CHECK(fnv1a32("a") == 3826002220u);
    CHECK(fnv1a32("hello") == 1335831723u);
    CHECK(fnv1a32("k0") == 2537389870u);
}

TEST_CASE("pick_partition is fnv1a32 modulo the partition count") {
    CHECK(pick_partition("k1", 2) == 1);
    CHECK(pick_partition("k1", 3) == 0);
    CHECK(pick_partition("k1", 4) == 1);
    CHECK(pick_partition("user:1", 4) == 3);
    CHECK(pick_partition("user:2", 4) == 2);
    CHECK(pick_partition("a", 3) == 1);
    CHECK(pick_partition("hello", 4) == 3);
    CHECK(pick_partition("k0", 4) == 2);
}

TEST_CASE("keyless messages all go to partition 0") {
    Fixture f;
    REQUIRE(f.broker.create_topic("t", 4, 0));
    for (int i = 0; i < 5; ++i) CHECK(f.produce("t", "").partition == 0);
}

TEST_CASE("offsets are topic-global, so a partition's offsets ascend with gaps") {
    Fixture f;
    REQUIRE(f.broker.create_topic("t", 2, 0));
    std::vector<Position> at;
    for (const char* k : {"k0", "k1", "k2", "k3", "k4", "k5"}) at.push_back(f.produce("t", k));
    // The reference observed p0: 0,2,4 and p1: 1,3,5 for these keys.
    CHECK(at == std::vector<Position>{{0, 0}, {1, 1}, {0, 2}, {1, 3}, {0, 4}, {1, 5}});
    CHECK(f.broker.find_topic("t")->next_offset == 6);
}
