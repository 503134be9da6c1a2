#include "tools/mc_mpi.hpp"

#include <cstdlib>

#if DG_HAVE_MPI
#include <mpi.h>
#endif

namespace diaggauss::cli {

bool mpi_launched() {
  for (const char* var : {"OMPI_COMM_WORLD_SIZE", "PMI_RANK", "PMI_SIZE", "PMIX_RANK", "PMI_FD", "MPI_LOCALNRANKS"})
    if (const char* v = std::getenv(var); v && *v) return true;
  return false;
}

#if DG_HAVE_MPI
static bool g_mpi = false;

void mpi_start(int* argc, char*** argv) {
  int initialized = 0;
  MPI_Initialized(&initialized);
  if (!initialized) MPI_Init(argc, argv);
  g_mpi = true;
}
void mpi_stop() {
  if (g_mpi) MPI_Finalize();
}
static int rank() {
  int r = 0;
  if (g_mpi) MPI_Comm_rank(MPI_COMM_WORLD, &r);
  return r;
}
int mpi_size() {
  int s = 1;
  if (g_mpi) MPI_Comm_size(MPI_COMM_WORLD, &s);
  return s;
}
bool mpi_is_root() { return rank() == 0; }
bool mpi_any(bool mine) {
  if (!g_mpi) return mine;
  int in = mine ? 1 : 0, out = 0;
  MPI_Allreduce(&in, &out, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD);
  return out != 0;
}

MpiRange mpi_chunk_range(std::size_t chunks) {
  const std::size_t P = static_cast<std::size_t>(mpi_size()), r = static_cast<std::size_t>(rank());
  return {chunks * r / P, chunks * (r + 1) / P};
}

std::vector<mc::ChunkSums> mpi_gather_chunks(const std::vector<mc::ChunkSums>& mine, std::size_t chunks, const MpiRange&) {
  if (mpi_size() == 1) return mine;
  const int P = mpi_size();
  std::vector<int> counts(P), displs(P);
  for (int r = 0; r < P; ++r) {
    const std::size_t first = chunks * r / P, last = chunks * (r + 1) / P;
    counts[r] = static_cast<int>(2 * (last - first));  // two doubles per chunk
    displs[r] = static_cast<int>(2 * first);
  }
  std::vector<double> send;
  for (const mc::ChunkSums& c : mine) send.push_back(c.sum), send.push_back(c.sum_sq);
  std::vector<double> all(rank() == 0 ? 2 * chunks : 0);
  MPI_Gatherv(send.data(), static_cast<int>(send.size()), MPI_DOUBLE, all.data(), counts.data(), displs.data(),
              MPI_DOUBLE, 0, MPI_COMM_WORLD);
  std::vector<mc::ChunkSums> out;
  for (std::size_t c = 0; rank() == 0 && c < chunks; ++c) out.push_back({all[2 * c], all[2 * c + 1]});
  return out;
}
#else
void mpi_start(int*, char***) {}
void mpi_stop() {}
int mpi_size() { return 1; }
bool mpi_is_root() { return true; }
bool mpi_any(bool mine) { return mine; }
MpiRange mpi_chunk_range(std::size_t chunks) { return {0, chunks}; }
std::vector<mc::ChunkSums> mpi_gather_chunks(const std::vector<mc::ChunkSums>& mine, std::size_t, const MpiRange&) { return mine; }
#endif

}  // namespace diaggauss::cli
