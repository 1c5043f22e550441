# SPDX-License-Identifier: MIT
# Reading results files back: compare tables, the HTML report and CSV export.
target_sources(rotor_engine PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/compare.cpp
  ${CMAKE_CURRENT_LIST_DIR}/export_csv.cpp
  ${CMAKE_CURRENT_LIST_DIR}/html_report.cpp
  ${CMAKE_CURRENT_LIST_DIR}/results_reader.cpp
  ${CMAKE_CURRENT_LIST_DIR}/svg_chart.cpp
  ${CMAKE_CURRENT_LIST_DIR}/tearsheet.cpp)
