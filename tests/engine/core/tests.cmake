target_sources(rotor_tests PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/date_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/input_file_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/rng_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/serial_worker_test.cpp)
