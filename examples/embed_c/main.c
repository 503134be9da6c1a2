/* embed_c — a C99 program using the installed diaggauss C API: diagonal solve, log-densities, sampling, error
 * handling.  It prints what it computes, checks every result against a plain-C reference and exits non-zero on
 * any mismatch.  Built three ways by the consumer tests (examples/consumer_test.sh): through
 * find_package(diaggauss), through pkg-config, and inside the diaggauss build tree. */
#include <diaggauss/diaggauss.h>

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static int failures = 0;

#define CHECK(cond, ...)                                 \
  do {                                                   \
    if (!(cond)) {                                       \
      ++failures;                                        \
      fprintf(stderr, "MISMATCH %s:%d: ", __FILE__, __LINE__); \
      fprintf(stderr, __VA_ARGS__);                      \
      fputc('\n', stderr);                               \
    }                                                    \
  } while (0)

static int close_to(double got, double want, double rtol) {
  return fabs(got - want) <= rtol * (1.0 + fabs(want));
}

static void check_version(void) {
  printf("diaggauss %s (headers %s, %d.%d.%d)\n", dg_version(), DIAGGAUSS_VERSION_STRING, DIAGGAUSS_VERSION_MAJOR,
         DIAGGAUSS_VERSION_MINOR, DIAGGAUSS_VERSION_PATCH);
  CHECK(strcmp(dg_version(), DIAGGAUSS_VERSION_STRING) == 0, "dg_version() %s != header %s", dg_version(),
        DIAGGAUSS_VERSION_STRING);
#ifdef EMBED_EXPECT_VERSION
  /* The version the build system saw (CMake package version / pkg-config --modversion). */
  CHECK(strcmp(EMBED_EXPECT_VERSION, DIAGGAUSS_VERSION_STRING) == 0, "package version %s != header %s",
        EMBED_EXPECT_VERSION, DIAGGAUSS_VERSION_STRING);
#endif
  printf("solve_diag runs on %s, normal on %s\n", dg_active("solve_diag"), dg_active("normal"));
  CHECK(dg_active("solve_diag") != NULL && strchr(dg_active("solve_diag"), '/') != NULL, "dg_active(solve_diag)");
  CHECK(dg_active("no_such_kernel") == NULL, "dg_active(unknown) should be NULL");
}

static void check_solve(void) {
  enum { N = 37 };
  double d[N], b[N], x[N], inv[N], y[N];
  float df[N], bf[N], xf[N];
  size_t i;
  for (i = 0; i < N; ++i) {
    d[i] = 0.5 + 0.25 * (double)i * ((i % 2) ? -1.0 : 1.0);
    b[i] = 3.0 - 0.1 * (double)i;
    df[i] = (float)d[i];
    bf[i] = (float)b[i];
  }
  CHECK(dg_solve_diag_f64(N, d, b, x, NULL) == DG_OK, "dg_solve_diag_f64: %s", dg_last_error());
  CHECK(dg_solve_diag_f32(N, df, bf, xf, NULL) == DG_OK, "dg_solve_diag_f32: %s", dg_last_error());
  CHECK(dg_reciprocal_f64(N, d, inv, NULL) == DG_OK, "dg_reciprocal_f64: %s", dg_last_error());
  CHECK(dg_solve_diag_inv_f64(N, inv, b, y) == DG_OK, "dg_solve_diag_inv_f64: %s", dg_last_error());
  for (i = 0; i < N; ++i) {
    /* Bit-identical to IEEE division / reciprocal-and-multiply (the library's contract). */
    CHECK(x[i] == b[i] / d[i], "solve_diag_f64 x[%zu] = %.17g, want %.17g", i, x[i], b[i] / d[i]);
    CHECK(xf[i] == bf[i] / df[i], "solve_diag_f32 x[%zu] = %.9g, want %.9g", i, (double)xf[i], (double)(bf[i] / df[i]));
    CHECK(inv[i] == 1.0 / d[i], "reciprocal_f64 inv[%zu]", i);
    CHECK(y[i] == b[i] * (1.0 / d[i]), "solve_diag_inv_f64 x[%zu]", i);
  }
  printf("solve_diag: x[0..2] = %.6f %.6f %.6f (n = %d)\n", x[0], x[1], x[2], N);
}

