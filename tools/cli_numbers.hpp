// Strict number parsing for the command line.  strtoull/atoi accept what a user never meant: " -5" (a padded shell
// variable) becomes 2^64-5, "010" is octal 8, "2s" is 2 and "abc" is 0.  Here a number is plain base-10 digits
// (an optional fraction/exponent for reals), nothing else, and must lie in the option's range.
#pragma once
#include <cstdint>
#include <string>

#include <CLI/CLI.hpp>

namespace diaggauss::cli {

// Digits only: no sign, no space, no 0x, no suffix; "010" is ten.  On failure `why` says what is wrong with `text`.
bool parse_u64(const std::string& text, std::uint64_t lo, std::uint64_t hi, std::uint64_t& out, std::string& why);
// A finite decimal real ("15", "0.5", "1e3"): no space, no inf/nan, no hex.
bool parse_real(const std::string& text, double lo, double hi, double& out, std::string& why);

// CLI11 transforms built on the two parsers: they refuse bad text (CLI11 then names the option) and hand CLI11
// the number in canonical decimal, so CLI11's own (base-0, octal-reading) conversion never sees "010".
CLI::Validator u64_in(std::uint64_t lo, std::uint64_t hi);
CLI::Validator real_in(double lo, double hi);

}  // namespace diaggauss::cli
