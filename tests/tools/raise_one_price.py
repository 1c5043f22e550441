#!/usr/bin/env python3
# Raises the price on line 100 of a date,price CSV by 1%: data that differs from the bundled file
# in one number, for the tests that check a run refuses to mix data (mpi_run.sh, path_range.sh).
# Usage: raise_one_price.py FILE.csv
import sys

path = sys.argv[1]
lines = open(path).read().split("\n")
date, price = lines[99].rsplit(",", 1)
lines[99] = date + "," + repr(float(price) * 1.01)
open(path, "w").write("\n".join(lines))
