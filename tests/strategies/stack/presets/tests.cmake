target_sources(rotor_tests PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/buy_and_hold_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/fixed_mix_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/relative_momentum_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/dual_momentum_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/trend_filter_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/rate_regime_test.cpp)
