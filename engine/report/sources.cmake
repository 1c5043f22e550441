# SPDX-License-Identifier: MIT
# Reading results files back: compare tables, the HTML reports and CSV export.
target_sources(rotor_engine PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/backtest_reader.cpp
  ${CMAKE_CURRENT_LIST_DIR}/backtest_report.cpp
  ${CMAKE_CURRENT_LIST_DIR}/compare.cpp
  ${CMAKE_CURRENT_LIST_DIR}/export_csv.cpp
  ${CMAKE_CURRENT_LIST_DIR}/hdf5_reader.cpp
  ${CMAKE_CURRENT_LIST_DIR}/html_page.cpp
  ${CMAKE_CURRENT_LIST_DIR}/history_section.cpp
  ${CMAKE_CURRENT_LIST_DIR}/html_report.cpp
  ${CMAKE_CURRENT_LIST_DIR}/mc_section.cpp
  ${CMAKE_CURRENT_LIST_DIR}/pit_calibration.cpp
  ${CMAKE_CURRENT_LIST_DIR}/report_kind.cpp
  ${CMAKE_CURRENT_LIST_DIR}/results_reader.cpp
  ${CMAKE_CURRENT_LIST_DIR}/svg_chart.cpp
  ${CMAKE_CURRENT_LIST_DIR}/sweep_section.cpp
  ${CMAKE_CURRENT_LIST_DIR}/tearsheet.cpp)
