target_sources(rotor_tests PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/rate_path_test.cpp)
