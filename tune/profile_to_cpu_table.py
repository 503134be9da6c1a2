#!/usr/bin/env python3
"""Print a tuning profile's choices as the C++ rows of a built-in CPU table (dispatch/cpu_tables.cpp).

    tune/profile_to_cpu_table.py PROFILE.json

Copies, for every kernel and size class, the implementation and the block sizes the tuner chose, followed by the
measured speed-up over the default of that run as a comment, so the table can be checked against its source.
Standard library only.  The output is pasted into cpu_tables.cpp by hand: the library never reads a profile for
its built-in tables.
"""
import json
import sys


# Parameters older profiles may hold that nothing reads any more (dispatch/profile.cpp's param_retired): left out of
# the rows, as the library ignores them on load.
RETIRED_NAMES = {"rhs_tile", "grain"}
RETIRED = {("diag_logpdf", "point_tile"), ("normal", "sample_chunk")}


def main(argv):
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    with open(argv[1]) as f:
        p = json.load(f)
    cpu = p["cpu"]
    print("// from a `diaggauss tune --%s` profile: %s (%s, family %d model %d), created %s, library %s"
          % (p["mode"], cpu["brand"], cpu["vendor"], cpu["family"], cpu["model"], p["created"], p["library_version"]))
    for kernel, classes in p["kernels"].items():
        for cls, ch in classes.items():
            params = ",".join("%s=%d" % (k, v) for k, v in sorted(ch["params"].items())
                              if k not in RETIRED_NAMES and (kernel, k) not in RETIRED)
            speedup = ch["throughput"] / ch["default_throughput"] if ch["default_throughput"] else 0
            row = '{"%s", "%s", "%s/%s", "%s"},' % (kernel, cls, ch["isa"], ch["family"], params)
            print("    %-78s // %.2fx %s" % (row, speedup, ch["default"]))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
