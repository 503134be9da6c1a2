/* No C++ exception crosses the C API (issue 15): a C program lowers its address-space limit so that the
 * library's scratch buffers cannot be allocated, and every such call must come back as DG_E_NOMEM with a
 * message, nothing written, instead of std::bad_alloc unwinding into C (std::terminate, abort).  Also:
 * dg_last_error() is "" after a success.  Plain C99 against the public header and the shared library.
 * Not run under sanitizers (they reserve terabytes of address space) or qemu (which does not apply RLIMIT_AS). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "diaggauss/diaggauss.h"

#include "check.h"

/* Virtual memory in use now (VmSize), in bytes; 0 when unknown. */
static size_t vm_size(void) {
  FILE* f = fopen("/proc/self/status", "r");
  char line[256];
  size_t kb = 0;
  if (!f) return 0;
  while (fgets(line, sizeof line, f))
    if (sscanf(line, "VmSize: %zu kB", &kb) == 1) break;
  fclose(f);
  return kb * 1024;
}

int main(void) {
  enum { N = 8 * 1024 * 1024 }; /* 64 MB of doubles: the scratch the calls below need */
  const double w1 = 1.0;
  double out = -12345.0, small[4] = {1, 1, 1, 1};
  double* buf = malloc((size_t)N * sizeof(double));
  size_t i;
  struct rlimit saved, tight;
  if (!buf) {
    fprintf(stderr, "cannot allocate the test buffer\n");
    return 2;
  }
  for (i = 0; i < N; ++i) buf[i] = 1.0; /* X = mean = var = 1: valid, and the buffers may share memory */

  /* Warm up (the dispatcher chooses on the first call) and check "" after success. */
  CHECK(dg_diag_logpdf_f64(1, 4, small, small, small, &out) == DG_OK, "%s", dg_last_error());
  CHECK(dg_force_isa("no-such-isa") == DG_E_UNKNOWN_NAME, "force_isa accepted a bad name");
  CHECK(strlen(dg_last_error()) > 0, "no message after an error");
  CHECK(dg_diag_logpdf_f64(1, 4, small, small, small, &out) == DG_OK, "%s", dg_last_error());
  CHECK(strcmp(dg_last_error(), "") == 0, "last error after success: '%s'", dg_last_error());

  if (getrlimit(RLIMIT_AS, &saved) != 0 || vm_size() == 0) {
    fprintf(stderr, "SKIP: no RLIMIT_AS or /proc/self/status here\n");
    free(buf);
    return 77;
  }
  tight = saved;
  tight.rlim_cur = vm_size() + 16u * 1024 * 1024; /* room for small allocations, not for 64 MB */
  CHECK(setrlimit(RLIMIT_AS, &tight) == 0, "setrlimit failed");

  out = -12345.0;
  CHECK(dg_diag_logpdf_f64(1, N, buf, buf, buf, &out) == DG_E_NOMEM, "diag_logpdf status: %s", dg_last_error());
  CHECK(strstr(dg_last_error(), "dg_diag_logpdf_f64") != NULL, "message: '%s'", dg_last_error());
  CHECK(strstr(dg_last_error(), "out of memory") != NULL, "message: '%s'", dg_last_error());
  CHECK(out == -12345.0, "output written on error: %g", out);

  CHECK(dg_gmm_logpdf_f64(1, N, 1, buf, &w1, buf, buf, &out, NULL) == DG_E_NOMEM, "gmm_logpdf status: %s",
        dg_last_error());
  CHECK(strstr(dg_last_error(), "dg_gmm_logpdf_f64") != NULL, "message: '%s'", dg_last_error());
  CHECK(out == -12345.0, "output written on error: %g", out);
  /* The entry points that once skipped the common boundary: responsibilities (its own log-density scratch when
   * out is NULL) threw std::bad_alloc into C; the _ld row buffer came back as DG_E_INTERNAL. */
  CHECK(dg_gmm_responsibilities_f64(N, 1, 1, buf, &w1, buf, buf, NULL, buf) == DG_E_NOMEM,
        "gmm_responsibilities status: %s", dg_last_error());
  CHECK(strstr(dg_last_error(), "dg_gmm_responsibilities_f64") != NULL, "message: '%s'", dg_last_error());
  CHECK(buf[0] == 1.0 && buf[N - 1] == 1.0, "resp written on error");
  CHECK(dg_whiten_ld_f64(DG_COL_MAJOR, 2, N / 2, buf, 2, buf, buf, buf, 2) == DG_E_NOMEM, "whiten_ld status: %s",
        dg_last_error());
  CHECK(strstr(dg_last_error(), "dg_whiten_ld_f64") != NULL, "message: '%s'", dg_last_error());
  CHECK(buf[0] == 1.0 && buf[N - 1] == 1.0, "Z written on error");
  CHECK(dg_sample_diag_var_f64(1, 0, 0, 1, N, buf, buf, buf) == DG_E_NOMEM, "sample_diag_var status: %s",
        dg_last_error());
  CHECK(strstr(dg_last_error(), "dg_sample_diag_var_f64") != NULL, "message: '%s'", dg_last_error());
  CHECK(buf[0] == 1.0 && buf[N - 1] == 1.0, "out written on error");
  CHECK(strcmp(dg_status_string(DG_E_NOMEM), "out of memory") == 0, "status string: %s",
        dg_status_string(DG_E_NOMEM));

  CHECK(setrlimit(RLIMIT_AS, &saved) == 0, "restoring the limit failed");
  /* With memory back, the same call works and clears the message. */
  CHECK(dg_diag_logpdf_f64(1, N, buf, buf, buf, &out) == DG_OK, "%s", dg_last_error());
  CHECK(strcmp(dg_last_error(), "") == 0, "last error after success: '%s'", dg_last_error());
  CHECK(out < 0 && out > -1e8, "log-density %g", out);

  free(buf);
  if (failures) {
    fprintf(stderr, "c_api_nomem: %d failure(s)\n", failures);
    return 1;
  }
  printf("c_api_nomem: all checks passed\n");
  return 0;
}
