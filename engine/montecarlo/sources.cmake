target_sources(rotor_engine PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/band_histogram.cpp
  ${CMAKE_CURRENT_LIST_DIR}/column_selection.cpp
  ${CMAKE_CURRENT_LIST_DIR}/distribution.cpp
  ${CMAKE_CURRENT_LIST_DIR}/part_codec.cpp
  ${CMAKE_CURRENT_LIST_DIR}/piece_spool.cpp
  ${CMAKE_CURRENT_LIST_DIR}/forecast_scores.cpp
  ${CMAKE_CURRENT_LIST_DIR}/simulator.cpp
  ${CMAKE_CURRENT_LIST_DIR}/streamed_combine.cpp)
