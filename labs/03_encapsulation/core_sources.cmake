# Parts B and C of lab 03 (namespace netlab::core): the sources of netlab_core, listed once.
# Read by this lab's CMakeLists.txt (netlab_lab03: the learner's copy) and by reference/CMakeLists.txt
# (netlab_core: always the reference, linked by labs 04+). Paths are relative to this folder.
set(NETLAB_CORE_SOURCES
  framing/chat_message.cpp
  framing/frame_codec.cpp
  framing/frame_decoder.cpp
  core/address.cpp
  core/nonblocking.cpp
  core/tcp_listener.cpp
  core/tcp_stream.cpp
  core/udp_socket.cpp)
