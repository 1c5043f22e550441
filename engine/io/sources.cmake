target_sources(rotor_engine PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/atomic_file.cpp
  ${CMAKE_CURRENT_LIST_DIR}/hdf5_btree2.cpp
  ${CMAKE_CURRENT_LIST_DIR}/hdf5_file.cpp
  ${CMAKE_CURRENT_LIST_DIR}/hdf5_heap.cpp
  ${CMAKE_CURRENT_LIST_DIR}/hdf5_links.cpp
  ${CMAKE_CURRENT_LIST_DIR}/hdf5_messages.cpp
  ${CMAKE_CURRENT_LIST_DIR}/hdf5_sink.cpp
  ${CMAKE_CURRENT_LIST_DIR}/hdf5_types.cpp
  ${CMAKE_CURRENT_LIST_DIR}/hdf5_writer.cpp
  ${CMAKE_CURRENT_LIST_DIR}/hdf5_writer_mc.cpp
  ${CMAKE_CURRENT_LIST_DIR}/shard_file.cpp)
