target_sources(rotor_tests PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/market_view_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/schedule_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/algos/algo_strategy_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/algos/select_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/algos/weigh_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/algos/risk_weights_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/algos/score_steps_test.cpp)
