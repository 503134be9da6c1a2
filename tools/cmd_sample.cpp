// `diaggauss sample`: standard normals (or uniforms) to a .npy file, or raw Philox words to stdout for external
// test batteries (`diaggauss sample --raw | dieharder -g 200 -a`).
#include <cerrno>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "diaggauss/diaggauss.h"
#include "tools/atomic_file.hpp"
#include "tools/cli_numbers.hpp"
#include "tools/commands.hpp"
#include "tools/npy_writer.hpp"
#include "tools/progress.hpp"

namespace diaggauss::cli {

// A closed pipe ends an endless stream quietly (the reader, e.g. dieharder, has all it wants: exit 0).  With --n
// the reader stopped before the last word: the output was cut short, which is said (exit 1).  Any other write
// error (a full disk, a closed descriptor) names the OS reason (exit 1).
static int raw_words(std::uint64_t seed, std::uint64_t stream, std::uint64_t offset, std::uint64_t limit, bool bounded) {
  std::signal(SIGPIPE, SIG_IGN);  // EPIPE instead of death by SIGPIPE: the cases above are told apart
  std::vector<std::uint32_t> buf(1 << 16);
  std::uint64_t done = 0;
  Progress progress("sample", "", limit, "words", bounded);
  const auto write_failed = [&](int err) {
    progress.finish();
    discard_stdout();  // reported here (or accepted): main() must not report it again
    if (err == EPIPE && !bounded) return 0;
    if (err == EPIPE)
      std::fprintf(stderr,
                   "diaggauss sample: output cut short: the reader closed the pipe after at most %llu of %llu words\n",
                   (unsigned long long)done, (unsigned long long)limit);
    else std::fprintf(stderr, "diaggauss sample: writing to standard output: %s\n", std::strerror(err));
    return 1;
  };
  while (!bounded || done < limit) {
    const std::size_t n = bounded ? static_cast<std::size_t>(std::min<std::uint64_t>(buf.size(), limit - done)) : buf.size();
    if (dg_uniform_u32(seed, stream, offset + done, n, buf.data()) != DG_OK) {
      progress.finish();
      std::fprintf(stderr, "diaggauss sample: %s\n", dg_last_error());
      return 1;
    }
    errno = 0;
    const std::size_t written = std::fwrite(buf.data(), sizeof(std::uint32_t), n, stdout);
    if (written != n) {
      done += written;
      return write_failed(errno ? errno : EIO);
    }
    done += n;
    progress.update(done);
  }
  errno = 0;
  if (std::fflush(stdout) != 0) return write_failed(errno ? errno : EIO);
  return 0;
}

namespace {

struct SampleOptions {
  std::uint64_t n = 0, seed = 0, stream = 0, offset = 0, dim = 1;
  std::string out, dtype = "f64", kind = "normal";
  bool raw = false, n_given = false;
};

// A .npy bigger than this is surely a typo (and would fill a disk): 2^40 values is 8 TiB of f64.
constexpr std::uint64_t kMaxValues = std::uint64_t{1} << 40;

int run_sample(const SampleOptions& o) {
  if (const std::string err = library_error(); !err.empty()) {
    std::fprintf(stderr, "diaggauss sample: %s\n", err.c_str());
    return 2;
  }
  if (o.raw) return raw_words(o.seed, o.stream, o.offset, o.n, o.n_given);
  std::uint64_t total;
  if (__builtin_mul_overflow(o.n, o.dim, &total) || total > kMaxValues) {
    std::fprintf(stderr, "diaggauss sample: --n x --dim = %llu x %llu exceeds %llu values\n", (unsigned long long)o.n,
                 (unsigned long long)o.dim, (unsigned long long)kMaxValues);
    return 2;
  }
  // Indices offset .. offset + total - 1 must all exist: the last one is 2^64 - 1.
  if (total > 0 && total - 1 > UINT64_MAX - o.offset) {
    std::fprintf(stderr, "diaggauss sample: --offset + --n x --dim passes the end of the stream (2^64 values)\n");
    return 2;
  }
  // A file that cannot fit is refused now rather than after filling the disk (header: at most a few hundred bytes).
  if (const std::string why = check_free_space(o.out, total * (o.dtype == "f64" ? 8 : 4) + 1024); !why.empty()) {
    std::fprintf(stderr, "diaggauss sample: --out: %s\n", why.c_str());
    return 1;
  }
  // The old file stays as it is until the new one is complete (tools/atomic_file.hpp).
  AtomicFile file;
  if (!file.open(o.out)) {
    std::fprintf(stderr, "diaggauss sample: --out: %s\n", file.error().c_str());
    return 1;
  }
  const bool f64 = o.dtype == "f64", normal = o.kind == "normal";
  std::vector<std::size_t> shape = {static_cast<std::size_t>(o.n)};
  if (o.dim > 1) shape.push_back(static_cast<std::size_t>(o.dim));
  if (!write_npy_header(file.stream(), f64 ? "<f8" : "<f4", shape)) {
    std::fprintf(stderr, "diaggauss sample: writing %s: %s\n", o.out.c_str(), std::strerror(errno));
    return 1;
  }
  // Chunked so that memory stays bounded for any n; the stream is index-pure, so chunks equal one call.
  const std::size_t chunk = 1 << 20;
  Progress progress("sample", "", total, "values");
  std::vector<double> bd(f64 ? chunk : 0);
  std::vector<float> bf(f64 ? 0 : chunk);
  for (std::uint64_t done = 0; done < total; done += chunk) {
    const std::size_t m = static_cast<std::size_t>(std::min<std::uint64_t>(chunk, total - done));
    int st;
    if (f64) st = normal ? dg_normal_f64(o.seed, o.stream, o.offset + done, m, bd.data())
                         : dg_uniform_f64(o.seed, o.stream, o.offset + done, m, bd.data());
    else st = normal ? dg_normal_f32(o.seed, o.stream, o.offset + done, m, bf.data())
                     : dg_uniform_f32(o.seed, o.stream, o.offset + done, m, bf.data());
    if (st != DG_OK) {
      progress.finish();
      std::fprintf(stderr, "diaggauss sample: %s\n", dg_last_error());
      return 1;
    }
    if (!(f64 ? file.write(bd.data(), 8 * m) : file.write(bf.data(), 4 * m))) {
      progress.finish();
      std::fprintf(stderr, "diaggauss sample: %s\n", file.error().c_str());
      return 1;
    }
    progress.update(done + m);
  }
  progress.finish();
  if (!file.commit()) {
    std::fprintf(stderr, "diaggauss sample: %s\n", file.error().c_str());
    return 1;
  }
  std::fprintf(stderr, "wrote %llu %s %s values to %s\n", (unsigned long long)total, o.dtype.c_str(), o.kind.c_str(),
               o.out.c_str());
  return 0;
}

}  // namespace

Runner add_sample(CLI::App& root) {
  auto o = std::make_shared<SampleOptions>();
  CLI::App* app = root.add_subcommand(
      "sample", "normals/uniforms to a .npy file, or raw Philox words to stdout (--raw, e.g. | dieharder -g 200 -a)");
  auto* n = app->add_option("--n", o->n, "values (rows with --dim; words with --raw, default: endless)")
                ->transform(u64_in(0, UINT64_MAX));
  auto* out = app->add_option("--out", o->out, "the .npy file (written whole or not at all)");
  auto* dim = app->add_option("--dim", o->dim, "columns per row")->transform(u64_in(1, 1u << 20))->capture_default_str();
  auto* dtype = app->add_option("--dtype", o->dtype, "value type")->check(CLI::IsMember({"f64", "f32"}))->capture_default_str();
  auto* kind = app->add_option("--kind", o->kind, "distribution")
                   ->check(CLI::IsMember({"normal", "uniform"}))
                   ->capture_default_str();
  app->add_option("--seed", o->seed, "Philox key")->transform(u64_in(0, UINT64_MAX))->capture_default_str();
  app->add_option("--stream", o->stream, "stream number")->transform(u64_in(0, UINT64_MAX))->capture_default_str();
  app->add_option("--offset", o->offset, "first value's index in the stream")
      ->transform(u64_in(0, UINT64_MAX))
      ->capture_default_str();
  auto* raw = app->add_flag("--raw", o->raw, "uint32 Philox words to stdout instead of a .npy file");
  raw->excludes(out)->excludes(dim)->excludes(dtype)->excludes(kind);
  // Without --raw both --n and --out are needed; checked after parsing, where CLI11 knows which were given.
  app->callback([o, n, out] {
    o->n_given = n->count() > 0;
    if (!o->raw && (n->count() == 0 || out->count() == 0))
      throw CLI::RequiredError(std::string(n->count() == 0 ? "--n" : "--out") +
                                   " is required (or --raw); see diaggauss sample --help",
                               CLI::ExitCodes::RequiredError);
    if (!o->raw) {
      if (const std::string why = check_output_path(o->out); !why.empty())
        throw CLI::ValidationError("--out", why);
    }
  });
  return [o] { return run_sample(*o); };
}

}  // namespace diaggauss::cli
