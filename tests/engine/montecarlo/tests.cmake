target_sources(rotor_tests PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/band_histogram_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/column_selection_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/distribution_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/forecast_scores_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/part_codec_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/simulator_test.cpp)
