#!/usr/bin/env bash
# Lists the HDF5 objects whose values differ between two rotor result files, ignoring the
# attributes that name the run itself (time, command line, version, commit). Empty output and
# exit 0 mean the results are bit-identical: used to check that a speed change changed nothing.
# Usage: bench/same_results.sh A.h5 B.h5
set -euo pipefail
h5diff -r "$1" "$2" | awk '
  /^(attribute|dataset|group):/ { what = $0 }
  /differences found/ && $1 != "0" { print what }
' | grep -vE '<(created_utc|command_line|rotor_version|git_commit) of' || true
