target_sources(rotor_tests PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/compose_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/config_node_test.cpp)
