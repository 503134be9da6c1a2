// `diaggauss sample`: standard normals (or uniforms) to a .npy file, or raw Philox words to stdout for external
// test batteries (`diaggauss sample --raw | dieharder -g 200 -a`).
#include <cerrno>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "diaggauss/diaggauss.h"
#include "tools/commands.hpp"
#include "tools/npy_writer.hpp"

namespace diaggauss::cli {

static bool parse_u64(const std::string& s, std::uint64_t& out) {
  if (s.empty()) return false;
  char* end = nullptr;
  errno = 0;
  out = std::strtoull(s.c_str(), &end, 0);
  return errno == 0 && end && *end == '\0' && s[0] != '-';
}

static int raw_words(std::uint64_t seed, std::uint64_t stream, std::uint64_t offset, std::uint64_t limit, bool bounded) {
  std::signal(SIGPIPE, SIG_IGN);  // a closed pipe (dieharder done) ends the stream quietly
  std::vector<std::uint32_t> buf(1 << 16);
  std::uint64_t done = 0;
  while (!bounded || done < limit) {
    const std::size_t n = bounded ? static_cast<std::size_t>(std::min<std::uint64_t>(buf.size(), limit - done)) : buf.size();
    if (dg_uniform_u32(seed, stream, offset + done, n, buf.data()) != DG_OK) {
      std::fprintf(stderr, "diaggauss sample: %s\n", dg_last_error());
      return 1;
    }
    if (std::fwrite(buf.data(), sizeof(std::uint32_t), n, stdout) != n) return bounded ? 1 : 0;
    done += n;
  }
  return std::fflush(stdout) == 0 ? 0 : 1;
}

int cmd_sample(const Args& args) {
  std::uint64_t n = 0, seed = 0, stream = 0, offset = 0, dim = 1;
  const std::string n_s = args.value("--n"), dtype = args.value("--dtype", "f64"), out = args.value("--out");
  const std::string kind = args.value("--kind", "normal");
  if (!parse_u64(args.value("--seed", "0"), seed) || !parse_u64(args.value("--stream", "0"), stream) ||
      !parse_u64(args.value("--offset", "0"), offset) || !parse_u64(args.value("--dim", "1"), dim) || dim == 0) {
    std::fprintf(stderr, "diaggauss sample: --seed, --stream, --offset and --dim take non-negative integers (dim >= 1)\n");
    return 2;
  }
  if (!n_s.empty() && !parse_u64(n_s, n)) {
    std::fprintf(stderr, "diaggauss sample: --n takes a non-negative integer, got '%s'\n", n_s.c_str());
    return 2;
  }
  if (args.has("--raw")) return raw_words(seed, stream, offset, n, !n_s.empty());
  if (n_s.empty() || out.empty()) {
    std::fprintf(stderr,
                 "usage: diaggauss sample --n N --out FILE.npy [--dim D] [--dtype f64|f32] [--kind normal|uniform]\n"
                 "                        [--seed S] [--stream K] [--offset O]\n"
                 "       diaggauss sample --raw [--n WORDS] [--seed S] [--stream K]   (uint32 words to stdout)\n");
    return 2;
  }
  if (dtype != "f64" && dtype != "f32") {
    std::fprintf(stderr, "diaggauss sample: --dtype must be f64 or f32, got '%s'\n", dtype.c_str());
    return 2;
  }
  if (kind != "normal" && kind != "uniform") {
    std::fprintf(stderr, "diaggauss sample: --kind must be normal or uniform, got '%s'\n", kind.c_str());
    return 2;
  }
  std::size_t total;
  if (__builtin_mul_overflow(static_cast<std::size_t>(n), static_cast<std::size_t>(dim), &total)) {
    std::fprintf(stderr, "diaggauss sample: --n x --dim overflows\n");
    return 2;
  }
  std::FILE* f = std::fopen(out.c_str(), "wb");
  if (!f) {
    std::fprintf(stderr, "diaggauss sample: cannot open '%s' for writing\n", out.c_str());
    return 1;
  }
  const bool f64 = dtype == "f64";
  std::vector<std::size_t> shape = {static_cast<std::size_t>(n)};
  if (dim > 1) shape.push_back(static_cast<std::size_t>(dim));
  bool ok = write_npy_header(f, f64 ? "<f8" : "<f4", shape);
  // Chunked so that memory stays bounded for any n; the stream is index-pure, so chunks equal one call.
  const std::size_t chunk = 1 << 20;
  std::vector<double> bd(f64 ? chunk : 0);
  std::vector<float> bf(f64 ? 0 : chunk);
  for (std::size_t done = 0; ok && done < total; done += chunk) {
    const std::size_t m = std::min(chunk, total - done);
    int st;
    if (f64) st = kind == "normal" ? dg_normal_f64(seed, stream, offset + done, m, bd.data())
                                   : dg_uniform_f64(seed, stream, offset + done, m, bd.data());
    else st = kind == "normal" ? dg_normal_f32(seed, stream, offset + done, m, bf.data())
                               : dg_uniform_f32(seed, stream, offset + done, m, bf.data());
    if (st != DG_OK) {
      std::fprintf(stderr, "diaggauss sample: %s\n", dg_last_error());
      ok = false;
      break;
    }
    ok = f64 ? std::fwrite(bd.data(), 8, m, f) == m : std::fwrite(bf.data(), 4, m, f) == m;
  }
  if (std::fclose(f) != 0) ok = false;
  if (!ok) {
    std::fprintf(stderr, "diaggauss sample: writing '%s' failed\n", out.c_str());
    return 1;
  }
  std::fprintf(stderr, "wrote %zu %s %s values to %s\n", total, dtype.c_str(), kind.c_str(), out.c_str());
  return 0;
}

}  // namespace diaggauss::cli
