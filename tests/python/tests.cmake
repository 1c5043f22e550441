# SPDX-License-Identifier: MIT
# The Python package's tests (pytest from Debian), one ctest entry per test file, against the
# package in the build tree. Registered only when the module is built (not under sanitizers).
execute_process(
  COMMAND ${Python3_EXECUTABLE} -c "import pytest, numpy, pandas, h5py, yaml, matplotlib"
  RESULT_VARIABLE rotor_python_test_deps OUTPUT_QUIET ERROR_QUIET)
if(NOT rotor_python_test_deps EQUAL 0)
  message(WARNING "rotor: ${Python3_EXECUTABLE} lacks pytest, numpy, pandas, h5py, yaml or "
                  "matplotlib; the Python tests are not registered (run tools/dev/setup)")
  return()
endif()
foreach(name results run docs install)
  add_test(NAME Python.${name}
           COMMAND ${Python3_EXECUTABLE} -m pytest -q -p no:cacheprovider
                   ${CMAKE_CURRENT_LIST_DIR}/test_${name}.py)
  set_tests_properties(Python.${name} PROPERTIES
    ENVIRONMENT "PYTHONPATH=${ROTOR_PYTHON_BUILD_DIR};ROTOR_CLI=$<TARGET_FILE:rotor>;ROTOR_SOURCE_DIR=${PROJECT_SOURCE_DIR};ROTOR_BUILD_DIR=${PROJECT_BINARY_DIR};MPLBACKEND=Agg;PYTHONDONTWRITEBYTECODE=1"
    TIMEOUT 600)
endforeach()
