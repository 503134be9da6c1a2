// diaggauss.hpp's threaded normal() at its edges (issue 15): a null output with threads > 1 used to segfault
// (the slices got out + begin, which the library's null check cannot see), and a thread that could not be
// created used to end in std::terminate (joinable threads destroyed during unwinding).
#include <sys/resource.h>

#include <cstdio>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "diaggauss/diaggauss.hpp"

namespace {

TEST(CppWrapperEdges, NullOutputIsRefusedBeforeSlicing) {
  const std::size_t n = 4 * 65536;
  for (unsigned threads : {1u, 2u, 4u, 0u}) {
    try {
      diaggauss::normal<double>(1, 2, 0, n, nullptr, threads);
      ADD_FAILURE() << "threads=" << threads << ": no error for a null output";
    } catch (const diaggauss::Error& e) {
      EXPECT_EQ(e.status(), DG_E_NULL_POINTER) << e.what();
      EXPECT_NE(std::string(e.what()).find("'out' is NULL"), std::string::npos) << e.what();
    }
  }
  // n == 0 with a null output is a valid empty fill.
  EXPECT_NO_THROW(diaggauss::normal<float>(1, 2, 0, 0, nullptr, 4));
}

std::size_t vm_size() {
  std::FILE* f = std::fopen("/proc/self/status", "r");
  if (!f) return 0;
  char line[256];
  std::size_t kb = 0;
  while (std::fgets(line, sizeof line, f))
    if (std::sscanf(line, "VmSize: %zu kB", &kb) == 1) break;
  std::fclose(f);
  return kb * 1024;
}

// Lowers the address-space limit so that a new thread's stack (8 MB by default) cannot be mapped.
class NoRoomForThreads {
 public:
  NoRoomForThreads() {
    if (getrlimit(RLIMIT_AS, &saved_) != 0 || vm_size() == 0) return;
    rlimit tight = saved_;
    tight.rlim_cur = vm_size() + 2u * 1024 * 1024;
    active_ = setrlimit(RLIMIT_AS, &tight) == 0;
  }
  ~NoRoomForThreads() {
    if (active_) setrlimit(RLIMIT_AS, &saved_);
  }
  // Whether creating a thread really fails now (qemu-user, for one, does not apply RLIMIT_AS).
  bool threads_fail() const {
    if (!active_) return false;
    try {
      std::thread t([] {});
      t.join();
      return false;
    } catch (const std::system_error&) {
      return true;
    }
  }

 private:
  rlimit saved_{};
  bool active_ = false;
};

TEST(CppWrapperEdges, ThreadCreationFailureFallsBackToTheCaller) {
#if defined(__SANITIZE_ADDRESS__)
  GTEST_SKIP() << "AddressSanitizer reserves the address space this test limits";
#endif
  const std::size_t n = 4 * 65536;
  std::vector<double> want(n), got(n, -1.0);
  diaggauss::normal(7, 3, 11, n, want.data(), 1);
  {
    NoRoomForThreads limit;
    if (!limit.threads_fail()) GTEST_SKIP() << "cannot make thread creation fail here (RLIMIT_AS not applied)";
    EXPECT_NO_THROW(diaggauss::normal(7, 3, 11, n, got.data(), 4));
  }
  EXPECT_EQ(std::memcmp(want.data(), got.data(), n * sizeof(double)), 0) << "threads=4 without threads differs";
}

// The C API reads names and paths up to the first NUL; the wrapper refuses a std::string with one inside instead of
// acting on its prefix ("scalar\0junk" forced scalar), and leaves the choice as it was.
TEST(CppWrapperEdges, NamesWithAnInnerNulAreRefused) {
  using namespace std::string_literals;
  const std::string before = diaggauss::active("solve_diag");
  for (const std::string& bad : {"scalar\0junk"s, "\0"s}) {
    try {
      diaggauss::force_isa(bad);
      ADD_FAILURE() << "force_isa accepted a name with a NUL";
    } catch (const diaggauss::Error& e) {
      EXPECT_EQ(e.status(), DG_E_UNKNOWN_NAME);
      EXPECT_NE(std::string(e.what()).find("NUL"), std::string::npos) << e.what();
    }
    EXPECT_THROW(diaggauss::force_impl("scalar\0x"s), diaggauss::Error);
    EXPECT_THROW(diaggauss::active("solve_diag\0x"s), diaggauss::Error);
    EXPECT_THROW(diaggauss::load_profile("/nonexistent\0x"s), diaggauss::Error);
  }
  EXPECT_EQ(diaggauss::active("solve_diag"), before);
}

}  // namespace
