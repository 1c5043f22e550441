# SPDX-License-Identifier: MIT
# Every public header must compile on its own: a header that only builds because some .cpp
# happened to include <vector> or "engine/core/types.hpp" first breaks the next user who
# includes it elsewhere. (QuantLib's check_all_headers.sh, as a CMake target.)
#
#   rotor_add_header_check(<target> DIRS <dir>... USES <target>... [ALL] [SINCE <commit>])
#
# Generates, for each <dir>/**/*.hpp, a translation unit that includes the header twice (the
# second include checks `#pragma once`) and compiles them all into the OBJECT library <target>.
# The usage requirements (include directories, definitions, options) of the USES targets are
# applied without depending on them, so the check compiles headers only and never waits for a
# library to build. Without ALL the target is built only on request
# (`cmake --build <dir> --target <target>`). With SINCE, only the headers whose own project
# includes (transitively) changed since <commit>, a commit whose full check passed
# (tools/dev/headers_since.py; every header when the build's flags changed).
#
# Globbing is deliberate here, unlike the explicit source lists: the check is meant to cover
# every header, including one added without touching CMake (CONFIGURE_DEPENDS re-globs).

function(rotor_add_header_check target)
  cmake_parse_arguments(PARSE_ARGV 1 ARG "ALL" "SINCE" "DIRS;USES")
  set(out_dir ${CMAKE_CURRENT_BINARY_DIR}/${target})
  set(sources)
  foreach(dir IN LISTS ARG_DIRS)
    file(GLOB_RECURSE headers CONFIGURE_DEPENDS RELATIVE ${PROJECT_SOURCE_DIR}
         ${PROJECT_SOURCE_DIR}/${dir}/*.hpp)
    list(SORT headers)
    foreach(header IN LISTS headers)
      string(REGEX REPLACE "\\.hpp$" ".cpp" source ${out_dir}/${header})
      # file(CONFIGURE) rewrites the file only when its content changes: no spurious rebuilds.
      file(CONFIGURE OUTPUT ${source}
           CONTENT "#include \"${header}\"\n#include \"${header}\"  // twice: #pragma once\n"
           @ONLY)
      list(APPEND sources ${source})
    endforeach()
  endforeach()
  if(NOT sources)
    message(FATAL_ERROR "rotor_add_header_check(${target}): no headers under ${ARG_DIRS}")
  endif()
  list(LENGTH sources all_count)
  if(ARG_SINCE)
    set(all_headers)
    foreach(source IN LISTS sources)
      file(RELATIVE_PATH header ${out_dir} ${source})
      string(REGEX REPLACE "\\.cpp$" ".hpp" header ${header})
      list(APPEND all_headers ${header})
    endforeach()
    find_program(ROTOR_HEADERS_PYTHON3 NAMES python3 REQUIRED)
    execute_process(
      COMMAND ${ROTOR_HEADERS_PYTHON3} ${PROJECT_SOURCE_DIR}/tools/dev/headers_since.py
              ${PROJECT_SOURCE_DIR} ${ARG_SINCE} ${all_headers}
      OUTPUT_VARIABLE changed RESULT_VARIABLE failed)
    if(failed)  # e.g. a shallow clone without that commit: check them all
      message(STATUS "rotor: ${target}: ${ARG_SINCE} unknown here, every header is checked")
      set(changed "${all_headers}")
    else()
      string(REGEX REPLACE "\n" ";" changed "${changed}")
    endif()
    set(sources)
    foreach(header IN LISTS changed)
      if(header)
        string(REGEX REPLACE "\\.hpp$" ".cpp" source ${out_dir}/${header})
        list(APPEND sources ${source})
      endif()
    endforeach()
    if(NOT sources)
      message(STATUS "rotor: ${target}: none of ${all_count} headers changed since ${ARG_SINCE}")
      add_custom_target(${target})
      return()
    endif()
  endif()

  if(ARG_ALL)
    add_library(${target} OBJECT ${sources})
  else()
    add_library(${target} OBJECT EXCLUDE_FROM_ALL ${sources})
  endif()
  # The USES targets' usage requirements, without a build dependency on them: the check then
  # compiles headers only and never waits for a library. $<TARGET_PROPERTY:t,INTERFACE_*> is
  # evaluated transitively (Eigen, yaml-cpp, HDF5 ...). Every directory but the project's own is
  # a system one, as it is for the libraries' real users (no warnings from third-party headers).
  string(REGEX REPLACE "([][+.*()^$?|\\\\])" "\\\\\\1" root_regex "${PROJECT_SOURCE_DIR}")
  target_include_directories(${target} PRIVATE ${PROJECT_SOURCE_DIR})
  foreach(uses IN LISTS ARG_USES)
    set(dirs $<TARGET_PROPERTY:${uses},INTERFACE_INCLUDE_DIRECTORIES>)
    target_include_directories(${target} SYSTEM PRIVATE
      $<FILTER:${dirs},EXCLUDE,^${root_regex}/?$>)
    target_compile_definitions(${target} PRIVATE
      $<TARGET_PROPERTY:${uses},INTERFACE_COMPILE_DEFINITIONS>)
    target_compile_options(${target} PRIVATE
      $<TARGET_PROPERTY:${uses},INTERFACE_COMPILE_OPTIONS>)
  endforeach()
  list(LENGTH sources count)
  if(ARG_ALL)
    message(STATUS "rotor: ${target} compiles ${count} of ${all_count} headers alone (part of all)")
  else()
    message(STATUS "rotor: ${target} compiles ${count} of ${all_count} headers alone (on request)")
  endif()
endfunction()
