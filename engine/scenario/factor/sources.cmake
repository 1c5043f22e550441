target_sources(rotor_engine PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/calibration.cpp
  ${CMAKE_CURRENT_LIST_DIR}/factor_generator.cpp
  ${CMAKE_CURRENT_LIST_DIR}/factor_model.cpp
  ${CMAKE_CURRENT_LIST_DIR}/factor_model_yaml.cpp)
