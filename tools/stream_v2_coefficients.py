#!/usr/bin/python3
"""Print the polynomial coefficients of stream version 2 (kernels/common/normal_recipe.hpp) and their truncation
errors.  Chebyshev interpolants (mpmath.chebyfit, near-minimax) at 60 digits, rounded to nearest double / float.

    /usr/bin/python3 tools/stream_v2_coefficients.py      (needs python3-mpmath)

Run at development time only; the constants live in kernels/common/normal_recipe.hpp.
"""
import struct

import mpmath as mp

mp.mp.dps = 60
SMAX = (mp.sqrt(2) - 1) / (mp.sqrt(2) + 1)  # |s| = |m-1|/(m+1) for m in [sqrt(1/2), sqrt(2))
ZMAX = SMAX**2


def fit_log(n):
    """log((1+s)/(1-s)) = s * (2 + z * P(z)), z = s^2: P with n coefficients on [0, ZMAX]."""
    def P(z):
        if z == 0:
            return mp.mpf(2) / 3
        s = mp.sqrt(z)
        return (mp.log((1 + s) / (1 - s)) / s - 2) / z
    c, err = mp.chebyfit(P, [0, ZMAX], n, error=True)
    return c[::-1], ZMAX * err / 2  # relative error of log m, about (z * dP) / 2


def fit_sin(n):
    """sin(pi r / 2) = r * S(x2), x2 = r^2 in [0, 1/4]."""
    def S(x2):
        if x2 == 0:
            return mp.pi / 2
        r = mp.sqrt(x2)
        return mp.sin(mp.pi * r / 2) / r
    c, err = mp.chebyfit(S, [0, mp.mpf(1) / 4], n, error=True)
    return c[::-1], err / (mp.pi / 2)


def fit_cos(n):
    """cos(pi r / 2) = 1 + x2 * C(x2)."""
    def C(x2):
        if x2 == 0:
            return -(mp.pi / 2) ** 2 / 2
        r = mp.sqrt(x2)
        return (mp.cos(mp.pi * r / 2) - 1) / x2
    c, err = mp.chebyfit(C, [0, mp.mpf(1) / 4], n, error=True)
    return c[::-1], err * mp.mpf(1) / 4 / (mp.sqrt(2) / 2)


def as_f32(x):
    return struct.unpack('f', struct.pack('f', float(x)))[0]


def main():
    for label, count, rnd in (('double', (7, 7, 7), float), ('float', (3, 4, 4), as_f32)):
        print(f'{label}:')
        for name, fit, n in (('kLogAtanh', fit_log, count[0]), ('kSin', fit_sin, count[1]),
                             ('kCos', fit_cos, count[2])):
            c, rel = fit(n)
            print(f'  {name}[{n}] = {{{", ".join(rnd(x).hex() for x in c)}}}')
            print(f'    truncation error (relative) ~ {mp.nstr(rel, 3)}')
    print(f'(half an ulp: double {2.0**-53:.3g}, float {2.0**-24:.3g})')


if __name__ == '__main__':
    main()
