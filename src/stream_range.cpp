// See src/stream_range.hpp.
#include "src/stream_range.hpp"

#include <string>

#include "src/errors.hpp"

namespace diaggauss::detail {
namespace {

constexpr std::uint64_t kMaxIndex = ~std::uint64_t{0};

int refuse_offset(const char* fn, std::uint64_t offset, const std::string& why) {
  return fail(DG_E_INVALID_ARGUMENT, std::string(fn) + ": offset = " + std::to_string(offset) + ": " + why +
                                         " would pass index 2^64 - 1, where the stream wraps and repeats earlier draws "
                                         "(give independent parts distinct stream ids instead)");
}

}  // namespace

int check_diag_offset(const char* fn, std::uint64_t offset, std::size_t total) {
  if (total != 0 && std::uint64_t{total} - 1 > kMaxIndex - offset)
    return refuse_offset(fn, offset, "its " + std::to_string(total) + " normals (npoints * dim)");
  return DG_OK;
}

int check_gmm_offset(const char* fn, std::uint64_t offset, std::size_t npoints, std::size_t dim) {
  if (npoints == 0) return DG_OK;
  if (std::uint64_t{npoints} - 1 > kMaxIndex - offset)
    return refuse_offset(fn, offset, "its " + std::to_string(npoints) + " points");
  if (dim >= 2) {
    const std::uint64_t points_that_fit = (kMaxIndex - (dim - 1)) / dim + 1;  // floor(2^64 / dim)
    if (offset > points_that_fit || npoints > points_that_fit - offset)
      return refuse_offset(fn, offset, "the normals (offset + npoints) * dim of its " + std::to_string(npoints) +
                                           " points of dim " + std::to_string(dim));
  }
  return DG_OK;
}

}  // namespace diaggauss::detail
