#!/usr/bin/python3
"""Known answers for stream version 2's normals, computed independently of the C++ code: Philox4x32-10 and the
index mapping of docs/random-stream.md written here in Python, the transform evaluated exactly (mpmath, 40
digits) instead of by the recipe's polynomials:
    double pair:  z = sqrt(-2 ln u1) * (cos, sin)(2 pi w / 2^32),  u1 = 1 - (a >> 12) * 2^-52  (a the radius word)
    float pair:   z = sqrt(-2 ln u1) * (cos, sin)((q + r) pi/2),   u1 = 1 - (w_even >> 9) * 2^-23
Writes tests/data/normal-v2-kat.txt (read by tests/test_normal_v2_kat.cpp).  Development-time only (needs
python3-mpmath):  /usr/bin/python3 tests/data/gen_normal_v2_kat.py > tests/data/normal-v2-kat.txt
"""
import mpmath as mp

mp.mp.dps = 40
M32 = 0xFFFFFFFF
M0, M1, W0, W1 = 0xD2511F53, 0xCD9E8D57, 0x9E3779B9, 0xBB67AE85


def philox(seed, stream, block):
    c = [block & M32, (block >> 32) & M32, stream & M32, (stream >> 32) & M32]
    k0, k1 = seed & M32, (seed >> 32) & M32
    for rnd in range(10):
        if rnd:
            k0, k1 = (k0 + W0) & M32, (k1 + W1) & M32
        p0, p1 = M0 * c[0], M1 * c[2]
        c = [((p1 >> 32) ^ c[1] ^ k0) & M32, p1 & M32, ((p0 >> 32) ^ c[3] ^ k1) & M32, p0 & M32]
    return c


def normal_f64(seed, stream, i):
    """Exact value of double normal i: output k = (i >> 3) & 7 of triple t = 8 (i >> 6) + (i & 7)."""
    k, t = (i >> 3) & 7, 8 * (i >> 6) + (i & 7)
    A, B, C = (philox(seed, stream, 3 * t + j) for j in range(3))
    radius = [A[0] | A[1] << 32, A[2] | A[3] << 32, B[0] | B[1] << 32, B[2] | B[3] << 32]
    p = k >> 1
    u1 = 1 - mp.mpf(radius[p] >> 12) / 2**52
    theta = 2 * mp.pi * C[p] / 2**32
    rho = mp.sqrt(-2 * mp.log(u1))
    return rho * (mp.cos(theta) if k % 2 == 0 else mp.sin(theta))


def normal_f32(seed, stream, i):
    """Exact value of float normal i: output k = (i >> 4) & 3 of block 16 (i >> 6) + (i & 15)."""
    k, j = (i >> 4) & 3, 16 * (i >> 6) + (i & 15)
    w = philox(seed, stream, j)
    we, wo = w[2 * (k >> 1)], w[2 * (k >> 1) + 1]
    u1 = 1 - mp.mpf(we >> 9) / 2**23
    t = (wo >> 7) + 2**22
    q, frac = (t >> 23) & 3, mp.mpf(t & (2**23 - 1)) / 2**23
    theta = (q + frac - mp.mpf(1) / 2) * mp.pi / 2
    rho = mp.sqrt(-2 * mp.log(u1))
    return rho * (mp.cos(theta) if k % 2 == 0 else mp.sin(theta))


CASES = [  # (seed, stream, index): chunk starts and ends, every k, mid-chunk, huge indices, a 2^40+1 stream
    (0, 0, 0), (0, 0, 1), (0, 0, 7), (0, 0, 8), (0, 0, 9), (0, 0, 15), (0, 0, 16), (0, 0, 31), (0, 0, 47),
    (0, 0, 56), (0, 0, 63), (0, 0, 64), (0, 0, 100), (42, 7, 12345), (20261125, 0, 999999),
    (16045690984503111693, 3, 5), (1234567, 1099511627777, 8589934594), (7, 0, 2**64 - 1), (7, 0, 2**64 - 64),
    (3, 2**63 + 5, 2**61 + 77),
]

print('# Stream v2 normals: known answers computed by tests/data/gen_normal_v2_kat.py (Python Philox + mpmath,')
print('# independent of the C++ recipe).  Columns: type seed stream index exact_value (21 significant digits)')
for seed, stream, i in CASES:
    print(f'f64 {seed} {stream} {i} {mp.nstr(normal_f64(seed, stream, i), 21, min_fixed=-5, max_fixed=5)}')
for seed, stream, i in CASES:
    print(f'f32 {seed} {stream} {i} {mp.nstr(normal_f32(seed, stream, i), 21, min_fixed=-5, max_fixed=5)}')
