#!/bin/bash
# `cmake --install` into a staging root: the staged rotor validates and runs a bundled scenario
# from an unrelated folder, its default output lands there (not in the installation), its
# numbers equal the build tree's run of the source scenario, and the docs are installed.
# Usage: install_test.sh CMAKE BUILD_DIR BUILD_ROTOR SOURCE_DIR
set -euo pipefail
cmake=$1 build=$2 rotor=$3 src=$4
work=$(mktemp -d "$build/install_test.XXXXXX")
trap 'rm -rf "$work"' EXIT
DESTDIR="$work/root" "$cmake" --install "$build" --prefix /opt/rotor >"$work/install.log"
stage="$work/root/opt/rotor"
test -x "$stage/bin/rotor"
for doc in README.md cli.md report.md scenario-format.md strategies.md; do
    test -s "$stage/share/doc/rotor/$doc" || { echo "missing doc $doc"; exit 1; }
done
scenario="$stage/share/rotor/scenarios/rotation_2000_2025.yaml"
test -s "$scenario"

mkdir "$work/elsewhere"
cd "$work/elsewhere"
"$stage/bin/rotor" validate "$scenario" >/dev/null
"$stage/bin/rotor" run "$scenario" --quiet
test -s results/rotation_2000_2025.h5 || { echo "no results/rotation_2000_2025.h5 in the cwd"; exit 1; }
if [ -e "$stage/share/rotor/results" ]; then
    echo "the run wrote into the installation: $stage/share/rotor/results"
    exit 1
fi
# The build tree's rotor on the source scenario, written elsewhere with -o: the same numbers.
"$rotor" run "$src/scenarios/rotation_2000_2025.yaml" -o "$work/source.h5" --quiet
"$stage/bin/rotor" compare results/rotation_2000_2025.h5 --format csv >"$work/installed.csv"
"$rotor" compare "$work/source.h5" --format csv >"$work/source.csv"
cmp "$work/installed.csv" "$work/source.csv"
test "$(wc -l <"$work/installed.csv")" -gt 2
# A scenario of the user's own folder keeps its `output:` beside itself.
mkdir "$work/mine"
cp "$scenario" "$work/mine/s.yaml"
sed -i "s#\.\./data/#$stage/share/rotor/data/#g" "$work/mine/s.yaml"
"$stage/bin/rotor" run "$work/mine/s.yaml" --quiet
test -s "$work/results/rotation_2000_2025.h5" || { echo "output: not beside the user's scenario"; exit 1; }
echo ok
