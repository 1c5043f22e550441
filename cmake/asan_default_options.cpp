// SPDX-License-Identifier: MIT
// Linked into every executable of an AddressSanitizer build (CMakeLists.txt). A malloc the
// allocator cannot serve at all (over ASan's 1 TiB limit) returns NULL, as glibc's malloc does
// for a request beyond memory and swap, instead of aborting the process: libhdf5 asks for
// whatever size a damaged file's metadata claims and turns a NULL into an error, which rotor
// reports as bad input (exit 2) in a release build. C++ operator new still reports its failures,
// so an oversized request in rotor's own code is still a sanitizer finding. ASAN_OPTIONS set
// in the environment override this.
extern "C" const char* __asan_default_options();   // NOLINT(bugprone-reserved-identifier)
extern "C" const char* __asan_default_options() {  // NOLINT(bugprone-reserved-identifier)
    return "allocator_may_return_null=1";
}
