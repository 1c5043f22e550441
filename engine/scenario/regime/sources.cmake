# SPDX-License-Identifier: MIT
# The regime model: policy episodes of history, their calibration, the generator.
target_sources(rotor_engine PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/policy_episodes.cpp
  ${CMAKE_CURRENT_LIST_DIR}/regime_calibration.cpp
  ${CMAKE_CURRENT_LIST_DIR}/regime_generator.cpp
  ${CMAKE_CURRENT_LIST_DIR}/regime_model_yaml.cpp)
