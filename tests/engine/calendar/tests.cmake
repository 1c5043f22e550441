target_sources(rotor_tests PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/alignment_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/nyse_calendar_test.cpp)
