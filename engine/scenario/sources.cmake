target_sources(rotor_engine PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/path.cpp
  ${CMAKE_CURRENT_LIST_DIR}/historical_replay.cpp
  ${CMAKE_CURRENT_LIST_DIR}/rate_path.cpp
  ${CMAKE_CURRENT_LIST_DIR}/generator_factory.cpp)
