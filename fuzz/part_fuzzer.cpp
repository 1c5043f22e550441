// SPDX-License-Identifier: MIT
// libFuzzer entry point: see rotor::fuzz::part in fuzz/fuzz_targets.hpp.
#include "fuzz/fuzz_targets.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    return rotor::fuzz::part(data, size);
}
