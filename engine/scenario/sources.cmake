target_sources(rotor_engine PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/path.cpp
  ${CMAKE_CURRENT_LIST_DIR}/rate_path.cpp
  ${CMAKE_CURRENT_LIST_DIR}/return_path_generator.cpp)
