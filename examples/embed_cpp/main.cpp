// embed_cpp — a C++17 program using the installed diaggauss C++ API (diaggauss.hpp): solves, log-densities,
// sampling with diaggauss::Stream and threaded fills, the Monte Carlo engine (mc.hpp), and errors caught as
// diaggauss::Error.  Prints its results,
// checks them against plain C++ references and exits non-zero on any mismatch.
#include <diaggauss/diaggauss.hpp>
#include <diaggauss/mc.hpp>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

namespace {

int failures = 0;

void check(bool ok, const std::string& what) {
  if (!ok) {
    ++failures;
    std::fprintf(stderr, "MISMATCH: %s\n", what.c_str());
  }
}

bool close_to(double got, double want, double rtol) { return std::fabs(got - want) <= rtol * (1.0 + std::fabs(want)); }

void check_solve() {
  const std::size_t n = 1000, nrhs = 3;
  std::vector<double> d(n), b(n), x(n), inv(n), y(n), B(n * nrhs), X(n * nrhs);
  std::vector<float> df(n), bf(n), xf(n);
  for (std::size_t i = 0; i < n; ++i) {
    d[i] = 1.0 + 0.001 * static_cast<double>(i);
    b[i] = std::sin(static_cast<double>(i));
    df[i] = static_cast<float>(d[i]);
    bf[i] = static_cast<float>(b[i]);
    for (std::size_t j = 0; j < nrhs; ++j) B[i * nrhs + j] = b[i] + static_cast<double>(j);
  }
  diaggauss::solve_diag(n, d.data(), b.data(), x.data());
  diaggauss::solve_diag(n, df.data(), bf.data(), xf.data());
  diaggauss::reciprocal(n, d.data(), inv.data());
  diaggauss::solve_diag_inv(n, inv.data(), b.data(), y.data());
  diaggauss::solve_diag_multi(n, nrhs, d.data(), B.data(), nrhs, X.data(), nrhs);
  int bad = 0;
  for (std::size_t i = 0; i < n; ++i) {
    bad += x[i] != b[i] / d[i];
    bad += xf[i] != bf[i] / df[i];
    bad += inv[i] != 1.0 / d[i];
    bad += y[i] != b[i] * inv[i];
    for (std::size_t j = 0; j < nrhs; ++j) bad += X[i * nrhs + j] != B[i * nrhs + j] * (1.0 / d[i]);
  }
  check(bad == 0, "solve family: " + std::to_string(bad) + " values differ from IEEE division");
  // In place (x == b is allowed).
  std::vector<double> inplace = b;
  diaggauss::solve_diag(n, d.data(), inplace.data(), inplace.data());
  check(inplace == x, "solve_diag in place differs");
  std::printf("solve_diag (%zu): x[1] = %.12f, solve_diag_multi X[1][2] = %.12f\n", n, x[1], X[1 * nrhs + 2]);
}

void check_logpdf() {
  const std::size_t np = 4, dim = 2, k = 3;
  const std::vector<double> X = {0.0, 0.0, 1.0, -1.0, 2.5, 0.5, -4.0, 3.0};
  const std::vector<double> w = {0.2, 0.5, 0.3};
  const std::vector<double> means = {0.0, 0.0, 1.0, 1.0, -2.0, 2.0};
  const std::vector<double> vars = {1.0, 1.0, 0.5, 2.0, 3.0, 0.25};
  std::vector<double> out(np), resp(np * k), single(np);
  diaggauss::gmm_logpdf(np, dim, k, X.data(), w.data(), means.data(), vars.data(), out.data(), resp.data());
  diaggauss::diag_logpdf(np, dim, X.data(), means.data(), vars.data(), single.data());
  const double log2pi = std::log(2.0 * 3.14159265358979323846);
  for (std::size_t p = 0; p < np; ++p) {
    double mix = 0.0;
    for (std::size_t c = 0; c < k; ++c) {
      double lp = 0.0;
      for (std::size_t j = 0; j < dim; ++j) {
        const double z = X[p * dim + j] - means[c * dim + j];
        lp += -0.5 * (log2pi + std::log(vars[c * dim + j]) + z * z / vars[c * dim + j]);
      }
      check(close_to(resp[p * k + c], lp, 1e-12), "gmm resp " + std::to_string(p) + "," + std::to_string(c));
      if (c == 0) check(close_to(single[p], lp, 1e-12), "diag_logpdf " + std::to_string(p));
      mix += w[c] * std::exp(lp);
    }
    check(close_to(out[p], std::log(mix), 1e-12), "gmm_logpdf " + std::to_string(p));
  }
  std::printf("gmm_logpdf: %.9f %.9f %.9f %.9f\n", out[0], out[1], out[2], out[3]);
}

void check_sampling() {
  // A Stream continues where it stopped: two draws of 512 (whole chunks of 64) equal one draw of 1024.
  diaggauss::Stream s1(2024, 3), s2(2024, 3);
  const std::vector<double> a = s1.normal<double>(512), b = s1.normal<double>(512), all = s2.normal<double>(1024);
  check(s1.position() == 16 * 24, "Stream position");  // counts Philox blocks: 24 per 64 double normals
  bool same = true;
  for (std::size_t i = 0; i < 512; ++i) same = same && a[i] == all[i] && b[i] == all[512 + i];
  check(same, "Stream draws are not a continuation");
  // Threaded fill: bit-identical for any thread count.
  const std::size_t n = 1 << 18;
  std::vector<float> one(n), four(n);
  diaggauss::normal(99, 0, 12345, n, one.data(), 1);
  diaggauss::normal(99, 0, 12345, n, four.data(), 4);
  check(one == four, "threaded normal fill differs from the single-threaded one");
  double mean = 0.0, m2 = 0.0;
  for (float v : one) mean += v;
  mean /= static_cast<double>(n);
  for (float v : one) m2 += (v - mean) * (v - mean);
  m2 /= static_cast<double>(n);
  check(std::fabs(mean) < 0.02 && std::fabs(m2 - 1.0) < 0.02, "normal moments " + std::to_string(mean) + " " +
                                                                  std::to_string(m2));
  // Mixture sampling with labels.
  const std::vector<double> w = {0.25, 0.75}, means = {-5.0, 5.0}, sds = {0.1, 0.1};
  std::vector<double> pts(4000);
  std::vector<std::uint32_t> labels(4000);
  diaggauss::sample_gmm(7, 0, 0, 4000, 1, 2, w.data(), means.data(), sds.data(), pts.data(), labels.data());
  std::size_t ones = 0;
  bool consistent = true;
  for (std::size_t p = 0; p < pts.size(); ++p) {
    ones += labels[p];
    consistent = consistent && labels[p] < 2 && std::fabs(pts[p] - means[labels[p]]) < 1.0;
  }
  check(consistent, "sample_gmm points do not match their labels");
  check(ones > 2800 && ones < 3200, "sample_gmm component 1 frequency " + std::to_string(ones) + "/4000");
  std::printf("normal(seed 2024, stream 3): %.9f %.9f ...; sample_gmm: %zu/4000 from component 1\n", all[0], all[1],
              ones);
}

void check_errors() {
  const std::vector<double> d = {1.0, 2.0, 0.0}, b = {1.0, 1.0, 1.0};
  std::vector<double> x(3, -1.0);
  try {
    diaggauss::solve_diag(3, d.data(), b.data(), x.data());
    check(false, "solve_diag with a zero diagonal did not throw");
  } catch (const diaggauss::Error& e) {
    std::printf("caught diaggauss::Error: status %d (%s): %s\n", e.status(), dg_status_string(e.status()), e.what());
    check(e.status() == DG_E_SINGULAR, "status " + std::to_string(e.status()) + ", want DG_E_SINGULAR");
    check(std::string(e.what()).find("d[2]") != std::string::npos, "message should name d[2]");
  }
  check(x == std::vector<double>(3, -1.0), "output written on error");
  try {
    diaggauss::force_isa("pentium-mmx");
    check(false, "force_isa(bogus) did not throw");
  } catch (const diaggauss::Error& e) {
    check(e.status() == DG_E_UNKNOWN_NAME, "force_isa status " + std::to_string(e.status()));
  }
  try {
    (void)diaggauss::active("nope");
    check(false, "active(unknown) did not throw");
  } catch (const diaggauss::Error& e) {
    check(e.status() == DG_E_UNKNOWN_NAME, "active status");
  }
  // diaggauss::Error is a std::runtime_error.
  try {
    const std::vector<double> v = {1.0, -1.0};
    std::vector<double> o(1);
    diaggauss::diag_logpdf(1, 2, v.data(), v.data(), v.data(), o.data());
    check(false, "negative variance did not throw");
  } catch (const std::runtime_error& e) {
    check(dynamic_cast<const diaggauss::Error*>(&e) != nullptr, "not a diaggauss::Error");
  }
}

// The Monte Carlo engine: one Gaussian's entropy has a closed form, and the thread count changes no bit.
void check_mc() {
  namespace mc = diaggauss::mc;
  const mc::Mixture m = mc::random_mixture(1, 3, 5);
  mc::Config c;
  c.samples = 100000;
  const mc::Result one = mc::entropy(m, c);
  c.threads = 2;
  const mc::Result two = mc::entropy(m, c);
  check(two.estimate == one.estimate, "mc: the estimate depends on the thread count");
  check(std::fabs(one.estimate - mc::single_gaussian_entropy(m)) < 5 * one.std_error,
        "mc: the estimate is more than 5 standard errors from the closed form");
}

}  // namespace

int main() {
  std::printf("diaggauss %s (headers %s); solve_diag on %s, gmm_logpdf on %s\n", diaggauss::version().c_str(),
              DIAGGAUSS_VERSION_STRING, diaggauss::active("solve_diag").c_str(), diaggauss::active("gmm_logpdf").c_str());
  check(diaggauss::version() == DIAGGAUSS_VERSION_STRING, "dg_version() differs from the headers' version");
#ifdef EMBED_EXPECT_VERSION
  check(std::string(EMBED_EXPECT_VERSION) == DIAGGAUSS_VERSION_STRING, "package version differs from the headers'");
#endif
  try {
    check_solve();
    check_logpdf();
    check_sampling();
    check_errors();
    check_mc();
  } catch (const diaggauss::Error& e) {
    std::fprintf(stderr, "unexpected diaggauss::Error %d: %s\n", e.status(), e.what());
    return 1;
  }
  if (failures) {
    std::fprintf(stderr, "embed_cpp: %d mismatch(es)\n", failures);
    return 1;
  }
  std::printf("embed_cpp: all checks passed\n");
  return 0;
}
