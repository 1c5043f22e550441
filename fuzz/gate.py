#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Runs one libFuzzer harness for a fixed time as a test gate (docs/fuzzing.md, "In the test
suite"), telling rotor's findings from those inside libhdf5 itself.

libFuzzer stops at its first finding. A crash or timeout whose innermost frame (past the
sanitizer's, libFuzzer's and libc's own) is in libhdf5 is a library finding: Debian's 1.10.8
crashes in H5HG_read, or loops in H5HG__cache_heap_deserialize, on a damaged global heap, which
rotor cannot inspect before libhdf5 reads it. It is reported with its artifact, and fuzzing goes
on from the grown corpus with the next seed until the time is spent. Anything else fails the
gate at once: a crash, sanitizer report or timeout in rotor's code, any leak, running out of
memory. The seeds used are seed, seed+1, ... so a rerun of the same tree repeats the run.

Usage: gate.py [--self-test] FUZZER SECONDS SEED [LIBFUZZER-ARG...]
Exit 0 when the time was spent with library findings at most, 1 on a rotor finding.
"""
import re
import subprocess
import sys
import time

MAX_RESTARTS = 20
# A leak or running out of memory always counts as rotor's (libhdf5's known leaks are
# suppressed in fuzz/hdf5-leaks.supp; memory is bounded by -rss_limit_mb).
ALWAYS_ROTOR = re.compile(r"ERROR: LeakSanitizer|SUMMARY: AddressSanitizer: \d+ byte|"
                          r"SUMMARY: libFuzzer: out-of-memory")
# Frames of the machinery that reports a finding, not of the code that caused it.
REPORTER = ("__sanitizer", "__asan", "fuzzer::", "libc.so", "libclang_rt", "__interceptor",
            "sysdeps/")  # the last: libc's frames when its debug symbols are installed
# The sanitizer's allocator entry points and string interceptors, linked into the fuzzer: a
# bad free or a read past a buffer there is the fault of the frame that called it.
ALLOCATOR = re.compile(r" in (free|malloc|calloc|realloc|strdup|strndup|strlen|strnlen) \(")


def classify(output):
    """'library' for a crash or timeout whose innermost frame, past the sanitizer's, libFuzzer's
    and libc's own, is in libhdf5; else 'rotor'."""
    if ALWAYS_ROTOR.search(output):
        return "rotor"
    for line in output.splitlines():
        if not re.match(r"^\s*#\d+ 0x", line):
            continue
        if any(r in line for r in REPORTER) or ALLOCATOR.search(line):
            continue
        return "library" if "libhdf5" in line else "rotor"
    return "rotor"


def main(argv):
    fuzzer, seconds, seed = argv[1], float(argv[2]), int(argv[3])
    args = argv[4:]
    deadline = time.monotonic() + seconds
    findings = []
    for restart in range(MAX_RESTARTS + 1):
        left = int(deadline - time.monotonic())
        if left < 1:
            break
        run_seed = seed + restart if seed != 0 else 0
        cmd = [fuzzer, f"-max_total_time={left}", f"-seed={run_seed}"] + args
        proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                              errors="replace")
        sys.stdout.write(proc.stdout)
        if proc.returncode == 0:
            break
        kind = classify(proc.stdout)
        artifact = re.search(r"Test unit written to (\S+)", proc.stdout)
        name = artifact.group(1) if artifact else "(no artifact)"
        if kind != "library":
            print(f"fuzz gate: a finding in rotor (seed {run_seed}): {name}")
            return 1
        findings.append(name)
        print(f"fuzz gate: a crash or hang inside libhdf5 (seed {run_seed}), not rotor's: "
              f"{name}; going on with the next seed")
    else:
        print(f"fuzz gate: {MAX_RESTARTS} restarts on libhdf5 findings; stopping")
    print(f"fuzz gate: passed, {len(findings)} libhdf5 finding(s)"
          + (": " + ", ".join(findings) if findings else ""))
    return 0


