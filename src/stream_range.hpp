// The sampling calls' index ranges against the stream's 2^64 indices.  Normal (and, for mixtures, point) indices
// are 64-bit and wrap modulo 2^64, so a call whose range passes 2^64 - 1 would give its last values the stream's
// first draws again: for sample_gmm, whose offset counts points, "rank << 60" with dim 16 gave every rank rank 0's
// draws.  The sampling calls refuse such offsets instead.  Shared by the contiguous entry points
// (src/api_sample.cpp) and the _ld ones (src/api_layout.cpp), which check the whole call before their first row
// block is written.
#pragma once
#include <cstddef>
#include <cstdint>

namespace diaggauss::detail {

// sample_diag: normals offset .. offset + total - 1 (total = npoints * dim).  DG_OK or a recorded error.
int check_diag_offset(const char* fn, std::uint64_t offset, std::size_t total);

// sample_gmm: points offset .. offset + npoints - 1 (selection words) and their normals, up to
// (offset + npoints) * dim - 1.  DG_OK or a recorded error.
int check_gmm_offset(const char* fn, std::uint64_t offset, std::size_t npoints, std::size_t dim);

}  // namespace diaggauss::detail
