// This lab shows:
//  - the accept side of the notes' sample: a listener whose callback makes one Connection (a
//    bufferevent and its callbacks) per client, owned by the server and destroyed only through
//    close(), as the last act of one of its own callbacks;
//  - a connection limit: at the limit the listener is disabled and new clients wait in the kernel's
//    backlog; out of descriptors (EMFILE), accepting pauses for 100 ms instead of spinning;
//  - the two ways in (see echo_connection.cpp): libevent reads into the bufferevent's input and
//    calls on_read, or (direct_read) a ReadEvent calls on_readable and we recv() ourselves.

#include "05_libevent/echo/echo_server.hpp"

#include <stdexcept>
#include <system_error>

#include "05_libevent/echo/echo_connection.hpp"
#include "common/accept_error.hpp"
#include "common/log.hpp"

namespace netlab::libevent {
namespace {

using namespace std::chrono_literals;

}  // namespace

EchoServer::EchoServer(EventBase& base, const HostPort& where, EchoOptions options)
    : base_(base),
      options_(options),
      listener_(
          base, where,
          [this](UniqueFd client, const sockaddr* peer, socklen_t length) {
              on_accept(std::move(client), peer, length);
          },
          [this](int error) { on_accept_error(error); }),
      retry_accept_(base, [this] { update_accepting(); }),
      read_buffer_(options.direct_read ? kEchoReadBudget : 0) {}

EchoServer::~EchoServer() = default;

void EchoServer::on_accept(UniqueFd client, const sockaddr* peer, socklen_t peer_length) {
    // BEGIN SOLUTION on_accept
    std::unique_ptr<Connection> connection;
    try {
        connection = std::make_unique<Connection>(*this, BufferEvent(base_, std::move(client)),
                                                  to_string(peer, peer_length));
    } catch (const std::runtime_error& error) {  // e.g. out of memory for one client: drop only that one
        log::line(std::string("dropping a new connection: ") + error.what());
        return;
    }
    Connection& c = *connection;
    connections_.emplace(&c, std::move(connection));
    const auto on_read = options_.direct_read ? BufferEvent::DataCallback() : [&c] { c.on_read(); };
    c.bev().set_callbacks(
        on_read, [&c] { c.on_write(); }, [&c](short events, int error) { c.on_event(events, error); });
    // With direct_read the bufferevent only writes: its read timeout is the ReadEvent's idle timeout.
    c.bev().set_timeouts(options_.direct_read ? std::chrono::milliseconds(0) : options_.idle_timeout,
                         options_.idle_timeout);
    c.bev().set_write_low_watermark(options_.high_watermark / 2);
    c.bev().set_max_single_write(kEchoReadBudget);  // libevent's 16 KiB default would cap bulk echo
    if (options_.direct_read) {
        c.start_direct_reading();
        c.bev().enable(EV_WRITE);
    } else {
        c.bev().enable(EV_READ | EV_WRITE);
    }
    update_accepting();  // at the limit: stop accepting; the next clients wait in the backlog
    // END SOLUTION
}

void EchoServer::on_accept_error(int error) {
    const std::string reason = "accept: " + std::system_category().message(error);
    if (classify_accept_error(error) != AcceptError::out_of_resources) {
        log::line(reason + " (skipped)");  // e.g. a pending network error of one would-be client
        return;
    }
    log::line(reason + "; accepting again in 100 ms or when a connection ends");
    retry_accept_.start(100ms);
    update_accepting();
}

void EchoServer::close(Connection& connection) {
    connections_.erase(&connection);  // frees the bufferevent and closes its socket
    retry_accept_.stop();             // a descriptor was just freed: no need to wait for the retry
    update_accepting();
}

void EchoServer::update_accepting() {
    const bool wanted = connections_.size() < options_.max_connections && !retry_accept_.pending();
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

}  // namespace netlab::libevent
