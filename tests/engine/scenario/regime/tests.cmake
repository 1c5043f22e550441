target_sources(rotor_tests PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/policy_episodes_test.cpp)
