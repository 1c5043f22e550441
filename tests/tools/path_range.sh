#!/usr/bin/env bash
# rotor run --path-range A:B and rotor merge (docs/cluster.md): the merged file is the file one
# run over all paths writes, bit for bit but for the attributes naming the run
# (bench/same_results.sh), also with a history cell (run by the merge) before a forward one and
# with `store: paths` (its stored paths checked against a run of fewer paths);
# shards that overlap, leave a gap, come from another seed or from data
# changed since, and ranges outside the paths, are exit 2 with nothing written.
# Usage: path_range.sh ROTOR SOURCE_DIR WORK_DIR
set -euo pipefail
rotor=$1 src=$2 work=$3
rm -rf "$work"
mkdir -p "$work"
cd "$work"
fail() { echo "FAIL: $*" >&2; exit 1; }
# Expects exit code 2, a message matching $1 and no file $2 afterwards; the rest is the command.
expect_bad() {
  local pattern=$1 absent=$2 rc=0
  shift 2
  "$rotor" "$@" >out.txt 2>err.txt || rc=$?
  [ "$rc" = 2 ] || { cat err.txt >&2; fail "exit $rc, expected 2: $*"; }
  grep -q -- "$pattern" err.txt || fail "message '$(cat err.txt)' lacks '$pattern'"
  [ ! -e "$absent" ] || fail "$absent written by: $*"
}

# The pack: forward cells with attribution, overlay figures and a realised checkpoint.
pack=$src/scenarios/pack_2026.yaml
args=(--paths 301 --quiet)
"$rotor" run "$pack" "${args[@]}" -o one.h5
"$rotor" run "$pack" "${args[@]}" --path-range 0:1 -o a.h5
"$rotor" run "$pack" "${args[@]}" --path-range 1:150 -o b.h5
"$rotor" run "$pack" "${args[@]}" --path-range 150:301 -o c.h5
"$rotor" merge two.h5 c.h5 a.h5 b.h5 --quiet  # any order
d=$(bash "$src/bench/same_results.sh" one.h5 two.h5)
[ -z "$d" ] || fail "merged file differs in: $d"
"$rotor" run "$pack" "${args[@]}" --path-range 0:150 -o ab.h5
"$rotor" merge three.h5 ab.h5 c.h5 --quiet
d=$(bash "$src/bench/same_results.sh" one.h5 three.h5)
[ -z "$d" ] || fail "merged file (2 shards) differs in: $d"

# A history before a forward cell: the shards' fingerprints are the forward cell's own data
# files, not also those the history read before it in the merge.
printf 'name: hf\npack: [%s, %s]\n' "$src/scenarios/rotation_2000_2025.yaml" \
  "$src/scenarios/great_rotation_2026.yaml" >hf.yaml
"$rotor" run hf.yaml "${args[@]}" -o hf_one.h5
"$rotor" run hf.yaml "${args[@]}" --path-range 0:100 -o hf_a.h5
"$rotor" run hf.yaml "${args[@]}" --path-range 100:301 -o hf_b.h5
"$rotor" merge hf_two.h5 hf_a.h5 hf_b.h5 --quiet
[ "$(h5ls hf_two.h5/scenarios | wc -l)" = 2 ] || fail "hf cells: $(h5ls hf_two.h5/scenarios)"
d=$(bash "$src/bench/same_results.sh" hf_one.h5 hf_two.h5)
[ -z "$d" ] || fail "merged file (history first) differs in: $d"

# Chunks of 7 paths: each shard keeps its paths in pieces of 16 chunks (112 paths), several per
# shard, the last one short; the merge streams them to the file a piece at a time.
mkdir scenarios
ln -s "$src/data" data
sed 's/^  paths: 10000$/  paths: 10000\n  chunk: 7/' "$src/scenarios/great_rotation_2026.yaml" \
  >scenarios/chunk7.yaml
grep -q '^  chunk: 7$' scenarios/chunk7.yaml || fail "chunk: 7 not set"
small=(--paths 1001 --quiet)
# Scenario $2 run as one process (P_one.h5) and as shards 0:500 and 500:1001 merged (P_two.h5,
# given in reverse order): the same file; the second shard holds $3 pieces.
shards_merge_to_one() {
  local p=$1 file=$2 pieces=$3 d
  "$rotor" run "$file" "${small[@]}" -o "${p}_one.h5"
  "$rotor" run "$file" "${small[@]}" --path-range 0:500 -o "${p}_a.h5"
  "$rotor" run "$file" "${small[@]}" --path-range 500:1001 -o "${p}_b.h5"
  [ "$(h5ls "${p}_b.h5/cells/0000/paths" | wc -l)" = "$pieces" ] ||
    fail "$file: not $pieces pieces: $(h5ls "${p}_b.h5/cells/0000/paths" | wc -l)"
  "$rotor" merge "${p}_two.h5" "${p}_b.h5" "${p}_a.h5" --quiet
  d=$(bash "$src/bench/same_results.sh" "${p}_one.h5" "${p}_two.h5")
  [ -z "$d" ] || fail "$file: merged file differs in: $d"
}
shards_merge_to_one c scenarios/chunk7.yaml 5

# store: paths: each shard spools its stored prices and rates with its other per-path values,
# in pieces of one chunk (7 paths); the merge streams them into the file a piece at a time. The
# merged file is the one-process file, whose first 40 paths are those of a run of 40 paths on
# one thread (path p depends on the seed and p alone; another window, no pieces).
printf 'extends: chunk7.yaml\nsimulation: {store: paths}\n' >scenarios/stored.yaml
shards_merge_to_one s scenarios/stored.yaml 72
"$rotor" run scenarios/stored.yaml --paths 40 --threads 1 --quiet -o s_40.h5
/usr/bin/python3 "$src/tests/tools/stored_prefix.py" s_two.h5 s_40.h5 great_rotation_2026

expect_bad "overlap" m.h5 merge m.h5 ab.h5 b.h5 c.h5
expect_bad "leave a gap" m.h5 merge m.h5 a.h5 c.h5
expect_bad "paths 150:301 are in no range" m.h5 merge m.h5 ab.h5
"$rotor" run "$pack" "${args[@]}" --seed 9 --path-range 150:301 -o seed9.h5
expect_bad "differ in --paths or --seed" m.h5 merge m.h5 ab.h5 seed9.h5
expect_bad "outside the 301 paths" s.h5 run "$pack" "${args[@]}" --path-range 0:302 -o s.h5
expect_bad "empty or reversed" s.h5 run "$pack" "${args[@]}" --path-range 7:7 -o s.h5
expect_bad "expects A:B" s.h5 run "$pack" "${args[@]}" --path-range 7 -o s.h5
expect_bad "give its file with -o" results run "$pack" "${args[@]}" --path-range 0:7
expect_bad "not a rotor results file" x.html report a.h5 -o x.html
expect_bad "exists; use --force" nothing.h5 merge one.h5 ab.h5 c.h5

# Data changed between the shards and the merge: the merge reads it again and refuses.
mkdir tree
cp -r "$src/scenarios" "$src/data" tree/
"$rotor" run tree/scenarios/great_rotation_2026.yaml --paths 40 --quiet --path-range 0:20 -o t1.h5
"$rotor" run tree/scenarios/great_rotation_2026.yaml --paths 40 --quiet --path-range 20:40 -o t2.h5
"$rotor" merge t.h5 t1.h5 t2.h5 --quiet
/usr/bin/python3 "$src/tests/tools/raise_one_price.py" tree/data/adj_etf/SPY.csv
expect_bad "read other data than this run" t_changed.h5 merge t_changed.h5 t1.h5 t2.h5
echo ok
