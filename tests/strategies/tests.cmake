target_sources(rotor_tests PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/strategy_test_support.cpp
  ${CMAKE_CURRENT_LIST_DIR}/register_builtin_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/history_prefix_test.cpp)
