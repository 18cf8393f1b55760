// The simulator's own log and exp: close to the math library's, and the very same bits on every
// platform (this file runs natively and under node; the golden values below hold in both).
#include <doctest/doctest.h>

#include <cmath>

#include "base/det_math.hpp"

using namespace driftq;

TEST_CASE("det_log and det_exp agree with the math library to a few ulps") {
    for (double x = 1e-12; x < 1e12; x *= 1.37) {
        CAPTURE(x);
        CHECK(std::fabs(det_log(x) - std::log(x)) <= 4e-16 * std::fmax(1.0, std::fabs(std::log(x))));
    }
    for (double x = -700; x < 700; x += 0.731) {
        CAPTURE(x);
        CHECK(std::fabs(det_exp(x) - std::exp(x)) <= 4e-15 * std::exp(x));
    }
    CHECK(std::fabs(det_pow(10.0, 1.5) - std::pow(10.0, 1.5)) < 1e-12);
    CHECK(det_log(0.0) < -1e299);  // never NaN: a draw of exactly 1 - u == 0 stays finite
    CHECK(det_exp(-800) == 0.0);
}

TEST_CASE("det_log and det_exp give the same bits everywhere (golden values)") {
    CHECK(det_log(2.0) == 0x1.62e42fefa39efp-1);
    CHECK(det_log(3.0) == 0x1.193ea7aad030ap+0);
    CHECK(det_log(1e-300) == -0x1.5963447f87fb5p+9);
    CHECK(det_log(123456.789) == 0x1.77281cad8a844p+3);
    CHECK(det_log(0.999999) == -0x1.0c6f82d74d23p-20);
    CHECK(det_exp(0.5) == 0x1.a61298e1e069bp+0);
    CHECK(det_exp(3.0) == 0x1.415e5bf6fb106p+4);
    CHECK(det_pow(7.0, 1.3) == 0x1.9195bf636bf1ap+3);
}
