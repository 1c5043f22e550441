target_sources(rotor_tests PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/data_files_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/data_store_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/csv_reader_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/csv_reader_missing_test.cpp)
target_sources(rotor_tests PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/fast_decimal_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/csv_reader_window_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/sha256_test.cpp)
