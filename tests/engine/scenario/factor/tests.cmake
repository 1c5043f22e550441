target_sources(rotor_tests PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/chi_square_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/calibration_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/factor_generator_test.cpp)
