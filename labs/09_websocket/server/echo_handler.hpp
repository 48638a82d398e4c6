#pragma once
// This file shows:
//  - the whole application logic of an echo server once the protocol lives in WsServer:
//    every message goes back as it came, text as text, binary as binary.

#include "09_websocket/server/session.hpp"

namespace netlab::websocket {

/// Echoes each message to its sender. Stateless.
class EchoHandler final : public Handler {
public:
    /// Sends payload back with the same opcode. Loop thread.
    void on_message(Session& session, Opcode opcode, std::span<const std::byte> payload) override {
        // BEGIN SOLUTION EchoHandler::on_message
        session.send(opcode, payload);
        // END SOLUTION
    }
};

}  // namespace netlab::websocket
