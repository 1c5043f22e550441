# SPDX-License-Identifier: MIT
# Scenario files to typed specs, and specs to paths, generators and strategies.
target_sources(rotor_engine PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/forward_model.cpp
  ${CMAKE_CURRENT_LIST_DIR}/historical_path.cpp
  ${CMAKE_CURRENT_LIST_DIR}/model_table.cpp
  ${CMAKE_CURRENT_LIST_DIR}/scenario_spec.cpp)
