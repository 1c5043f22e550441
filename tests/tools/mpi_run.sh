#!/usr/bin/env bash
# `mpirun -np N rotor run` against one process (docs/cluster.md).
# Usage: mpi_run.sh CHECK ROTOR MPIEXEC SOURCE_DIR WORK_DIR, CHECK one of:
#   same-file     a pack with history and Monte Carlo cells from 1 process, from -np 1, -np 2
#                 and -np 3 (oversubscribed): every dataset and attribute bit-identical except those
#                 naming the run (bench/same_results.sh); and the checker does see a changed seed.
#                 Also a pack of more cells than ranks that go whole to one rank each (histories,
#                 a walk-forward sweep, small forward cells) around one big forward cell whose
#                 paths split, and a sweep of forward cells only; and a `store: paths` scenario,
#                 its stored paths also against a one-thread run of fewer paths
#   more-ranks    more ranks than paths: exit 2, one message, no file
#   rank-fails    a rank that cannot read its scenario: the run fails (exit 2), no file; a rank
#                 that read other data than rank 0: exit 1, no file (in a cell whose paths split,
#                 in a history or a forward cell it ran whole); a rank missing a data file of a
#                 history it runs whole: exit 2 naming it, no file; a path of rank 1's share
#                 that the model drives to a price of 0: exit 1 naming the path and the model
#                 as one process does, no file; a rank killed mid-run: the job fails and the
#                 earlier file at the output path is untouched. Each message is one line, and a
#                 rank is named once: the rank at fault, not rank 0 that found it
#   start-up      all ranks on this machine: each rank takes Open MPI's ob1 point-to-point layer
#                 unless the user named one (`--mca pml ...`), which is left alone
set -euo pipefail
check=$1 rotor=$2 mpiexec=$3 src=$4 work=$5
# CI runs as root, which Open MPI refuses without these.
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
rm -rf "$work"
mkdir -p "$work"
cd "$work"
fail() { echo "FAIL: $*" >&2; exit 1; }
same() {  # A B: bit-identical results
  local d
  d=$(bash "$src/bench/same_results.sh" "$1" "$2")
  [ -z "$d" ] || fail "$1 and $2 differ in: $d"
}
# A pack in folder $1 (scenarios/cells.yaml beside $1/scenarios) of more cells than ranks:
# histories, the six cells of a walk-forward, two forward cells of one path (fewer than ranks:
# each runs whole on one rank) and one of 3000 (its paths split).
write_cells_pack() {
  mkdir -p "$1/scenarios"
  for n in 1 2; do
    printf 'extends: great_rotation_2026.yaml\nname: small_%s\noutput: ~\nsimulation: {paths: 1, seed: %s}\n' \
      "$n" "$n" >"$1/scenarios/small_$n.yaml"
  done
  printf 'extends: great_rotation_2026.yaml\nname: big\noutput: ~\nsimulation: {paths: 3000}\n' \
    >"$1/scenarios/big.yaml"
  printf 'name: cells\npack: [rotation_2000_2025.yaml, small_1.yaml, walk_forward_momentum.yaml, big.yaml, dotcom_unwind.yaml, small_2.yaml]\n' \
    >"$1/scenarios/cells.yaml"
}
# rotor's lines in err.txt (mpirun adds its own notices) must be exactly the one line $1.
expect_message() {
  local got
  got=$(grep '^rotor:' err.txt || true)
  [ "$got" = "$1" ] || fail "message: expected '$1', got: $(cat err.txt)"
}
# Runs `mpirun ARGS`, expecting exit code $1; stderr in err.txt.
expect_exit() {
  local want=$1 rc=0
  shift
  "$mpiexec" "$@" >out.txt 2>err.txt || rc=$?
  [ "$rc" = "$want" ] || { cat err.txt >&2; fail "exit $rc, expected $want: $*"; }
}

