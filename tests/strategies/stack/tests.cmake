target_sources(rotor_tests PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/stack_test.cpp)
