# End-to-end tests of the `rotor` executable: exit codes, messages, files written or not.
target_sources(rotor_tests PRIVATE ${CMAKE_CURRENT_LIST_DIR}/cli_support.cpp)
target_sources(rotor_tests PRIVATE ${CMAKE_CURRENT_LIST_DIR}/cli_test.cpp)
target_sources(rotor_tests PRIVATE ${CMAKE_CURRENT_LIST_DIR}/report_cli_test.cpp)
target_sources(rotor_tests PRIVATE ${CMAKE_CURRENT_LIST_DIR}/forward_cli_test.cpp)
target_sources(rotor_tests PRIVATE ${CMAKE_CURRENT_LIST_DIR}/regime_cli_test.cpp)
target_sources(rotor_tests PRIVATE ${CMAKE_CURRENT_LIST_DIR}/conventions_cli_test.cpp)
add_dependencies(rotor_tests rotor)
target_compile_definitions(rotor_tests PRIVATE ROTOR_CLI="$<TARGET_FILE:rotor>")
