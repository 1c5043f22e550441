target_sources(rotor_engine PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/runner.cpp
  ${CMAKE_CURRENT_LIST_DIR}/backtest_model.cpp
  ${CMAKE_CURRENT_LIST_DIR}/calibrate.cpp
  ${CMAKE_CURRENT_LIST_DIR}/cell_schedule.cpp
  ${CMAKE_CURRENT_LIST_DIR}/commands.cpp
  ${CMAKE_CURRENT_LIST_DIR}/forward.cpp
  ${CMAKE_CURRENT_LIST_DIR}/history_codec.cpp
  ${CMAKE_CURRENT_LIST_DIR}/memory_estimate.cpp
  ${CMAKE_CURRENT_LIST_DIR}/process_group.cpp
  ${CMAKE_CURRENT_LIST_DIR}/progress.cpp
  ${CMAKE_CURRENT_LIST_DIR}/report_text.cpp
  ${CMAKE_CURRENT_LIST_DIR}/shared_cells.cpp
  ${CMAKE_CURRENT_LIST_DIR}/summary_sinks.cpp
  ${CMAKE_CURRENT_LIST_DIR}/walk_forward.cpp)
