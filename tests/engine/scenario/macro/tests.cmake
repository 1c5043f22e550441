target_sources(rotor_tests PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/refinancing_wall_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/bifurcation_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/sleeve_calibration_test.cpp)
