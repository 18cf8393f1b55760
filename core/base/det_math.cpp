#include "base/det_math.hpp"

#include <cstdint>
#include <cstring>

namespace driftq {

namespace {

// std::bit_cast, which Emscripten's libc++ does not have yet.
template <class To, class From>
To bits_as(From from) {
    static_assert(sizeof(To) == sizeof(From));
    To to;
    std::memcpy(&to, &from, sizeof to);
    return to;
}

constexpr double kLn2 = 0.693147180559945309417232121458176568;
constexpr double kSqrt2 = 1.41421356237309504880168872420969808;

// 2^k for an integer k in the normal range, built from its bits.
double pow2(int k) {
    const auto bits = static_cast<std::uint64_t>(k + 1023) << 52;
    return bits_as<double>(bits);
}

}  // namespace

double det_log(double x) {
    if (!(x > 0)) return -1e300;
    if (x > 1.7976931348623157e308) return 709.782712893384;  // log of DBL_MAX
    // x = m * 2^e with m in [1, 2): read the exponent from the bits (subnormals scaled first).
    int e = 0;
    if (x < 2.2250738585072014e-308) {
        x *= 18014398509481984.0;  // 2^54
        e = -54;
    }
    const auto bits = bits_as<std::uint64_t>(x);
    e += static_cast<int>((bits >> 52) & 0x7ff) - 1023;
    double m = bits_as<double>((bits & 0x000fffffffffffffULL) | 0x3ff0000000000000ULL);
    // Move m into [sqrt(1/2), sqrt(2)) so the series below converges fast.
    if (m >= kSqrt2) {
        m *= 0.5;
        ++e;
    }
    // ln(m) = 2 * atanh(s) = 2 * (s + s^3/3 + s^5/5 + ...), s = (m - 1) / (m + 1), |s| < 0.172.
    const double s = (m - 1.0) / (m + 1.0);
    const double s2 = s * s;
    double term = s;
    double sum = 0;
    for (int k = 0; k < 12; ++k) {  // 0.172^24 / 25 < 1e-19: a fixed count, the same everywhere
        sum += term / static_cast<double>(2 * k + 1);
        term *= s2;
    }
    return static_cast<double>(e) * kLn2 + 2.0 * sum;
}

double det_exp(double x) {
    if (x > 709.0) x = 709.0;
    if (x < -708.0) return 0.0;
    // x = k ln2 + r with |r| <= ln2 / 2, then e^x = 2^k * e^r.
    const double kd = x / kLn2;
    const int k = static_cast<int>(kd < 0 ? kd - 0.5 : kd + 0.5);
    // ln2 split in two (Cody and Waite) so that k * hi is exact and r keeps its precision.
    constexpr double kLn2Hi = 0x1.62e42feep-1;
    constexpr double kLn2Lo = 0x1.a39ef35793c76p-33;
    const double r = (x - static_cast<double>(k) * kLn2Hi) - static_cast<double>(k) * kLn2Lo;
    double term = 1.0;
    double sum = 1.0;
    for (int n = 1; n < 22; ++n) {  // 0.35^22 / 22! is far below one ulp
        term *= r / static_cast<double>(n);
        sum += term;
    }
    return sum * pow2(k);
}

double det_pow(double base, double exponent) { return det_exp(exponent * det_log(base)); }

}  // namespace driftq
