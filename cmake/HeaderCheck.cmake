# SPDX-License-Identifier: MIT
# Every public header must compile on its own: a header that only builds because some .cpp
# happened to include <vector> or "engine/core/types.hpp" first breaks the next user who
# includes it elsewhere. (QuantLib's check_all_headers.sh, as a CMake target.)
#
#   rotor_add_header_check(<target> DIRS <dir>... USES <target>... [ALL])
#
# Generates, for each <dir>/**/*.hpp, a translation unit that includes the header twice (the
# second include checks `#pragma once`) and compiles them all into the OBJECT library <target>.
# The usage requirements (include directories, definitions, options) of the USES targets are
# applied without depending on them, so the check compiles headers only and never waits for a
# library to build. Without ALL the target is built only on request
# (`cmake --build <dir> --target <target>`).
#
# Globbing is deliberate here, unlike the explicit source lists: the check is meant to cover
# every header, including one added without touching CMake (CONFIGURE_DEPENDS re-globs).

function(rotor_add_header_check target)
  cmake_parse_arguments(PARSE_ARGV 1 ARG "ALL" "" "DIRS;USES")
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
    message(STATUS "rotor: ${target} compiles ${count} headers alone (part of all)")
  else()
    message(STATUS "rotor: ${target} compiles ${count} headers alone (on request)")
  endif()
endfunction()
