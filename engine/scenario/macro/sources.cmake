target_sources(rotor_engine PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/refinancing_wall.cpp
  ${CMAKE_CURRENT_LIST_DIR}/bifurcation.cpp)
