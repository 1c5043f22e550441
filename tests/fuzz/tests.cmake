# SPDX-License-Identifier: MIT
target_sources(rotor_tests PRIVATE ${CMAKE_CURRENT_LIST_DIR}/fuzz_replay_test.cpp)
target_link_libraries(rotor_tests PRIVATE rotor_fuzz_targets)
