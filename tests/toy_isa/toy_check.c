/* Run by tests/scripts/check_toy_isa.sh against the library built with the toy ISA: the toy is registered,
 * selectable by name, runs its own solve_diag, and serves every other kernel with the scalar oracle's code. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "diaggauss/diaggauss.h"

extern unsigned long dg_toy_solve_diag_calls;

static int failures = 0;
#define EXPECT(cond, ...)                       \
  do {                                          \
    if (!(cond)) {                              \
      fprintf(stderr, "toy_check: FAILED: ");   \
      fprintf(stderr, __VA_ARGS__);             \
      fprintf(stderr, "\n");                    \
      ++failures;                               \
    }                                           \
  } while (0)

int main(void) {
  const double d[5] = {1.0, 2.0, 4.0, 8.0, -0.5}, b[5] = {1.0, 3.0, 5.0, 7.0, 9.0};
  double x[5];
  EXPECT(dg_force_isa("toy") == DG_OK, "dg_force_isa(\"toy\"): %s", dg_last_error());
  EXPECT(strcmp(dg_active("solve_diag"), "toy/intrinsics") == 0, "solve_diag runs on %s", dg_active("solve_diag"));
  EXPECT(strcmp(dg_active("diag_logpdf"), "toy/intrinsics") == 0, "diag_logpdf runs on %s",
         dg_active("diag_logpdf"));

  const unsigned long before = dg_toy_solve_diag_calls;
  EXPECT(dg_solve_diag_f64(5, d, b, x, NULL) == DG_OK, "dg_solve_diag_f64: %s", dg_last_error());
  EXPECT(dg_toy_solve_diag_calls == before + 1, "the toy's solve_diag ran %lu times, not once",
         dg_toy_solve_diag_calls - before);
  for (int i = 0; i < 5; ++i) EXPECT(x[i] == b[i] / d[i], "x[%d] = %g, not %g", i, x[i], b[i] / d[i]);

  /* A kernel the toy does not provide: the oracle's, under the toy's name. */
  const double X[2] = {0.5, -1.0}, mean[2] = {0.0, 0.0}, var[2] = {1.0, 4.0};
  double lp = 0.0;
  EXPECT(dg_diag_logpdf_f64(1, 2, X, mean, var, &lp) == DG_OK, "dg_diag_logpdf_f64: %s", dg_last_error());
  const double want = -log(2.0 * 3.14159265358979323846) - 0.5 * log(4.0) - 0.5 * (0.25 + 0.25);
  EXPECT(fabs(lp - want) < 1e-12, "diag_logpdf = %.17g, not %.17g", lp, want);

  /* Back on the oracle, the toy's kernel is not called. */
  EXPECT(dg_force_isa("scalar") == DG_OK, "dg_force_isa(\"scalar\"): %s", dg_last_error());
  EXPECT(dg_solve_diag_f64(5, d, b, x, NULL) == DG_OK, "dg_solve_diag_f64 on scalar: %s", dg_last_error());
  EXPECT(dg_toy_solve_diag_calls == before + 1, "the toy's solve_diag ran on the scalar ISA");

  if (failures) return 1;
  printf("toy_check: ok (toy/intrinsics registered and selected; its solve_diag ran; the oracle served the rest)\n");
  return 0;
}
