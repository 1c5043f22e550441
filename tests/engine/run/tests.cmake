# SPDX-License-Identifier: MIT
target_sources(rotor_tests PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/backtest_model_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/cell_schedule_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/commands_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/forward_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/history_codec_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/memory_estimate_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/progress_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/runner_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/walk_forward_test.cpp)
