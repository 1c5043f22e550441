target_sources(rotor_tests PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/path_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/rate_path_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/return_path_generator_test.cpp)
