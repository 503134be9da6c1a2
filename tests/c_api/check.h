/* The C API tests' one assertion: report a failed condition with a printf-style reason and count it; main returns
 * the count's truth as its status. */
#ifndef DG_TESTS_C_API_CHECK_H
#define DG_TESTS_C_API_CHECK_H

#include <stdio.h>

static int failures = 0;
#define CHECK(cond, ...)                                              \
  do {                                                                \
    if (!(cond)) {                                                    \
      fprintf(stderr, "FAIL %s:%d: %s: ", __FILE__, __LINE__, #cond); \
      fprintf(stderr, __VA_ARGS__);                                   \
      fputc('\n', stderr);                                            \
      ++failures;                                                     \
    }                                                                 \
  } while (0)

#endif
