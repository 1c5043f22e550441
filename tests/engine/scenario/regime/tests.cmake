# SPDX-License-Identifier: MIT
target_sources(rotor_tests PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/factor_shocks_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/policy_episodes_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/regime_calibration_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/regime_generator_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/regime_valuation_test.cpp)
