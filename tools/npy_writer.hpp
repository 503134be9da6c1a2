// Minimal writer for numpy's .npy format (version 1.0): little-endian float32/float64/uint32, C order.
// Format: https://numpy.org/doc/stable/reference/generated/numpy.lib.format.html
#pragma once
#include <cstdio>
#include <string>
#include <vector>

namespace diaggauss::cli {

inline bool write_npy_header(std::FILE* f, const char* descr, const std::vector<std::size_t>& shape) {
  std::string dims;
  for (std::size_t s : shape) dims += std::to_string(s) + ",";
  if (shape.size() > 1) dims.pop_back();  // "(n,)" for 1-D, "(n,d)" otherwise
  std::string header = std::string("{'descr': '") + descr + "', 'fortran_order': False, 'shape': (" + dims + "), }";
  // magic(6) + version(2) + length(2) + header + '\n' must be a multiple of 64.
  const std::size_t total = 10 + header.size() + 1;
  header.append((64 - total % 64) % 64, ' ');
  header += '\n';
  const unsigned char len[2] = {static_cast<unsigned char>(header.size() & 0xFF),
                                static_cast<unsigned char>(header.size() >> 8)};
  return std::fwrite("\x93NUMPY\x01\x00", 1, 8, f) == 8 && std::fwrite(len, 1, 2, f) == 2 &&
         std::fwrite(header.data(), 1, header.size(), f) == header.size();
}

}  // namespace diaggauss::cli
