/* version_macros test: the generated diaggauss/version.h, dg_version() and the CMake project version agree, and
 * dg_stream_version() is the header's DG_STREAM_VERSION. */
#include <diaggauss/diaggauss.h>

#include <stdio.h>
#include <string.h>

#define DG_STR2(x) #x
#define DG_STR(x) DG_STR2(x)

int main(void) {
  int bad = 0;
  const char* from_parts =
      DG_STR(DIAGGAUSS_VERSION_MAJOR) "." DG_STR(DIAGGAUSS_VERSION_MINOR) "." DG_STR(DIAGGAUSS_VERSION_PATCH);
  printf("project %s, DIAGGAUSS_VERSION_STRING %s, MAJOR.MINOR.PATCH %s, dg_version() %s\n", DG_EXPECT_VERSION,
         DIAGGAUSS_VERSION_STRING, from_parts, dg_version());
  if (strcmp(DIAGGAUSS_VERSION_STRING, DG_EXPECT_VERSION) != 0) bad = 1, fprintf(stderr, "version.h != project\n");
  if (strcmp(from_parts, DG_EXPECT_VERSION) != 0) bad = 1, fprintf(stderr, "MAJOR.MINOR.PATCH != project\n");
  if (DIAGGAUSS_VERSION_MAJOR != DG_EXPECT_MAJOR || DIAGGAUSS_VERSION_MINOR != DG_EXPECT_MINOR ||
      DIAGGAUSS_VERSION_PATCH != DG_EXPECT_PATCH)
    bad = 1, fprintf(stderr, "numeric macros != project\n");
  if (strcmp(dg_version(), DG_EXPECT_VERSION) != 0) bad = 1, fprintf(stderr, "dg_version() != project\n");
  printf("DG_STREAM_VERSION %d, dg_stream_version() %d\n", DG_STREAM_VERSION, dg_stream_version());
  if (DG_STREAM_VERSION < 1 || dg_stream_version() != DG_STREAM_VERSION)
    bad = 1, fprintf(stderr, "dg_stream_version() != DG_STREAM_VERSION\n");
  return bad;
}
