// The `diaggauss` CLI's subcommands.  Each lives in its own cmd_<name>.cpp: add_<name>() declares its options on
// the CLI11 app (so --help, unknown options and malformed numbers are handled before anything runs) and returns
// the function that runs it once parsing succeeded; run_<name>() is the command itself, callable by `demo`.
#pragma once
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

namespace diaggauss::cli {

using Runner = std::function<int()>;

struct InfoOptions {
  bool json = false;
};
struct BenchOptions {
  std::vector<std::string> kernels;  // empty: all
  std::uint64_t runs = 7;
  bool json = false;
};
struct McOptions {
  std::uint64_t components = 3, dim = 4, samples = 1000000, seed = 1, threads = 1;
  std::string model, save_model, path = "simd";
  bool json = false, no_pin = false;
};

Runner add_info(CLI::App& root);
Runner add_demo(CLI::App& root);
Runner add_sample(CLI::App& root);
Runner add_tune(CLI::App& root);
Runner add_bench(CLI::App& root);
Runner add_mc(CLI::App& root);

int run_info(const InfoOptions& o);
int run_bench(const BenchOptions& o);
int run_mc(const McOptions& o);
void print_info_text(const nlohmann::ordered_json& j);

// "" when the library can run (DIAGGAUSS_ISA / DIAGGAUSS_IMPL valid); otherwise the library's message.
std::string library_error();
// JSON text for people and programs: invalid UTF-8 (a path, a CPU brand) is replaced, never thrown.
std::string dump_json(const nlohmann::ordered_json& j);
// True when stderr is a terminal: progress is then redrawn in place; otherwise it is written as plain lines.
bool stderr_is_tty();
// Drops what stdout still buffers and clears its error flag: for a command that has itself reported (or, as
// `sample --raw` on a closed pipe, deliberately accepted) a failed write, so that main() does not report it again.
void discard_stdout();

}  // namespace diaggauss::cli
