#include "tools/cli_numbers.hpp"

#include <cerrno>
#include <cmath>
#include <cstdlib>

namespace diaggauss::cli {

static std::string quoted(const std::string& s) { return "'" + s + "'"; }

bool parse_u64(const std::string& text, std::uint64_t lo, std::uint64_t hi, std::uint64_t& out, std::string& why) {
  if (text.empty()) return why = "an empty value is not a number", false;
  std::uint64_t v = 0;
  for (char c : text) {
    if (c < '0' || c > '9') {
      why = quoted(text) + " is not a non-negative base-10 integer";
      return false;
    }
    if (__builtin_mul_overflow(v, std::uint64_t{10}, &v) || __builtin_add_overflow(v, std::uint64_t(c - '0'), &v)) {
      why = quoted(text) + " is out of range [" + std::to_string(lo) + ", " + std::to_string(hi) + "]";
      return false;
    }
  }
  if (v < lo || v > hi) {
    why = quoted(text) + " is out of range [" + std::to_string(lo) + ", " + std::to_string(hi) + "]";
    return false;
  }
  out = v;
  return true;
}

bool parse_real(const std::string& text, double lo, double hi, double& out, std::string& why) {
  // Only the characters of a decimal real; strtod alone would also take " 5", "inf", "nan" and "0x1p3".
  const bool chars_ok = !text.empty() && text.find_first_not_of("0123456789.eE+-") == std::string::npos &&
                        ((text[0] >= '0' && text[0] <= '9') || text[0] == '.');
  char* end = nullptr;
  errno = 0;
  const double v = chars_ok ? std::strtod(text.c_str(), &end) : 0;
  if (!chars_ok || end != text.c_str() + text.size() || errno == ERANGE || !std::isfinite(v)) {
    why = quoted(text) + " is not a non-negative decimal number";
    return false;
  }
  if (!(v >= lo && v <= hi)) {
    why = quoted(text) + " is out of range [" + CLI::detail::to_string(lo) + ", " + CLI::detail::to_string(hi) + "]";
    return false;
  }
  out = v;
  return true;
}

CLI::Validator u64_in(std::uint64_t lo, std::uint64_t hi) {
  return CLI::Validator(
      [lo, hi](std::string& s) {
        std::uint64_t v;
        std::string why;
        if (!parse_u64(s, lo, hi, v, why)) return why;
        s = std::to_string(v);
        return std::string();
      },
      "INT in [" + std::to_string(lo) + ", " + std::to_string(hi) + "]", "u64_in");
}

CLI::Validator real_in(double lo, double hi) {
  return CLI::Validator(
      [lo, hi](std::string& s) {
        double v;
        std::string why;
        return parse_real(s, lo, hi, v, why) ? std::string() : why;
      },
      "NUMBER in [" + CLI::detail::to_string(lo) + ", " + CLI::detail::to_string(hi) + "]", "real_in");
}

}  // namespace diaggauss::cli
