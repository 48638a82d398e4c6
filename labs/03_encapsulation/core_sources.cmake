# Parts B and C of lab 03 (namespace netlab::core): the sources of netlab_core, listed once.
# Read by this lab's CMakeLists.txt (netlab_lab03: the learner's copy) and by core/CMakeLists.txt
# (netlab_core: always the reference, linked by labs 04+). Paths are relative to this folder.
set(NETLAB_CORE_SOURCES
  address.cpp
  chat_message.cpp
  frame_codec.cpp
  frame_decoder.cpp
  nonblocking.cpp
  tcp_listener.cpp
  tcp_stream.cpp
  udp_socket.cpp)
