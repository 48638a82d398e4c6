#pragma once
// This file shows:
//  - the command-line options both WebSocket servers share, declared and read in one place.

#include "09_websocket/server/ws_server.hpp"
#include "common/cli.hpp"

namespace netlab::websocket {

/// Declares --listen (with default_listen), --max-connections, --max-message, --handshake-timeout,
/// --idle-timeout.
void declare_server_options(CommandLine& cli, const std::string& default_listen);
/// Reads the options declared by declare_server_options; throws UsageError on a bad value.
ServerOptions read_server_options(const CommandLine& args);

}  // namespace netlab::websocket
