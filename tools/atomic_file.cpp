#include "tools/atomic_file.hpp"

#include <fcntl.h>
#include <limits.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <vector>

namespace diaggauss::cli {

// ---- temporaries removed when a signal ends the process --------------------------------------------------
// The handler may run at any instant on any thread, so it touches only this fixed table: a path is copied into a
// free slot before the slot is marked used, and unmarked before the slot is reused.  Registration itself (not the
// handler) is serialised by a mutex.
namespace {

constexpr int kSlots = 16;
constexpr std::size_t kSlotBytes = PATH_MAX;
struct TempSlot {
  std::atomic<int> used{0};
  char path[kSlotBytes];
};
TempSlot g_temps[kSlots];
std::mutex g_temps_mutex;
int g_temps_registered = 0;
constexpr int kCleanupSignals[] = {SIGINT, SIGTERM, SIGHUP};
constexpr int kSignalCount = sizeof kCleanupSignals / sizeof kCleanupSignals[0];
struct sigaction g_previous[kSignalCount];
bool g_installed[kSignalCount];

extern "C" void remove_temporaries_and_reraise(int sig) {
  const int saved_errno = errno;
  for (TempSlot& s : g_temps) {
    if (s.used.load(std::memory_order_acquire) != 1) continue;
    ::unlink(s.path);
    // commit(true) briefly hard-links the temporary as <temp>.bak before renaming that link to <path>.bak.
    char bak[kSlotBytes + 8];
    const std::size_t n = std::strlen(s.path);
    std::memcpy(bak, s.path, n);
    std::memcpy(bak + n, ".bak", 5);
    ::unlink(bak);
  }
  struct sigaction dfl {};
  dfl.sa_handler = SIG_DFL;
  sigemptyset(&dfl.sa_mask);
  ::sigaction(sig, &dfl, nullptr);
  ::raise(sig);  // delivered, with the default action, as soon as this handler returns
  errno = saved_errno;
}

int register_temp(const std::string& temp) {
  if (temp.size() + 1 > kSlotBytes) return -1;
  std::lock_guard<std::mutex> lock(g_temps_mutex);
  int slot = -1;
  for (int i = 0; i < kSlots && slot < 0; ++i)
    if (g_temps[i].used.load(std::memory_order_relaxed) == 0) slot = i;
  if (slot < 0) return -1;  // more than kSlots temporaries at once: the rest are not protected from signals
  std::memcpy(g_temps[slot].path, temp.c_str(), temp.size() + 1);
  g_temps[slot].used.store(1, std::memory_order_release);
  if (g_temps_registered++ == 0) {
    for (int i = 0; i < kSignalCount; ++i) {
      g_installed[i] = false;
      if (::sigaction(kCleanupSignals[i], nullptr, &g_previous[i]) != 0) continue;
      // A signal the process was started with ignored (nohup, a background job) stays ignored.
      if (!(g_previous[i].sa_flags & SA_SIGINFO) && g_previous[i].sa_handler == SIG_IGN) continue;
      struct sigaction sa {};
      sa.sa_handler = remove_temporaries_and_reraise;
      sigfillset(&sa.sa_mask);
      g_installed[i] = ::sigaction(kCleanupSignals[i], &sa, nullptr) == 0;
    }
  }
  return slot;
}

void unregister_temp(int slot) {
  if (slot < 0) return;
  std::lock_guard<std::mutex> lock(g_temps_mutex);
  g_temps[slot].used.store(0, std::memory_order_release);
  if (--g_temps_registered == 0) {
    for (int i = 0; i < kSignalCount; ++i)
      if (g_installed[i]) ::sigaction(kCleanupSignals[i], &g_previous[i], nullptr);
  }
}

}  // namespace

static std::string folder_of(const std::string& path) {
  const std::size_t slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  return slash == 0 ? "/" : path.substr(0, slash);
}

static std::string os_error(const std::string& what, int err) { return what + ": " + std::strerror(err); }

std::string check_output_path(const std::string& path) {
  if (path.empty()) return "empty output path";
  if (path.back() == '/') return os_error(path, EISDIR);
  struct stat st {};
  if (::stat(path.c_str(), &st) == 0 && !S_ISREG(st.st_mode))
    return path + ": " + (S_ISDIR(st.st_mode) ? std::string("is a directory") : std::string("not a regular file")) +
           " (outputs are written to a temporary file and renamed over the target)";
  const std::string dir = folder_of(path);
  if (::stat(dir.c_str(), &st) != 0) return os_error("folder " + dir, errno);
  if (!S_ISDIR(st.st_mode)) return os_error("folder " + dir, ENOTDIR);
  if (::access(dir.c_str(), W_OK | X_OK) != 0) return os_error("folder " + dir, errno);
  return "";
}

std::string check_free_space(const std::string& path, std::uint64_t bytes) {
  struct statvfs vfs {};
  if (::statvfs(folder_of(path).c_str(), &vfs) != 0) return "";
  const unsigned __int128 avail = static_cast<unsigned __int128>(vfs.f_bavail) * vfs.f_frsize;
  if (bytes <= avail) return "";
  return path + " needs " + std::to_string(bytes) + " bytes, its folder has " +
         std::to_string(static_cast<std::uint64_t>(avail)) + " free: " + std::strerror(ENOSPC);
}

std::string probe_output_path(const std::string& path, bool keep_backup) {
  AtomicFile f;
  if (!f.open(path)) return f.error();
  struct stat st {};
  if (keep_backup && ::stat(path.c_str(), &st) == 0) {  // commit(true) links only an existing target
    const std::string bak = f.temp_path() + ".bak";
    if (::link(f.temp_path().c_str(), bak.c_str()) != 0)
      return os_error("keeping a backup of " + path + " (link " + bak + ")", errno);
    ::unlink(bak.c_str());
  }
  return "";  // f's destructor removes the temporary file
}

std::string make_parent_dirs(const std::string& path) {
  for (std::size_t pos = path.find('/', 1); pos != std::string::npos; pos = path.find('/', pos + 1)) {
    const std::string dir = path.substr(0, pos);
    if (::mkdir(dir.c_str(), 0755) != 0 && errno != EEXIST) return os_error("creating folder " + dir, errno);
  }
  return "";
}

AtomicFile::~AtomicFile() { abandon(); }

bool AtomicFile::fail(const std::string& what, int err) {
  error_ = os_error(what, err);
  abandon();
  return false;
}

bool AtomicFile::open(const std::string& path) {
  abandon();
  error_.clear();
  if (std::string why = check_output_path(path); !why.empty()) {
    error_ = why;
    return false;
  }
  path_ = path;
  std::string templ = path + ".tmp.XXXXXX";
  std::vector<char> buf(templ.begin(), templ.end());
  buf.push_back('\0');
  const int fd = ::mkostemp(buf.data(), O_CLOEXEC);
  if (fd < 0) return fail("creating a temporary file next to " + path, errno);
  temp_ = buf.data();
  slot_ = register_temp(temp_);
  // mkstemp makes the file 0600; outputs get the usual umask-governed permissions.
  const mode_t mask = ::umask(0);
  ::umask(mask);
  ::fchmod(fd, 0666 & ~mask);
  f_ = ::fdopen(fd, "wb");
  if (!f_) {
    const int err = errno;
    ::close(fd);
    return fail("opening " + temp_, err);
  }
  return true;
}

bool AtomicFile::write(const void* data, std::size_t bytes) {
  if (!f_) return false;
  if (bytes && std::fwrite(data, 1, bytes, f_) != bytes) return fail("writing " + temp_, errno ? errno : EIO);
  return true;
}

bool AtomicFile::commit(bool keep_backup) {
  if (!f_) {
    if (error_.empty()) error_ = "nothing to commit for " + path_;
    return false;
  }
  errno = 0;
  if (std::fflush(f_) != 0 || std::ferror(f_)) return fail("writing " + temp_, errno ? errno : EIO);
  if (::fsync(::fileno(f_)) != 0) return fail("syncing " + temp_, errno);
  std::FILE* f = f_;
  f_ = nullptr;
  if (std::fclose(f) != 0) return fail("closing " + temp_, errno);
  if (keep_backup) {
    struct stat st {};
    if (::stat(path_.c_str(), &st) == 0) {
      // The backup is made by a link then a rename, so an existing .bak is replaced, never half-written.
      const std::string bak = path_ + ".bak", bak_tmp = temp_ + ".bak";
      if (::link(path_.c_str(), bak_tmp.c_str()) != 0) return fail("keeping a backup of " + path_, errno);
      if (::rename(bak_tmp.c_str(), bak.c_str()) != 0) {
        const int err = errno;
        ::unlink(bak_tmp.c_str());
        return fail("keeping a backup as " + bak, err);
      }
    }
  }
  if (::rename(temp_.c_str(), path_.c_str()) != 0) return fail("renaming " + temp_ + " to " + path_, errno);
  temp_.clear();
  unregister_temp(slot_);
  slot_ = -1;
  // The rename is durable once the folder is synced; failing that is not worth refusing a written file.
  const int dfd = ::open(folder_of(path_).c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd >= 0) {
    ::fsync(dfd);
    ::close(dfd);
  }
  return true;
}

void AtomicFile::abandon() {
  if (f_) {
    std::fclose(f_);
    f_ = nullptr;
  }
  if (!temp_.empty()) {
    ::unlink(temp_.c_str());
    temp_.clear();
  }
  unregister_temp(slot_);
  slot_ = -1;
}

std::string write_file_atomically(const std::string& path, const std::string& text, bool keep_backup) {
  AtomicFile f;
  if (!f.open(path) || !f.write(text) || !f.commit(keep_backup)) return f.error();
  return "";
}

}  // namespace diaggauss::cli
