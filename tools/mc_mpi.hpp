// Optional MPI distribution of `diaggauss mc` (CMake option DG_WITH_MPI): ranks take disjoint, contiguous chunk
// ranges and rank 0 gathers every chunk's partial sums and combines them in chunk order — the same bits as one
// process.  Without MPI these are the one-process identities.
#pragma once
#include <vector>

#include "diaggauss/mc.hpp"

namespace diaggauss::cli {

struct MpiRange {
  std::size_t first = 0, last = 0;
};

MpiRange mpi_chunk_range(std::size_t chunks);
// Rank 0 receives all chunks in order; other ranks get an empty vector.
std::vector<mc::ChunkSums> mpi_gather_chunks(const std::vector<mc::ChunkSums>& mine, std::size_t chunks, const MpiRange& range);
bool mpi_is_root();
int mpi_size();
// True when any rank passes true (every rank gets the answer); without MPI, `mine`.
bool mpi_any(bool mine);
// True when a launcher started this process (Open MPI, PMI/PMIx as used by MPICH, Intel MPI and Slurm): only then
// is MPI initialised.  A plain run never touches MPI: MPI_Init costs ~0.35 s and fails outright on a machine
// whose Open MPI plugins do not match.
bool mpi_launched();
// Called from main() when mpi_launched(): MPI_Init / MPI_Finalize when built with MPI (no-ops otherwise).
void mpi_start(int* argc, char*** argv);
void mpi_stop();

}  // namespace diaggauss::cli
