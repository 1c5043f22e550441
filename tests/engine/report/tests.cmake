# The report tests read results files back; fixtures are written with the HDF5 wrapper directly.
target_sources(rotor_tests PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/backtest_report_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/compare_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/hdf5_reader_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/mc_fixture.cpp
  ${CMAKE_CURRENT_LIST_DIR}/results_reader_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/svg_chart_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/tearsheet_test.cpp)
