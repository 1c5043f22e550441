#!/usr/bin/env bash
# Benchmarks rotor: engine time (Google Benchmark, medians of repetitions) and the whole
# `rotor run` (process start to HDF5 renamed into place), median of repeated runs.
# Usage: bench/run_bench.sh [BUILD_DIR]   (Release build; tools/dev/build does one)
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
[ -x "$build/bench/rotor_bench_engine" ] || tools/dev/build "$build" -DROTOR_BUILD_BENCH=ON
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

echo "== engine time (median of 10 repetitions)"
"$build/bench/rotor_bench_engine" --benchmark_repetitions=10 --benchmark_report_aggregates_only=true \
  --benchmark_min_time=0.2 2>/dev/null | grep -E "median|Benchmark|^-" || true

"$build/bench/rotor_make_synthetic" "$work"

# Median wall and CPU time of N runs of a command (see bench/median_ms.py).
median_ms() { python3 bench/median_ms.py "$@"; }

echo "== whole rotor run, median of 30"
printf 'rotation_2000_2025 (7 strategies, 4 assets, 2000-2025): '
median_ms 30 "$build/tools/rotor/rotor" run scenarios/rotation_2000_2025.yaml -o "$work/rot.h5" --force --quiet
printf 'synthetic 50 assets x 6300 days, monthly top-1 126d momentum: '
median_ms 30 "$build/tools/rotor/rotor" run "$work/synthetic_momentum.yaml" -o "$work/syn.h5" --force --quiet
printf 'process start only (rotor --version): '
median_ms 30 "$build/tools/rotor/rotor" --version

echo "== Monte Carlo of great_rotation_2026 against its random-number floor (CPU per path)"
"$build/bench/rotor_bench_mc_floor" --paths 20000 --rounds 5
