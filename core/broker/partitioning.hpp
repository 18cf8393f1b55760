// Key to partition mapping, bit-exact with the reference (Go's hash/fnv New32a).
#pragma once

#include <cstdint>
#include <string_view>

namespace driftq {

constexpr std::uint32_t fnv1a32(std::string_view bytes) {
    std::uint32_t h = 2166136261u;
    for (char c : bytes) {
        h ^= static_cast<std::uint8_t>(c);
        h *= 16777619u;
    }
    return h;
}

// Keyless messages all go to partition 0 (the reference does not round-robin them).
constexpr std::int32_t pick_partition(std::string_view key, std::int32_t partitions) {
    if (key.empty()) return 0;
    return static_cast<std::int32_t>(fnv1a32(key) % static_cast<std::uint32_t>(partitions));
}

static_assert(fnv1a32("k1") == 2554167489u);
static_assert(fnv1a32("") == 2166136261u);

}  // namespace driftq
