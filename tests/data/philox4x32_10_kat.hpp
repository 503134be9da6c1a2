// Philox4x32-10 known-answer vectors.
//
// Source: the three "philox4x32 10" lines of Random123's known-answer file (Random123 1.x, `tests/kat_vectors`),
// the reference implementation accompanying J. K. Salmon, M. A. Moraes, R. O. Dror, D. E. Shaw, "Parallel random
// numbers: as easy as 1, 2, 3", Proc. SC'11 (2011), doi:10.1145/2063384.2063405.  They are published facts, copied
// here (not read from anywhere at build or test time) so a plain clone checks itself.  Word 0 first everywhere.
#pragma once

#include <cstdint>

namespace diaggauss::test {

struct PhiloxKat {
  std::uint32_t ctr[4];
  std::uint32_t key[2];
  std::uint32_t out[4];
};

// Zero counter and key; all-ones counter and key; digits of pi (the vectors Random123 itself checks).
inline constexpr PhiloxKat kPhilox4x32_10Kats[] = {
    {{0x00000000u, 0x00000000u, 0x00000000u, 0x00000000u},
     {0x00000000u, 0x00000000u},
     {0x6627e8d5u, 0xe169c58du, 0xbc57ac4cu, 0x9b00dbd8u}},
    {{0xffffffffu, 0xffffffffu, 0xffffffffu, 0xffffffffu},
     {0xffffffffu, 0xffffffffu},
     {0x408f276du, 0x41c83b0eu, 0xa20bc7c6u, 0x6d5451fdu}},
    {{0x243f6a88u, 0x85a308d3u, 0x13198a2eu, 0x03707344u},
     {0xa4093822u, 0x299f31d0u},
     {0xd16cfe09u, 0x94fdccebu, 0x5001e420u, 0x24126ea1u}},
};

}  // namespace diaggauss::test
