// Progress of long work on stderr, in the style of `tune` and `bench --json`: on a terminal one line redrawn in
// place, in a log file plain lines.  Nothing is printed for work that ends within the first 2 s (so quick runs and
// stdout are unchanged); after that a line at most once a second on a terminal, every 10 s in a log:
//   [sample] 41% (450000000 of 1099511627775 values, 12 s, ETA 17 s)
// DIAGGAUSS_PROGRESS_AFTER=SECONDS changes the 2 s (0: from the first update on; the CLI tests use it).
#pragma once
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "tools/commands.hpp"

namespace diaggauss::cli {

class Progress {
 public:
  using clock = std::chrono::steady_clock;
  // tag: "sample", "mc"; what: e.g. "simd path: " (may be empty); unit: "values", "samples".
  Progress(std::string tag, std::string what, std::uint64_t total, std::string unit, bool enabled = true)
      : tag_(std::move(tag)), what_(std::move(what)), unit_(std::move(unit)), total_(total), enabled_(enabled),
        tty_(stderr_is_tty()), start_(clock::now()), next_(start_ + std::chrono::duration_cast<clock::duration>(
                                                                         std::chrono::duration<double>(first_delay()))) {}
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;
  ~Progress() { finish(); }

  // `done` of `total` are finished; prints when a line is due.
  void update(std::uint64_t done) {
    if (!enabled_ || total_ == 0) return;
    const clock::time_point now = clock::now();
    if (now < next_) return;
    next_ = now + std::chrono::seconds(tty_ ? 1 : 10);
    const double elapsed = std::chrono::duration<double>(now - start_).count();
    std::string eta;
    if (done > 0 && done < total_)
      eta = ", ETA " + seconds_text(elapsed * static_cast<double>(total_ - done) / static_cast<double>(done));
    char line[256];
    std::snprintf(line, sizeof line, "[%s] %s%.0f%% (%llu of %llu %s, %s%s)", tag_.c_str(), what_.c_str(),
                  100.0 * static_cast<double>(done) / static_cast<double>(total_), (unsigned long long)done,
                  (unsigned long long)total_, unit_.c_str(), seconds_text(elapsed).c_str(), eta.c_str());
    if (tty_) std::fprintf(stderr, "\r\033[K%s", line);
    else std::fprintf(stderr, "%s\n", line);
    std::fflush(stderr);
    shown_ = true;
  }
  // Clears the redrawn line on a terminal (before the command's own messages).
  void finish() {
    if (shown_ && tty_) std::fprintf(stderr, "\r\033[K");
    shown_ = false;
  }

 private:
  static double first_delay() {
    const char* env = std::getenv("DIAGGAUSS_PROGRESS_AFTER");
    if (!env || !*env) return 2;
    char* end = nullptr;
    const double s = std::strtod(env, &end);
    return (*end == '\0' && s >= 0 && s < 1e6) ? s : 2;
  }
  static std::string seconds_text(double s) {
    char text[32];
    if (s < 10) {
      std::snprintf(text, sizeof text, "%.1f s", s);
      return text;
    }
    if (s < 100) return std::to_string(static_cast<int>(s + 0.5)) + " s";
    if (s < 6000) return std::to_string(static_cast<int>(s / 60 + 0.5)) + " min";
    return std::to_string(static_cast<long long>(s / 3600 + 0.5)) + " h";
  }
  std::string tag_, what_, unit_;
  std::uint64_t total_;
  bool enabled_, tty_, shown_ = false;
  clock::time_point start_, next_;
};

}  // namespace diaggauss::cli
