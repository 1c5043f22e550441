target_sources(rotor_engine PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/csv_reader.cpp
  ${CMAKE_CURRENT_LIST_DIR}/data_store.cpp
  ${CMAKE_CURRENT_LIST_DIR}/price_source.cpp
  ${CMAKE_CURRENT_LIST_DIR}/sha256.cpp)
