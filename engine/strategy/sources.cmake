target_sources(rotor_engine PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/market_view.cpp
  ${CMAKE_CURRENT_LIST_DIR}/registry.cpp)
