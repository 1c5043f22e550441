# SPDX-License-Identifier: MIT
target_sources(rotor_tests PRIVATE ${CMAKE_CURRENT_LIST_DIR}/bundled_scenarios_test.cpp)
