target_sources(rotor_tests PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/stack_test.cpp)
target_sources(rotor_tests PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/rotation_library_test.cpp)
target_sources(rotor_tests PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/valuation_rotation_test.cpp)
