// SPDX-License-Identifier: MIT
#include "engine/core/version.hpp"

#include <cstdio>

int main() {
    std::printf("rotor %s\n", rotor::version());
    return 0;
}
