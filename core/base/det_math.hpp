// Logarithm and exponential written out with IEEE-754 additions, multiplications and divisions
// only, in a fixed order, so that the simulator's exponential and Zipf draws are the same bits
// natively and in WebAssembly whatever math library each links (libm's log and pow may differ
// in the last bit between platforms, and one bit can move a draw across a millisecond).
// The core is compiled with -ffp-contract=off so that no compiler fuses these into FMAs.
// Accurate to a few ulps, which is all a draw needs; exactness is not the point, sameness is.
#pragma once

namespace driftq {

// Natural logarithm of x > 0. Returns a large negative number for x <= 0 (never NaN).
double det_log(double x);
// e^x, clamped to the finite range of double.
double det_exp(double x);
// base^exponent for base > 0.
double det_pow(double base, double exponent);

}  // namespace driftq
