/* Environment overrides at their edge (issue 15), run by ctest with DIAGGAUSS_ISA=no-such-isa and
 * DIAGGAUSS_IMPL=scalar.  Documented result (diaggauss.h, docs/dispatch.md): the invalid DIAGGAUSS_ISA puts every
 * kernel in error (dg_active() returns "error", calls fail with the message) until the program calls
 * dg_force_isa / dg_force_impl; the valid DIAGGAUSS_IMPL is still honoured, so after dg_force_isa("auto") the
 * scalar family runs.  Before issue 15 DIAGGAUSS_IMPL was ignored whenever DIAGGAUSS_ISA was invalid. */
#include <stdio.h>
#include <string.h>

#include "diaggauss/diaggauss.h"

#include "check.h"

int main(void) {
  double z[4] = {0};
  const char* a = dg_active("normal");
  CHECK(a && strcmp(a, "error") == 0, "dg_active: %s", a ? a : "(null)");
  CHECK(strstr(dg_last_error(), "DIAGGAUSS_ISA") != NULL, "message: '%s'", dg_last_error());
  CHECK(dg_normal_f64(1, 2, 0, 4, z) == DG_E_UNKNOWN_NAME, "a kernel call ran despite the bad environment");
  CHECK(strstr(dg_last_error(), "no-such-isa") != NULL, "message: '%s'", dg_last_error());

  CHECK(dg_force_isa("auto") == DG_OK, "%s", dg_last_error());
  a = dg_active("normal");
  CHECK(a && strcmp(a, "scalar/scalar") == 0, "after dg_force_isa(\"auto\"): %s (DIAGGAUSS_IMPL=scalar ignored?)",
        a ? a : "(null)");
  CHECK(dg_normal_f64(1, 2, 0, 4, z) == DG_OK, "%s", dg_last_error());
  CHECK(strcmp(dg_last_error(), "") == 0, "last error after success: '%s'", dg_last_error());

  if (failures) {
    fprintf(stderr, "c_api_env_override: %d failure(s)\n", failures);
    return 1;
  }
  printf("c_api_env_override: all checks passed\n");
  return 0;
}