def self_test():
    hdf5_segv = """==1==ERROR: AddressSanitizer: SEGV on unknown address 0x6231200002f0
    #0 0x7f025af67b56 in H5HG_read (/lib/x86_64-linux-gnu/libhdf5_serial.so.103+0x167b56)
    #1 0x7f025b0beeff  (/lib/x86_64-linux-gnu/libhdf5_serial.so.103+0x2beeff)
    #6 0x5612caa8681d in rotor::report::Hdf5Reader::attrText(long) hdf5_reader.cpp:297:69
SUMMARY: AddressSanitizer: SEGV (/lib/x86_64-linux-gnu/libhdf5_serial.so.103+0x167b56) in H5HG_read
"""
    hdf5_no_symbol = """==1==ERROR: AddressSanitizer: SEGV on unknown address 0x000000000010
    #0 0x7f025b0beeff  (/lib/x86_64-linux-gnu/libhdf5_serial.so.103+0x2beeff)
SUMMARY: AddressSanitizer: SEGV (/lib/x86_64-linux-gnu/libhdf5_serial.so.103+0x2beeff)
"""
    rotor_overflow = """==1==ERROR: AddressSanitizer: heap-buffer-overflow on address 0x602
    #0 0x5612caa8681d in rotor::report::readStrings(long) hdf5_reader.cpp:177:13
    #1 0x7f025af67b56 in H5Aiterate2 (/lib/x86_64-linux-gnu/libhdf5_serial.so.103+0x1)
SUMMARY: AddressSanitizer: heap-buffer-overflow hdf5_reader.cpp:177:13 in rotor::report::readStrings
"""
    leak_in_hdf5 = """==1==ERROR: LeakSanitizer: detected memory leaks
    #0 0x5612c in malloc
    #1 0x7f025 in H5FL_blk_malloc (/lib/x86_64-linux-gnu/libhdf5_serial.so.103+0x1)
SUMMARY: AddressSanitizer: 104 byte(s) leaked in 1 allocation(s).
"""
    hdf5_timeout = """ALARM: working on the last Unit for 86 seconds
    #0 0x560e5337eaa1 in __sanitizer_print_stack_trace (/b/rotor_fuzz_results+0x15ccaa1)
    #1 0x560e532f13f8 in fuzzer::PrintStackTrace() (/b/rotor_fuzz_results+0x153f3f8)
    #2 0x560e532d6c39 in fuzzer::Fuzzer::AlarmCallback() (/b/rotor_fuzz_results+0x1524c39)
    #3 0x7f21cea5a04f  (/lib/x86_64-linux-gnu/libc.so.6+0x3c04f)
    #4 0x7f21cf3699a8  (/lib/x86_64-linux-gnu/libhdf5_serial.so.103+0x1699a8)
    #5 0x7f21cf28d9fc in H5C_protect (/lib/x86_64-linux-gnu/libhdf5_serial.so.103+0x8d9fc)
    #9 0x5612caa8681d in rotor::report::Hdf5Reader::attrText(long) hdf5_reader.cpp:297:69
SUMMARY: libFuzzer: timeout
"""
    rotor_timeout = """ALARM: working on the last Unit for 61 seconds
    #0 0x560e5337eaa1 in __sanitizer_print_stack_trace (/b/rotor_fuzz_scenario+0x15ccaa1)
    #1 0x560e532f13f8 in fuzzer::PrintStackTrace() (/b/rotor_fuzz_scenario+0x153f3f8)
    #2 0x560e532d6c39 in fuzzer::Fuzzer::AlarmCallback() (/b/rotor_fuzz_scenario+0x1524c39)
    #3 0x7f21cea5a04f  (/lib/x86_64-linux-gnu/libc.so.6+0x3c04f)
    #4 0x5612caa8681d in rotor::expandScenario(rotor::ConfigNode) compose.cpp:88:5
SUMMARY: libFuzzer: timeout
"""
    oom = """==1== ERROR: libFuzzer: out-of-memory (malloc(4294967296))
    #0 0x5612c in __sanitizer_print_stack_trace
    #1 0x7f025 in H5FL_blk_malloc (/lib/x86_64-linux-gnu/libhdf5_serial.so.103+0x1)
SUMMARY: libFuzzer: out-of-memory
"""
    ubsan_in_rotor = """hdf5_reader.cpp:12:3: runtime error: signed integer overflow
==1==ERROR: libFuzzer: deadly signal
    #0 0x5612c in __sanitizer_print_stack_trace
    #1 0x5612d in rotor::report::readInfo(long) results_reader.cpp:47
SUMMARY: libFuzzer: deadly
"""
    hdf5_bad_free = """==1==ERROR: AddressSanitizer: SEGV on unknown address (pc 0x55c38b2f2024)
    #0 0x55c38b2f2024 in __asan::Allocator::Deallocate(void*) (/b/rotor_fuzz_results+0x484024)
    #1 0x55c38b3729c5 in free (/b/rotor_fuzz_results+0x5049c5)
    #2 0x7f5b5a3843cd in H5MM_xfree (/lib/x86_64-linux-gnu/libhdf5_serial.so.103+0x1843cd)
    #6 0x7f5b5a33c7ff in H5G__link_release_table (/lib/x86_64-linux-gnu/libhdf5_serial.so.103+0x1)
    #13 0x55c38b680c18 in rotor::report::Hdf5Reader::children(long) hdf5_reader.cpp:114:9
SUMMARY: AddressSanitizer: SEGV (/b/rotor_fuzz_results+0x484024) in __asan::Allocator::Deallocate
"""
    hdf5_memcpy = """==1==ERROR: AddressSanitizer: SEGV on unknown address 0x000000000000
    #0 0x7fe4478ab885 in __memcpy_avx512_unaligned_erms string/../sysdeps/x86_64/multiarch/memmove-vec-unaligned-erms.S:362
    #1 0x55781fa96187 in __interceptor_memcpy (/b/rotor_fuzz_part+0x49e187)
    #2 0x7fe4480f54de in H5F__accum_read (/lib/x86_64-linux-gnu/libhdf5_serial.so.103+0xf54de)
    #16 0x55781fd1965e in rotor::(anonymous namespace)::ShardReader::bytes(long) shard_file.cpp:96:28
SUMMARY: AddressSanitizer: SEGV string/../sysdeps/x86_64/multiarch/memmove-vec-unaligned-erms.S:362
"""
    rotor_bad_free = """==1==ERROR: AddressSanitizer: attempting free on address which was not malloc()-ed
    #0 0x55c38b3729c5 in free (/b/rotor_fuzz_results+0x5049c5)
    #1 0x5612caa8681d in rotor::report::readStrings(long) hdf5_reader.cpp:177:13
SUMMARY: AddressSanitizer: bad-free (/b/rotor_fuzz_results+0x5049c5) in free
"""
    hdf5_strdup = """==1==ERROR: AddressSanitizer: heap-buffer-overflow on address 0x6170000213bc
    #0 0x55594666d5a6 in strdup (/b/rotor_fuzz_results+0x5195a5)
    #1 0x7f6525cb35a3 in H5MM_xstrdup (/lib/x86_64-linux-gnu/libhdf5_serial.so.103+0x1b35a3)
    #9 0x55594699c5a3 in rotor::report::Hdf5Reader::hasAttribute(long) hdf5_reader.cpp:328:12
SUMMARY: AddressSanitizer: heap-buffer-overflow (/b/rotor_fuzz_results+0x5195a5) in strdup
"""
    rotor_strdup = """==1==ERROR: AddressSanitizer: heap-buffer-overflow on address 0x6170000213bc
    #0 0x55594666d5a6 in strdup (/b/rotor_fuzz_results+0x5195a5)
    #1 0x5612caa8681d in rotor::report::readStrings(long) hdf5_reader.cpp:177:13
SUMMARY: AddressSanitizer: heap-buffer-overflow (/b/rotor_fuzz_results+0x5195a5) in strdup
"""
    cases = [("libhdf5 SEGV", hdf5_segv, "library"),
             ("libhdf5 reading past a string through the interceptor", hdf5_strdup, "library"),
             ("rotor reading past a string through the interceptor", rotor_strdup, "rotor"),
             ("libhdf5 freeing a damaged pointer", hdf5_bad_free, "library"),
             ("libhdf5 copying through libc, with libc's symbols", hdf5_memcpy, "library"),
             ("rotor freeing a bad pointer", rotor_bad_free, "rotor"),
             ("libhdf5 SEGV without symbols", hdf5_no_symbol, "library"),
             ("overflow in rotor called from libhdf5", rotor_overflow, "rotor"),
             ("a leak, even inside libhdf5", leak_in_hdf5, "rotor"),
             ("a timeout inside libhdf5", hdf5_timeout, "library"),
             ("a timeout in rotor", rotor_timeout, "rotor"),
             ("running out of memory, even inside libhdf5", oom, "rotor"),
             ("a deadly signal in rotor", ubsan_in_rotor, "rotor"),
             ("no report at all", "some output\n", "rotor")]
    failed = [f"{name}: {classify(text)}, expected {want}"
              for name, text, want in cases if classify(text) != want]
    for f in failed:
        print(f"fuzz gate self-test: {f}", file=sys.stderr)
    if not failed:
        print(f"fuzz gate self-test: {len(cases)} cases ok")
    return 1 if failed else 0


if __name__ == "__main__":
    if sys.argv[1:] == ["--self-test"]:
        sys.exit(self_test())
    if len(sys.argv) < 4:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    sys.exit(main(sys.argv))
