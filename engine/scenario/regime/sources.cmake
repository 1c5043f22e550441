# SPDX-License-Identifier: MIT
# Regimes of history: Fed policy episodes (easing, tightening, hold) tagged with NBER recessions.
target_sources(rotor_engine PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/policy_episodes.cpp)