static void check_logpdf(void) {
  enum { NP = 5, DIM = 3, K = 2 };
  const double X[NP * DIM] = {0.1, -0.2, 0.3, 1.0, 2.0, -1.0, 0.0, 0.0, 0.0, -3.0, 0.5, 0.25, 2.5, -1.5, 0.75};
  const double mean[DIM] = {0.0, 0.5, -0.5};
  const double var[DIM] = {1.0, 0.25, 4.0};
  const double w[K] = {0.3, 0.7};
  const double means[K * DIM] = {0.0, 0.5, -0.5, 1.0, -1.0, 0.0};
  const double vars[K * DIM] = {1.0, 0.25, 4.0, 2.0, 0.5, 1.0};
  const double log2pi = log(2.0 * 3.14159265358979323846);
  double out[NP], gout[NP], resp[NP * K];
  size_t p, j, k;
  CHECK(dg_diag_logpdf_f64(NP, DIM, X, mean, var, out) == DG_OK, "dg_diag_logpdf_f64: %s", dg_last_error());
  CHECK(dg_gmm_logpdf_f64(NP, DIM, K, X, w, means, vars, gout, resp) == DG_OK, "dg_gmm_logpdf_f64: %s",
        dg_last_error());
  for (p = 0; p < NP; ++p) {
    double ref = 0.0, mix = 0.0;
    for (j = 0; j < DIM; ++j) {
      const double z = X[p * DIM + j] - mean[j];
      ref += -0.5 * (log2pi + log(var[j]) + z * z / var[j]);
    }
    CHECK(close_to(out[p], ref, 1e-12), "diag_logpdf out[%zu] = %.17g, want %.17g", p, out[p], ref);
    for (k = 0; k < K; ++k) {
      double c = 0.0;
      for (j = 0; j < DIM; ++j) {
        const double z = X[p * DIM + j] - means[k * DIM + j];
        c += -0.5 * (log2pi + log(vars[k * DIM + j]) + z * z / vars[k * DIM + j]);
      }
      CHECK(close_to(resp[p * K + k], c, 1e-12), "gmm_logpdf resp[%zu][%zu] = %.17g, want %.17g", p, k,
            resp[p * K + k], c);
      mix += w[k] * exp(c);
    }
    CHECK(close_to(gout[p], log(mix), 1e-12), "gmm_logpdf out[%zu] = %.17g, want %.17g", p, gout[p], log(mix));
  }
  printf("diag_logpdf: %.6f %.6f ...  gmm_logpdf: %.6f %.6f ...\n", out[0], out[1], gout[0], gout[1]);
}

static void check_sampling(void) {
  /* Random123's first Philox4x32-10 known answer: key 0, counter 0 -> seed 0, stream 0, words 0..3. */
  const uint32_t kat[4] = {0x6627e8d5u, 0xe169c58du, 0xbc57ac4cu, 0x9b00dbd8u};
  uint32_t words[4];
  float uf[4];
  double z[64], z2[16], mean[4] = {1.0, -2.0, 0.0, 10.0}, sd[4] = {0.5, 2.0, 0.0, 3.0}, s[8 * 4];
  size_t i;
  CHECK(dg_uniform_u32(0, 0, 0, 4, words) == DG_OK, "dg_uniform_u32: %s", dg_last_error());
  CHECK(dg_uniform_f32(0, 0, 0, 4, uf) == DG_OK, "dg_uniform_f32: %s", dg_last_error());
  for (i = 0; i < 4; ++i) {
    CHECK(words[i] == kat[i], "uniform_u32 word %zu = %08x, want %08x", i, (unsigned)words[i], (unsigned)kat[i]);
    CHECK(uf[i] == (float)(((double)(words[i] >> 9) + 0.5) * ldexp(1.0, -23)), "uniform_f32 %zu", i);
  }
  /* Index-pure: a later offset gives the tail of a longer draw, bit for bit. */
  CHECK(dg_normal_f64(42, 7, 0, 64, z) == DG_OK, "dg_normal_f64: %s", dg_last_error());
  CHECK(dg_normal_f64(42, 7, 48, 16, z2) == DG_OK, "dg_normal_f64 offset: %s", dg_last_error());
  for (i = 0; i < 16; ++i) CHECK(z2[i] == z[48 + i], "normal offset 48 + %zu differs", i);
  for (i = 0; i < 64; ++i) CHECK(isfinite(z[i]) && fabs(z[i]) < 8.5, "normal z[%zu] = %g", i, z[i]);
  /* sample_diag: out[p][j] = mean[j] + stddev[j] * z[p*dim + j] with the same stream. */
  CHECK(dg_sample_diag_f64(42, 7, 0, 8, 4, mean, sd, s) == DG_OK, "dg_sample_diag_f64: %s", dg_last_error());
  for (i = 0; i < 32; ++i)
    CHECK(close_to(s[i], mean[i % 4] + sd[i % 4] * z[i], 1e-14), "sample_diag %zu = %.17g, want %.17g", i, s[i],
          mean[i % 4] + sd[i % 4] * z[i]);
  printf("uniform_u32(seed 0): %08x %08x %08x %08x  normal(seed 42, stream 7): %.6f %.6f ...\n", (unsigned)words[0],
         (unsigned)words[1], (unsigned)words[2], (unsigned)words[3], z[0], z[1]);
}

