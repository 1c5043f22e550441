target_sources(rotor_engine PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/market_view.cpp
  ${CMAKE_CURRENT_LIST_DIR}/registry.cpp
  ${CMAKE_CURRENT_LIST_DIR}/schedule.cpp
  ${CMAKE_CURRENT_LIST_DIR}/stack_steps.cpp
  ${CMAKE_CURRENT_LIST_DIR}/algos/algo_strategy.cpp
  ${CMAKE_CURRENT_LIST_DIR}/algos/constrain.cpp
  ${CMAKE_CURRENT_LIST_DIR}/algos/select.cpp
  ${CMAKE_CURRENT_LIST_DIR}/algos/valuation.cpp
  ${CMAKE_CURRENT_LIST_DIR}/algos/weigh.cpp)
