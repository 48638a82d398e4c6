// This file shows:
//  - the server side of lab 05's pattern: a listener whose accept callback wraps each client in a
//    Connection (ws_connection.cpp) and keeps it in a map; a connection limit that pauses accepting;
//  - never destroying a connection while iterating: broadcast() only marks a too-slow client, and a
//    zero-delay timer destroys it on the next loop turn;
//  - accept() failures sorted by netlab::classify_accept_error: out of descriptors or memory, the
//    client still waits in the backlog, so the listener would stay readable and the loop spin; it
//    pauses instead, until a connection ends or 100 ms pass. A broken listener ends the loop.

#include "09_websocket/server/ws_server.hpp"

#include <stdexcept>
#include <string>
#include <system_error>
#include <utility>

#include "09_websocket/server/ws_connection.hpp"
#include "common/accept_error.hpp"
#include "common/log.hpp"

namespace netlab::websocket {

using namespace std::chrono_literals;

namespace {

constexpr std::chrono::milliseconds kAcceptPause = 100ms;  // out of descriptors: how long to wait

}  // namespace

WsServer::WsServer(libevent::EventBase& base, const HostPort& where, ServerOptions options, Handler& handler)
    : base_(base),
      options_(options),
      handler_(handler),
      listener_(
          base, where,
          [this](UniqueFd client, const sockaddr* peer, socklen_t length) {
              on_accept(std::move(client), peer, length);
          },
          [this](int error) { on_accept_error(error); }),
      reaper_(base, [this] { reap(); }),
      resume_(base, [this] {
          out_of_resources_ = false;
          update_accepting();
      }) {}

WsServer::~WsServer() {
    shutting_down_ = true;  // no handler calls while everything is torn down
    connections_.clear();
}

void WsServer::on_accept(UniqueFd client, const sockaddr* peer, socklen_t peer_length) {
    // BEGIN SOLUTION WsServer::on_accept
    std::unique_ptr<Connection> connection;
    try {
        connection = std::make_unique<Connection>(*this, libevent::BufferEvent(base_, std::move(client)),
                                                  to_string(peer, peer_length), next_id_++);
    } catch (const std::runtime_error& error) {
        netlab::log::line(std::string("dropping a new connection: ") + error.what());
        return;
    }
    Connection& c = *connection;
    connections_.emplace(&c, std::move(connection));
    c.bev().set_callbacks([&c] { c.on_read(); }, [&c] { c.on_write(); },
                          [&c](short events, int error) { c.on_event(events, error); });
    c.start_deadline(options_.handshake_timeout);  // fixed from accept: a trickle of bytes never extends it
    c.bev().set_write_low_watermark(options_.high_watermark / 2);
    c.bev().enable(EV_READ | EV_WRITE);
    update_accepting();
    // END SOLUTION
}

void WsServer::on_accept_error(int error) {
    switch (classify_accept_error(error)) {
        case AcceptError::retry:
            return;
        case AcceptError::out_of_resources:
            netlab::log::line("accept: " + std::system_category().message(error) + "; pausing for " +
                              std::to_string(kAcceptPause.count()) + " ms");
            out_of_resources_ = true;
            update_accepting();
            resume_.start(kAcceptPause);
            return;
        case AcceptError::fatal:
            throw std::system_error(error, std::system_category(), "accept");  // dispatch() rethrows it
    }
}

void WsServer::broadcast(Opcode opcode, std::span<const std::byte> payload) {
    for (auto& [key, connection] : connections_) {
        connection->send(opcode, payload);  // a too-slow client is only marked here (destroy_later)
    }
}

void WsServer::destroy(Connection& connection) {
    connections_.erase(&connection);  // frees the bufferevent and closes the socket
    out_of_resources_ = false;        // a descriptor was freed: the next client may fit
    update_accepting();
}

void WsServer::destroy_later(Connection& connection) {
    connection.kill();
    doomed_.push_back(&connection);
    reaper_.start(0ms);
}

void WsServer::reap() {
    for (Connection* connection : std::exchange(doomed_, {})) {
        destroy(*connection);
    }
}

void WsServer::update_accepting() {
    const bool wanted = connections_.size() < options_.max_connections && !out_of_resources_;
    if (wanted == accepting_) {
        return;
    }
    if (wanted) {
        listener_.enable();
    } else {
        listener_.disable();
    }
    accepting_ = wanted;
}

}  // namespace netlab::websocket
