// exp() for the mixture log-sum-exp, shared by every vector family (constants only, see normal_recipe.hpp for
// why there are no functions here).  Arguments are x = l - max <= 0, so only underflow needs care.
//
//   x < kMinArg          -> 0 (the term is below the sum's rounding: the max term contributes 1)
//   n = round_to_nearest(x * kLog2e)                (an integer-valued float, |n| <= 1075)
//   r = fma(-n, kLn2Hi, x);  r = fma(-n, kLn2Lo, r)  |r| <= 0.3466
//   p = Horner(r) with kExp[K-1] ... kExp[0] by fma, then result = p * 2^n  (2^n built in the exponent bits;
//       for double n >= -1022 always holds here because kMinArg > -708; float: kMinArg > -87)
// Coefficients are 1/k! (Taylor), enough terms for < 1 ulp truncation error on |r| <= ln2/2.
#pragma once

namespace diaggauss::recipe {

namespace f64 {
inline constexpr double kExpMinArg = -708.0;
inline constexpr double kLog2e = 1.4426950408889634074;
inline constexpr double kExpLn2Hi = 6.93147180369123816490e-01;  // fdlibm ln2_hi (exact in 32 bits)
inline constexpr double kExpLn2Lo = 1.90821492927058770002e-10;
// p(r) = sum_{k=0}^{13} r^k / k!
inline constexpr double kExp[14] = {1.0,
                                    1.0,
                                    0.5,
                                    1.66666666666666666667e-01,
                                    4.16666666666666666667e-02,
                                    8.33333333333333333333e-03,
                                    1.38888888888888888889e-03,
                                    1.98412698412698412698e-04,
                                    2.48015873015873015873e-05,
                                    2.75573192239858906526e-06,
                                    2.75573192239858906526e-07,
                                    2.50521083854417187751e-08,
                                    2.08767569878680989792e-09,
                                    1.60590438368216145994e-10};
}  // namespace f64

namespace f32 {
inline constexpr float kExpMinArg = -87.0f;
inline constexpr float kLog2e = 1.44269504f;
inline constexpr float kExpLn2Hi = 6.9313812256e-01f;
inline constexpr float kExpLn2Lo = 9.0580006145e-06f;
// p(r) = sum_{k=0}^{7} r^k / k!
inline constexpr float kExp[8] = {1.0f, 1.0f, 0.5f, 1.66666667e-01f, 4.16666667e-02f, 8.33333333e-03f,
                                  1.38888889e-03f, 1.98412698e-04f};
}  // namespace f32

}  // namespace diaggauss::recipe
