# SPDX-License-Identifier: MIT
# History-based path generators: analog replay, stationary block bootstrap and
# easing-cycle episodes.
target_sources(rotor_engine PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/history_window.cpp
  ${CMAKE_CURRENT_LIST_DIR}/history_generator.cpp
  ${CMAKE_CURRENT_LIST_DIR}/analog_generator.cpp
  ${CMAKE_CURRENT_LIST_DIR}/bootstrap_generator.cpp
  ${CMAKE_CURRENT_LIST_DIR}/episode_generator.cpp)
