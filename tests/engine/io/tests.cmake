target_sources(rotor_tests PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/atomic_file_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/hdf5_file_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/hdf5_heap_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/hdf5_links_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/hdf5_messages_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/hdf5_read.cpp
  ${CMAKE_CURRENT_LIST_DIR}/hdf5_types_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/hdf5_writer_mc_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/hdf5_writer_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/python_snippet.cpp
  ${CMAKE_CURRENT_LIST_DIR}/shard_file_test.cpp)
# The io tests read files back through the HDF5 C API directly, independently of the writer.
target_link_libraries(rotor_tests PRIVATE HDF5::HDF5)
