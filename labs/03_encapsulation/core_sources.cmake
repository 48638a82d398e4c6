# Parts B and C of lab 03 (namespace netlab::core): the sources of netlab_core, listed once.
# Read by this lab's CMakeLists.txt (netlab_lab03_framing and netlab_lab03_core: the learner's copy)
# and by reference/CMakeLists.txt (netlab_core: always the reference, linked by labs 04+).
# Paths are relative to this folder.
set(NETLAB_FRAMING_SOURCES
  framing/chat_message.cpp
  framing/frame_codec.cpp
  framing/frame_decoder.cpp)
set(NETLAB_SOCKET_SOURCES
  core/address.cpp
  core/nonblocking.cpp
  core/tcp_listener.cpp
  core/tcp_stream.cpp
  core/udp_socket.cpp)
set(NETLAB_CORE_SOURCES ${NETLAB_FRAMING_SOURCES} ${NETLAB_SOCKET_SOURCES})
