target_sources(rotor_engine PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/compose.cpp
  ${CMAKE_CURRENT_LIST_DIR}/config_node.cpp
  ${CMAKE_CURRENT_LIST_DIR}/yaml_writer.cpp)
