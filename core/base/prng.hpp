// The one pseudo-random generator of the project: SplitMix64 (Steele, Lea, Flood 2014), chosen
// because it is tiny, fast and gives the same numbers on every platform. Simulations and tests
// own an instance seeded explicitly; nothing in the broker itself draws random numbers.
#pragma once

#include <cstdint>

namespace driftq {

class Prng {
public:
    explicit Prng(std::uint64_t seed) : state_(seed) {}

    std::uint64_t next() {
        std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
        return z ^ (z >> 31);
    }
    // In [0, n) for n > 0. Modulo bias is below 2^-40 for the small n used here.
    std::uint64_t below(std::uint64_t n) { return next() % n; }
    bool chance(std::uint32_t percent) { return below(100) < percent; }

private:
    std::uint64_t state_;
};

}  // namespace driftq
