# SPDX-License-Identifier: MIT
target_sources(rotor_tests PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/forward_model_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/historical_path_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/valuation_source_test.cpp)