case $check in
  same-file)
    # The pack's forward cells use the regime model with attribution, the refinancing wall
    # overlay and the realised-outcome checkpoint; its history cells run on rank 0 only.
    pack=$src/scenarios/pack_2026.yaml
    args=(--paths 301 --quiet)
    "$rotor" run "$pack" "${args[@]}" -o one.h5
    "$mpiexec" -np 1 "$rotor" run "$pack" "${args[@]}" -o one_rank.h5
    "$mpiexec" -np 2 "$rotor" run "$pack" "${args[@]}" -o two.h5
    "$mpiexec" -np 3 --oversubscribe "$rotor" run "$pack" "${args[@]}" -o three.h5
    same one.h5 one_rank.h5
    same one.h5 two.h5
    same one.h5 three.h5
    [ "$(h5ls -r one.h5 | grep -c 'terminal_wealth')" -ge 3 ] || fail "too few Monte Carlo strategies"
    # Chunks of 7 paths: rank 0 streams its share through the window of chunks, then each other
    # rank's share in pieces of 16 chunks (112 paths), several per rank, the last one short.
    mkdir scenarios
    ln -s "$src/data" data
    sed 's/^  paths: 10000$/  paths: 10000\n  chunk: 7/' "$src/scenarios/great_rotation_2026.yaml" \
      >scenarios/chunk7.yaml
    grep -q '^  chunk: 7$' scenarios/chunk7.yaml || fail "chunk: 7 not set"
    small=(--paths 1001 --quiet)
    "$rotor" run scenarios/chunk7.yaml "${small[@]}" -o c_one.h5
    "$mpiexec" -np 2 "$rotor" run scenarios/chunk7.yaml "${small[@]}" -o c_two.h5
    "$mpiexec" -np 3 --oversubscribe "$rotor" run scenarios/chunk7.yaml "${small[@]}" -o c_three.h5
    same c_one.h5 c_two.h5
    same c_one.h5 c_three.h5
    # store: paths: the ranks' stored prices and rates travel in pieces of one chunk (7 paths)
    # and rank 0 streams them into the file; the first 40 paths are those of a one-thread run of
    # 40 paths (path p depends on the seed and p alone).
    printf 'extends: chunk7.yaml\nsimulation: {store: paths}\n' >scenarios/stored.yaml
    "$rotor" run scenarios/stored.yaml "${small[@]}" -o s_one.h5
    "$mpiexec" -np 2 "$rotor" run scenarios/stored.yaml "${small[@]}" -o s_two.h5
    "$mpiexec" -np 3 --oversubscribe "$rotor" run scenarios/stored.yaml "${small[@]}" -o s_three.h5
    same s_one.h5 s_two.h5
    same s_one.h5 s_three.h5
    "$rotor" run scenarios/stored.yaml --paths 40 --threads 1 --quiet -o s_40.h5
    /usr/bin/python3 "$src/tests/tools/stored_prefix.py" s_three.h5 s_40.h5 great_rotation_2026
    # Cells to ranks: the histories and the one-path cells whole, the big one split; 1, 2 and 3
    # ranks.
    mkdir tree
    cp -r "$src/scenarios" tree/
    ln -s "$src/data" tree/data
    write_cells_pack tree
    "$rotor" run tree/scenarios/cells.yaml --quiet -o cells_one.h5
    [ "$(h5ls cells_one.h5/scenarios | wc -l)" = 11 ] || fail "cells pack: $(h5ls cells_one.h5/scenarios)"
    for np in 1 2 3; do
      "$mpiexec" -np $np --oversubscribe "$rotor" run tree/scenarios/cells.yaml --quiet -o cells_$np.h5
      same cells_one.h5 cells_$np.h5
    done
    sweep=$src/bench/small_cells_sweep.yaml
    "$rotor" run "$sweep" --paths 50 --quiet -o sweep_one.h5
    "$mpiexec" -np 2 "$rotor" run "$sweep" --paths 50 --quiet -o sweep_two.h5
    "$mpiexec" -np 3 --oversubscribe "$rotor" run "$sweep" --paths 50 --quiet -o sweep_three.h5
    same sweep_one.h5 sweep_two.h5
    same sweep_one.h5 sweep_three.h5
    "$rotor" run "$pack" "${args[@]}" --seed 8 -o seed8.h5
    [ -n "$(bash "$src/bench/same_results.sh" one.h5 seed8.h5)" ] || fail "checker blind to a seed"
    ;;
  start-up)
    run=("$rotor" run "$src/scenarios/great_rotation_2026.yaml" --paths 20 --quiet -o out.h5)
    expect_exit 0 -np 2 --mca pml_base_verbose 10 "${run[@]}"
    [ "$(grep -c 'select: component ob1 selected' err.txt)" = 2 ] ||
      fail "ob1 not selected by both ranks: $(grep 'select' err.txt)"
    # Named, not just chosen by priority: the other layers (cm and its transports: the slow
    # part of the start-up) are not even loaded.
    ! grep -q 'found loaded component cm' err.txt || fail "pml cm loaded: ob1 was not named"
    # The user's choice wins: with `--mca pml ucx` ob1 is not even loaded (whether UCX then
    # starts on this machine is Open MPI's business, so the exit code is not checked).
    rc=0
    "$mpiexec" -np 2 --mca pml_base_verbose 10 --mca pml ucx "${run[@]}" --force >out.txt 2>err.txt ||
      rc=$?
    grep -q 'found loaded component ucx' err.txt || fail "ucx not tried: $(head -5 err.txt)"
    ! grep -q 'component ob1' err.txt || fail "ob1 used against the user's choice (exit $rc)"
    ;;
  more-ranks)
    expect_exit 2 -np 3 --oversubscribe "$rotor" run "$src/scenarios/great_rotation_2026.yaml" \
      --paths 2 --quiet -o out.h5
    grep -q "2 paths cannot be shared by 3 MPI ranks" err.txt || fail "message: $(cat err.txt)"
    [ "$(grep -c '^rotor:' err.txt)" = 1 ] || fail "not one message: $(cat err.txt)"
    [ ! -e out.h5 ] || fail "out.h5 written"
    ;;
  rank-fails)
    # Rank 1 runs from a copy of the tree; first without its scenario, then with one price of
    # SPY changed by 1%.
    mkdir copy
    cp -r "$src/data" copy/
    scenario=scenarios/great_rotation_2026.yaml
    run_by_rank() {  # expected exit code, output
      expect_exit "$1" -np 2 sh -c \
        'd=$1; [ "$OMPI_COMM_WORLD_RANK" = 1 ] && d=$2; exec "$3" run "$d/'"$scenario"'" --paths 40 --quiet -o "$4"' \
        sh "$src" "$work/copy" "$rotor" "$2"
    }
    run_by_rank 2 missing.h5
    grep -q "^rotor: MPI rank 1: $work/copy/$scenario: " err.txt ||
      fail "the failing rank is not named: $(cat err.txt)"
    [ "$(grep -c '^rotor:' err.txt)" = 1 ] || fail "not one message: $(cat err.txt)"
    ! grep -q "MPI rank 0" err.txt || fail "rank 0 named: $(cat err.txt)"
    [ ! -e missing.h5 ] || fail "missing.h5 written"
    cp -r "$src/scenarios" copy/
    /usr/bin/python3 "$src/tests/tools/raise_one_price.py" copy/data/adj_etf/SPY.csv
    run_by_rank 1 other.h5
    expect_message "rotor: error: MPI rank 1 built another model or read other data than this run (each share must come from the same scenario and data files)"
    [ ! -e other.h5 ] || fail "other.h5 written"
    # Rank 1 killed two seconds into a long run: the job fails and an earlier file at the
    # output path stays as it was (the run had --force).
    echo earlier >killed.h5
    rc=0
    "$mpiexec" -np 2 sh -c '
      set -- "$0" run "$1" --paths 200000 --quiet --force -o killed.h5
      [ "$OMPI_COMM_WORLD_RANK" = 1 ] || exec "$@"
      "$@" & pid=$!
      sleep 2
      kill -9 "$pid"
      exit 9' "$rotor" "$src/$scenario" >out.txt 2>err.txt || rc=$?
    [ "$rc" != 0 ] || fail "a killed rank left exit 0"
    [ "$(cat killed.h5)" = earlier ] || fail "killed.h5 replaced"
    ! compgen -G 'killed.h5.tmp*' >/dev/null || fail "temporary files left: $(ls -a)"
    # The same in cells run whole by rank 1 (the last of the pack's blocks): a history, then
    # a forward cell; rank 0 reads the original tree.
    mkdir orig
    cp -r "$src/scenarios" orig/
    ln -s "$src/data" orig/data
    write_cells_pack orig
    write_cells_pack copy
    cells_by_rank() {  # expected exit code, output, pack
      expect_exit "$1" -np 2 sh -c \
        'd=$1; [ "$OMPI_COMM_WORLD_RANK" = 1 ] && d=$2; exec "$3" run "$d/scenarios/$5" --quiet -o "$4"' \
        sh "$work/orig" "$work/copy" "$rotor" "$2" "$3"
    }
    # Rank 0 finds it when it takes the cell: the message names rank 1 alone.
    for tail in 'rotation_2000_2025.yaml, dotcom_unwind.yaml' 'small_1.yaml, small_2.yaml'; do
      printf 'name: tail\npack: [%s]\n' "$tail" >orig/scenarios/tail.yaml
      cp orig/scenarios/tail.yaml copy/scenarios/tail.yaml
      cells_by_rank 1 tail.h5 tail.yaml
      case $tail in
        rotation*) expect_message "rotor: error: MPI rank 1 read other data than rank 0 for 'dotcom_unwind' (each rank must see the same scenario and data files)" ;;
        *) expect_message "rotor: error: MPI rank 1 built another model or read other data than this run (each share must come from the same scenario and data files)" ;;
      esac
      [ ! -e tail.h5 ] || fail "tail.h5 written ($tail)"
    done
    # A data file missing only where rank 1 runs a history whole: rank 1's code (2), naming it.
    mv copy/data/adj_etf/QQQ.csv copy/QQQ.csv
    printf 'name: tail\npack: [rotation_2000_2025.yaml, dotcom_unwind.yaml]\n' >copy/scenarios/tail.yaml
    cp copy/scenarios/tail.yaml orig/scenarios/tail.yaml
    cells_by_rank 2 gone.h5 tail.yaml
    grep -q "^rotor: MPI rank 1: .*QQQ.csv" err.txt || fail "message: $(cat err.txt)"
    [ "$(grep -c '^rotor:' err.txt)" = 1 ] || fail "not one message: $(cat err.txt)"
    ! grep -q "MPI rank 0" err.txt || fail "rank 0 named: $(cat err.txt)"
    [ ! -e gone.h5 ] || fail "gone.h5 written"
    mv copy/QQQ.csv copy/data/adj_etf/QQQ.csv
    # Rank 1's model (an expected-return view with 100 x 100 % volatility) drives AAA to 0 on
    # its first step: the daily log drift log(1.05)/252 - (10000/sqrt(252))^2/2 = -198413 is
    # far below log(min double) = -745, whatever the draw (630 per standard deviation). The
    # first path of its share, 20 of 40, fails on day 1, 2024-02-27 (the cell starts Monday
    # 2024-02-26); rank 0 names it, and its model block, as one process names a path.
    for d in good bad; do
      mkdir "$d"
      cp "$src"/tests/fixtures/invalid_input_test/common/* "$d"/
    done
    printf 'extends: fwd.yaml\nmodel:\n  assets:\n    AAA: {idio_vol: 100}\n  views:\n    expected_return: {AAA: 0.05}\n    vol_multiplier: {AAA: %s}\n' \
      0.001 >good/s.yaml
    printf 'extends: fwd.yaml\nmodel:\n  assets:\n    AAA: {idio_vol: 100}\n  views:\n    expected_return: {AAA: 0.05}\n    vol_multiplier: {AAA: %s}\n' \
      100 >bad/s.yaml
    expect_exit 1 -np 2 sh -c \
      'd=$1; [ "$OMPI_COMM_WORLD_RANK" = 1 ] && d=$2; exec "$3" run "$d/s.yaml" --paths 40 --quiet -o "$4"' \
      sh "$work/good" "$work/bad" "$rotor" "$work/path.h5"
    expect_message "rotor: error: $work/good/s.yaml:3:3: model: path 20: price of AAA on 2024-02-27 is 0 (the model's parameters drive prices out of range)"
    [ ! -e path.h5 ] || fail "path.h5 written"
    # Every path fails on both ranks: path 0, rank 0's own, as from one process.
    expect_exit 1 -np 2 "$rotor" run "$work/bad/s.yaml" --paths 40 --quiet -o "$work/path.h5"
    expect_message "rotor: error: $work/bad/s.yaml:3:3: model: path 0: price of AAA on 2024-02-27 is 0 (the model's parameters drive prices out of range)"
    [ ! -e path.h5 ] || fail "path.h5 written"
    # Same tree on both ranks: the run succeeds (the copy itself is not the problem).
    cp "$src/data/adj_etf/SPY.csv" copy/data/adj_etf/SPY.csv
    run_by_rank 0 same.h5
    [ -e same.h5 ] || fail "same.h5 missing"
    ;;
  *) fail "unknown check $check" ;;
esac
echo "ok: $check"
