#!/usr/bin/env bash
# Times the bundled model backtest (scenarios/checks/backtest_model.yaml: 360 monthly starts x
# 1,000 paths x 12 months, three conditionings), median of N runs (default 3), and checks that
# one and two threads write the same scores and outcomes.
# Usage: bench/backtest_model_bench.sh [BUILD_DIR] [N]
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
n=${2:-3}
[ -x "$build/tools/rotor/rotor" ] || tools/dev/build "$build"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
rotor="$build/tools/rotor/rotor"
# The comparison reads HDF5 with h5py (Debian's python3-h5py).
py=$(command -v /usr/bin/python3 || command -v python3)
spec=scenarios/checks/backtest_model.yaml
printf 'backtest-model, 360 starts x 1000 paths x 12 months, 2 threads: '
python3 bench/median_ms.py "$n" "$rotor" backtest-model "$spec" -o "$work/b2.h5" --force --quiet --threads 2
"$rotor" backtest-model "$spec" -o "$work/b1.h5" --force --quiet --threads 1
"$py" - "$work/b1.h5" "$work/b2.h5" <<'PY'
import sys, h5py, numpy as np
a, b = h5py.File(sys.argv[1]), h5py.File(sys.argv[2])
def walk(g, out):
    for k, v in g.items():
        if isinstance(v, h5py.Group): walk(v, out)
        else: out[v.name] = v[()]
da, db = {}, {}
walk(a["backtest"], da); walk(b["backtest"], db)
assert da.keys() == db.keys()
for k in da:
    x, y = da[k], db[k]
    if isinstance(x, np.ndarray) and x.dtype != object:
        same = x.tobytes() == y.tobytes()  # bit for bit
    else:
        same = list(np.ravel(x)) == list(np.ravel(y))  # variable-length strings
    assert same, k
print(f"1 and 2 threads: {len(da)} datasets identical")
PY
