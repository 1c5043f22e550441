target_sources(rotor_engine PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/csv_reader.cpp)
