#!/usr/bin/env bash
# layers: every #include of a project header must point down the layers (or stay in its own folder), never up.
# The rules and why they are what they are: docs/layers.md.  Lowest first:
#
#   include    include/diaggauss/  public headers: include only each other (and the standard library)
#   kernels    kernels/            the implementations
#   dispatch   dispatch/           CPU detection, registry, selection, profiles
#   src        src/                the C API layer (validation, errors)
#   mc         mc/                 the Monte Carlo engine (diaggauss/mc.h)
#   tune       tune/               the autotuner (the CLI's static library diaggauss_tune)
#   tools, bench, tests            the CLI, the benchmarks, the unit tests: each may use every layer above,
#                                  but not each other
#   examples, python               consumers: the public headers only (they show what a user can write)
#
# A folder may include its own files and those of any lower layer.  An include names a project header when its
# path starts with a layer folder or with diaggauss/ (the public headers, include/diaggauss/), in quotes or in
# angle brackets; a quoted name found next to the including file is in its own folder; anything else (hwy/...,
# CLI/..., the standard library) is a third-party header and not checked.
#
#   check_layers.sh [SOURCE_DIR]     (default: the checkout this script is in)
# Prints every offending file:line with the rule it breaks and exits 1; prints a one-line summary and exits 0
# when the tree is clean.
set -euo pipefail

root=${1:-"$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"}
cd "$root" || { echo "layers: no source folder $root" >&2; exit 2; }

folders=(include kernels dispatch src mc tune tools bench tests examples python)

# The layer a project path belongs to ("" when it is not a project path).
layer_of() {
  case $1 in
    diaggauss/* | include/*) echo include ;;
    kernels/* | dispatch/* | src/* | mc/* | tune/* | tools/* | bench/* | tests/* | examples/* | python/*) echo "${1%%/*}" ;;
    *) echo "" ;;
  esac
}

rank_of() {
  case $1 in
    include) echo 0 ;;
    kernels) echo 1 ;;
    dispatch) echo 2 ;;
    src) echo 3 ;;
    mc) echo 4 ;;
    tune) echo 5 ;;
    tools | bench | tests) echo 6 ;;
    examples | python) echo 7 ;;
  esac
}

# "" when `from` may include `to`, else the rule that forbids it.
rule_broken() {
  local from=$1 to=$2
  [[ $from == "$to" || $to == include ]] && return 0
  case $from in
    examples | python)
      echo "$from/ is a consumer of the library: it may include only the public headers (diaggauss/...)"
      return 0
      ;;
  esac
  local rf rt
  rf=$(rank_of "$from") rt=$(rank_of "$to")
  if ((rt >= rf)); then
    if ((rt == rf)); then
      echo "$from/ and $to/ are side by side at the top: neither may include the other"
    else
      echo "$from/ may not include $to/, a higher layer (include < kernels < dispatch < src < mc < tune < tools, bench, tests)"
    fi
  fi
}

present=()
for f in "${folders[@]}"; do [[ -d $f ]] && present+=("$f"); done
((${#present[@]})) || { echo "layers: none of ${folders[*]} in $root" >&2; exit 2; }

bad=0 checked=0
files=$(find "${present[@]}" -type f \( -name '*.c' -o -name '*.cc' -o -name '*.cpp' -o -name '*.h' -o -name '*.hpp' \
          -o -name '*.inc' \) | LC_ALL=C sort)
nfiles=$(wc -l <<<"$files")
# file:line:text of every #include line (grep -H: the file name even when there is only one).
while IFS= read -r hit; do
  file=${hit%%:*} rest=${hit#*:}
  lineno=${rest%%:*} line=${rest#*:}
  [[ $line =~ ^[[:space:]]*#[[:space:]]*include[[:space:]]*([\"\<])([^\"\>]+)[\"\>] ]] || continue
  open=${BASH_REMATCH[1]} path=${BASH_REMATCH[2]}
  to=$(layer_of "$path")
  [[ -n $to ]] || continue  # a name in its own folder, or a third-party / system header
  # A quoted name that exists next to the including file is that file (its own folder), whatever it starts with.
  [[ $open == '"' && -e "$(dirname "$file")/$path" ]] && continue
  checked=$((checked + 1))
  why=$(rule_broken "$(layer_of "$file")" "$to")
  if [[ -n $why ]]; then
    close='"'
    [[ $open == '<' ]] && close='>'
    echo "$file:$lineno: #include $open$path$close: $why"
    bad=1
  fi
done < <(xargs -r grep -HnE '^[[:space:]]*#[[:space:]]*include' <<<"$files")

if ((bad)); then
  echo "layers: FAILED (rules: tests/scripts/check_layers.sh, docs/layers.md)"
  exit 1
fi
echo "layers: ok ($checked project includes in $nfiles files point down the layers or stay in their folder)"
