target_sources(rotor_tests PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/analog_generator_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/bootstrap_generator_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/episode_generator_test.cpp)
