#!/usr/bin/env bash
# check_mc_mpi.sh MPIRUN DIAGGAUSS: `mpirun -n 2` gives the same estimate bits as one process.
set -euo pipefail
mpirun=$1 bin=$2
args=(mc --components 4 --dim 3 --samples 100003 --seed 5 --json)
one=$("$bin" "${args[@]}" | grep '"estimate"')
two=$("$mpirun" --allow-run-as-root --oversubscribe -n 2 "$bin" "${args[@]}" | grep '"estimate"')
echo "1 process : $one"
echo "2 processes: $two"
[ "$one" = "$two" ] || { echo "MPI estimate differs from the one-process estimate"; exit 1; }