static void check_errors(void) {
  const double d[4] = {1.0, 2.0, 0.0, 4.0}, b[4] = {1.0, 1.0, 1.0, 1.0};
  double x[4] = {-7.0, -7.0, -7.0, -7.0};
  const double var_bad[2] = {1.0, -1.0}, X[2] = {0.0, 0.0}, mean[2] = {0.0, 0.0};
  const double w_bad[2] = {0.5, -0.1}, means[4] = {0, 0, 0, 0}, vars[4] = {1, 1, 1, 1};
  double out[2];
  size_t bad = 99, i;
  int st = dg_solve_diag_f64(4, d, b, x, &bad);
  printf("zero pivot: status %d (%s), bad_index %zu, message \"%s\"\n", st, dg_status_string(st), bad, dg_last_error());
  CHECK(st == DG_E_SINGULAR, "zero diagonal: status %d, want DG_E_SINGULAR", st);
  CHECK(bad == 2, "bad_index %zu, want 2", bad);
  CHECK(strstr(dg_last_error(), "d[2]") != NULL, "message should name d[2]: %s", dg_last_error());
  for (i = 0; i < 4; ++i) CHECK(x[i] == -7.0, "output written on error (x[%zu] = %g)", i, x[i]);
  st = dg_diag_logpdf_f64(1, 2, X, mean, var_bad, out);
  CHECK(st == DG_E_INVALID_ARGUMENT, "negative variance: status %d", st);
  st = dg_gmm_logpdf_f64(1, 2, 2, X, w_bad, means, vars, out, NULL);
  CHECK(st == DG_E_BAD_WEIGHTS, "a negative weight: status %d", st);
  st = dg_solve_diag_f64(4, NULL, b, x, NULL);
  CHECK(st == DG_E_NULL_POINTER, "NULL d: status %d", st);
  st = dg_force_isa("not-an-isa");
  CHECK(st == DG_E_UNKNOWN_NAME, "dg_force_isa(bogus): status %d", st);
  CHECK(strlen(dg_last_error()) > 0, "dg_force_isa(bogus) left no message");
  /* Force the scalar ISA (with the default family: a DIAGGAUSS_IMPL family may have no scalar version). */
  CHECK(dg_force_impl("auto") == DG_OK, "dg_force_impl(auto): %s", dg_last_error());
  CHECK(dg_force_isa("scalar") == DG_OK, "dg_force_isa(scalar): %s", dg_last_error());
  CHECK(strncmp(dg_active("solve_diag"), "scalar/", 7) == 0, "forced scalar, active %s", dg_active("solve_diag"));
  CHECK(dg_force_isa("auto") == DG_OK, "dg_force_isa(auto): %s", dg_last_error());
  CHECK(strlen(dg_status_string(DG_E_SINGULAR)) > 0, "dg_status_string");
}

int main(void) {
  check_version();
  check_solve();
  check_logpdf();
  check_sampling();
  check_errors();
  if (failures) {
    fprintf(stderr, "embed_c: %d mismatch(es)\n", failures);
    return 1;
  }
  printf("embed_c: all checks passed\n");
  return 0;
}
