target_sources(rotor_tests PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/csv_reader_test.cpp)
