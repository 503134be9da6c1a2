// The CLI's strict number parsing and whole-or-nothing file writing (tools/cli_numbers.hpp, tools/atomic_file.hpp).
#include <gtest/gtest.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <dirent.h>
#include <unistd.h>

#include <csignal>
#include <cstdint>
#include <fstream>
#include <sstream>
#include <string>

#include "tools/atomic_file.hpp"
#include "tools/cli_numbers.hpp"

namespace diaggauss::cli {
namespace {

std::uint64_t u64_or(const std::string& s, std::uint64_t lo = 0, std::uint64_t hi = UINT64_MAX,
                     std::uint64_t fail = 0xDEAD) {
  std::uint64_t v;
  std::string why;
  return parse_u64(s, lo, hi, v, why) ? v : fail;
}

TEST(CliNumbers, BaseTenDigitsOnly) {
  EXPECT_EQ(u64_or("0"), 0u);
  EXPECT_EQ(u64_or("010"), 10u);  // not octal
  EXPECT_EQ(u64_or("18446744073709551615"), UINT64_MAX);
  for (const char* bad : {" -5", "-5", "+5", " 5", "5 ", "2s", "abc", "0x10", "", "1e3", "18446744073709551616"})
    EXPECT_EQ(u64_or(bad), 0xDEADu) << "'" << bad << "'";
}

TEST(CliNumbers, RangeAndMessages) {
  std::uint64_t v;
  std::string why;
  EXPECT_FALSE(parse_u64("100000", 1, 4096, v, why));
  EXPECT_NE(why.find("'100000' is out of range [1, 4096]"), std::string::npos) << why;
  EXPECT_FALSE(parse_u64(" -5", 0, 10, v, why));
  EXPECT_NE(why.find("' -5'"), std::string::npos) << why;
}

TEST(CliNumbers, Reals) {
  double v;
  std::string why;
  EXPECT_TRUE(parse_real("15", 0.001, 86400, v, why));
  EXPECT_EQ(v, 15);
  EXPECT_TRUE(parse_real("0.5", 0.001, 86400, v, why));
  EXPECT_TRUE(parse_real("1e3", 0.001, 86400, v, why));
  EXPECT_EQ(v, 1000);
  for (const char* bad : {"2s", " 2", "inf", "nan", "0x1p3", "-1", "abc", "", "1e999"})
    EXPECT_FALSE(parse_real(bad, 0, 1e9, v, why)) << bad;
  EXPECT_FALSE(parse_real("0", 0.001, 86400, v, why));
  EXPECT_NE(why.find("out of range"), std::string::npos);
}

std::string temp_dir() {
  std::string t = testing::TempDir() + "/dg_atomic_XXXXXX";
  return ::mkdtemp(t.data());
}

std::string slurp(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

int entries(const std::string& dir) {
  int n = 0;
  DIR* d = ::opendir(dir.c_str());
  while (dirent* e = ::readdir(d)) n += e->d_name[0] != '.';
  ::closedir(d);
  return n;
}

TEST(AtomicFile, ReplacesWholeAndKeepsBackup) {
  const std::string dir = temp_dir(), p = dir + "/p.json";
  EXPECT_EQ(write_file_atomically(p, "one"), "");
  EXPECT_EQ(slurp(p), "one");
  EXPECT_EQ(write_file_atomically(p, "two", true), "");
  EXPECT_EQ(slurp(p), "two");
  EXPECT_EQ(slurp(p + ".bak"), "one");
  EXPECT_EQ(entries(dir), 2);  // no temporary file left
}

TEST(AtomicFile, AbandonedWriteLeavesOldFileAndNoTemp) {
  const std::string dir = temp_dir(), p = dir + "/x.npy";
  ASSERT_EQ(write_file_atomically(p, "old"), "");
  {
    AtomicFile f;
    ASSERT_TRUE(f.open(p));
    ASSERT_TRUE(f.write("new, half"));
  }  // destroyed without commit
  EXPECT_EQ(slurp(p), "old");
  EXPECT_EQ(entries(dir), 1);
}

TEST(AtomicFile, FullDiskNamesTheReasonAndKeepsTheOldFile) {
  // A file-size limit makes write() fail with EFBIG exactly as a full disk fails with ENOSPC.
  const std::string dir = temp_dir(), p = dir + "/big.bin";
  ASSERT_EQ(write_file_atomically(p, "old"), "");
  std::signal(SIGXFSZ, SIG_IGN);
  rlimit saved{};
  ::getrlimit(RLIMIT_FSIZE, &saved);
  rlimit small = saved;
  small.rlim_cur = 64 * 1024;
  ASSERT_EQ(::setrlimit(RLIMIT_FSIZE, &small), 0);
  const std::string err = write_file_atomically(p, std::string(1 << 20, 'x'));
  ::setrlimit(RLIMIT_FSIZE, &saved);
  EXPECT_NE(err.find("File too large"), std::string::npos) << err;
  EXPECT_EQ(slurp(p), "old");
  EXPECT_EQ(entries(dir), 1);
}

TEST(AtomicFile, FreeSpaceCheckRefusesWhatCannotFit) {
  const std::string dir = temp_dir();
  EXPECT_EQ(check_free_space(dir + "/x.npy", 1), "");
  const std::string why = check_free_space(dir + "/x.npy", UINT64_MAX);
  EXPECT_NE(why.find("No space left on device"), std::string::npos) << why;
}

TEST(AtomicFile, RefusesWhatIsNotARegularFileOrFolder) {
  const std::string dir = temp_dir();
  EXPECT_NE(check_output_path("/dev/full").find("not a regular file"), std::string::npos);
  EXPECT_NE(check_output_path(dir).find("is a directory"), std::string::npos);
  EXPECT_NE(check_output_path(dir + "/missing/x.json").find("No such file or directory"), std::string::npos);
  EXPECT_EQ(check_output_path(dir + "/new.json"), "");
  AtomicFile f;
  EXPECT_FALSE(f.open("/dev/full"));
  EXPECT_NE(f.error().find("not a regular file"), std::string::npos);
}

TEST(AtomicFile, ProbeTriesTheTemporaryNameAndLeavesNothing) {
  const std::string dir = temp_dir();
  EXPECT_EQ(probe_output_path(dir + "/p.json", true), "");
  EXPECT_EQ(entries(dir), 0);
  // The target's name fits NAME_MAX (255) but "<name>.tmp.XXXXXX" does not: only trying shows it.
  const std::string longer = dir + "/" + std::string(246, 'p') + ".json";
  EXPECT_EQ(check_output_path(longer), "");
  EXPECT_NE(probe_output_path(longer).find("File name too long"), std::string::npos);
  // An existing target with keep_backup: "<temp>.bak" must fit as well (commit(true) links it).
  const std::string near = dir + "/" + std::string(236, 'q') + ".json";
  EXPECT_EQ(probe_output_path(near, true), "");  // no target yet: no backup link to make
  ASSERT_EQ(write_file_atomically(near, "old"), "");
  EXPECT_NE(probe_output_path(near, true).find("File name too long"), std::string::npos);
  EXPECT_EQ(probe_output_path(near, false), "");
  EXPECT_EQ(entries(dir), 1);
}

TEST(AtomicFile, ASignalRemovesTheTemporaryFileAndStillEndsTheProcess) {
  for (int sig : {SIGINT, SIGTERM, SIGHUP}) {
    const std::string dir = temp_dir(), p = dir + "/x.npy";
    ASSERT_EQ(write_file_atomically(p, "old"), "");
    const pid_t child = ::fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
      AtomicFile f;
      if (!f.open(p) || !f.write("new, half")) ::_exit(3);
      std::fflush(f.stream());
      ::raise(sig);
      ::_exit(4);  // not reached: the handler re-raises with the default action
    }
    int status = 0;
    ASSERT_EQ(::waitpid(child, &status, 0), child);
    EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == sig) << "signal " << sig << ", status " << status;
    EXPECT_EQ(slurp(p), "old");
    EXPECT_EQ(entries(dir), 1) << "signal " << sig << " left the temporary file";
  }
  // With no temporary file left, the process's own handling of the signals is back.
  struct sigaction now {};
  ::sigaction(SIGINT, nullptr, &now);
  EXPECT_TRUE(now.sa_handler == SIG_DFL || now.sa_handler == SIG_IGN);
}

}  // namespace
}  // namespace diaggauss::cli
