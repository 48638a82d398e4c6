// This file shows:
//  - the handshake read with a deadline: bytes are collected until the response head is complete
//    (bounded by HeadLimits), and whatever came after it is already the first frame;
//  - the client's half of the close handshake: send Close (or answer the server's), then wait for
//    the server to close TCP first, as RFC 6455 7.1.1 asks; a deadline bounds that wait.

#include "09_websocket/client/ws_client_session.hpp"

#include <poll.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <stdexcept>
#include <system_error>

#include "09_websocket/protocol/close_code.hpp"
#include "09_websocket/protocol/upgrade.hpp"
#include "09_websocket/protocol/utf8.hpp"
#include "common/log.hpp"
#include "common/peer_text.hpp"

namespace netlab::websocket {
namespace {

using Clock = std::chrono::steady_clock;

/// The peer reset the connection (a read's ECONNRESET, a write's EPIPE or ECONNRESET).
bool is_reset(const std::system_error& error) {
    return error.code() == std::errc::connection_reset || error.code() == std::errc::broken_pipe;
}

constexpr std::size_t kMaxQueued = 1 << 20;  // stop reading stdin while this much waits to be sent

int millis_until(Clock::time_point deadline) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    return left < 0 ? 0 : static_cast<int>(left);
}

}  // namespace

WsClient::WsClient(core::TcpStream stream, const ClientOptions& options, Diagnostics diagnostics)
    : stream_(std::move(stream)),
      options_(options),
      diagnostics_(diagnostics ? std::move(diagnostics) : Diagnostics(netlab::log::line)),
      decoder_(Role::client, options.max_message) {}

WsClient WsClient::connect(const ClientOptions& options, Diagnostics diagnostics) {
    // BEGIN SOLUTION WsClient::connect
    core::TcpStream stream = core::TcpStream::connect(options.server.host, options.server.port);
    stream.set_no_delay();
    const std::string key = random_key();
    stream.write_all(as_bytes(upgrade_request(format_host_port(options.server), options.path, key)));
    stream.set_nonblocking();
    const auto deadline = Clock::now() + options.timeout;
    std::string received;
    for (;;) {
        pollfd waiting{stream.get(), POLLIN, 0};
        const int ready = ::poll(&waiting, 1, millis_until(deadline));
        if (ready < 0 && errno != EINTR) {
            throw std::system_error(errno, std::system_category(), "poll");
        }
        if (ready == 0) {
            throw std::runtime_error("no complete handshake reply within " +
                                     std::to_string(options.timeout.count()) + " ms");
        }
        std::array<std::byte, 4096> chunk{};
        const core::IoResult got = stream.read_some(chunk);
        if (got.eof()) {
            throw std::runtime_error("the server closed the connection during the handshake");
        }
        received.append(as_text(std::span(chunk).first(got.size)));
        const HeadResult parsed = parse_response_head(received);
        if (parsed.status == ParseStatus::error) {
            throw std::runtime_error("bad handshake reply: " + printable(parsed.error));
        }
        if (parsed.status == ParseStatus::complete) {
            if (const std::string problem = check_upgrade_response(parsed.head, key); !problem.empty()) {
                throw std::runtime_error("handshake refused: " + printable(problem));  // quotes the server
            }
            WsClient client(std::move(stream), options, std::move(diagnostics));
            client.decoder_.feed(as_bytes(std::string_view(received).substr(parsed.consumed)));
            return client;
        }
    }
    // END SOLUTION
}

void WsClient::send_message(Opcode opcode, std::span<const std::byte> payload) {
    // BEGIN SOLUTION WsClient::send_message
    const std::size_t piece = options_.fragment == 0 ? payload.size() : options_.fragment;
    std::size_t at = 0;
    Opcode next = opcode;
    do {
        const std::size_t n = std::min(piece, payload.size() - at);
        const bool fin = at + n == payload.size();
        append_frame(out_, next, fin, payload.subspan(at, n), masks_.next());
        next = Opcode::continuation;
        at += n;
    } while (at < payload.size());
    // END SOLUTION
}

void WsClient::send_control(Opcode opcode, std::span<const std::byte> payload) {
    append_frame(out_, opcode, true, payload.first(std::min(payload.size(), kMaxControlPayload)),
                 masks_.next());
}

void WsClient::start_close(std::uint16_t code, std::string_view reason) {
    if (!close_sent_) {
        send_control(Opcode::close, close_payload(code, reason));
        close_sent_ = true;
        sent_code_ = code;
    }
}

void WsClient::on_line(std::string_view line) {
    if (close_sent_) {
        return;  // after our Close, nothing more may be sent
    }
    if (line.starts_with("/ping")) {
        send_control(Opcode::ping, as_bytes(line.substr(std::min<std::size_t>(line.size(), 6))));
    } else if (line.starts_with("/close")) {
        std::string_view rest = line.substr(std::min<std::size_t>(line.size(), 7));
        unsigned code = close_code::kNormal;
        const auto [end, error] = std::from_chars(rest.data(), rest.data() + rest.size(), code);
        if (error != std::errc() || code > 0xFFFF) {
            code = close_code::kNormal;
        }
        rest.remove_prefix(static_cast<std::size_t>(end - rest.data()));
        if (!rest.empty() && rest.front() == ' ') {
            rest.remove_prefix(1);
        }
        start_close(static_cast<std::uint16_t>(code), rest);
    } else if (line.starts_with("/binary ")) {
        send_message(Opcode::binary, as_bytes(line.substr(8)));
    } else {
        if (line.starts_with("//")) {
            line.remove_prefix(1);  // "//text" sends "/text"
        }
        send_message(is_valid_utf8(as_bytes(line)) ? Opcode::text : Opcode::binary, as_bytes(line));
    }
}

void WsClient::handle(const Event& event, std::ostream& out) {
    // BEGIN SOLUTION WsClient::handle
    switch (event.kind) {
        case EventKind::text:
            // The peer's text is shown, never obeyed: no ESC sequence, no forged line.
            out << printable(as_text(event.payload)) << '\n' << std::flush;
            break;
        case EventKind::binary:
            out << "[binary " << event.payload.size() << " bytes]\n" << std::flush;
            break;
        case EventKind::ping:
            if (!close_sent_) {
                send_control(Opcode::pong, event.payload);
            }
            break;
        case EventKind::pong:
            out << "[pong] " << printable(as_text(event.payload)) << '\n' << std::flush;
            break;
        case EventKind::close: {
            const std::string reason = printable(as_text(event.payload));
            out << "[close " << event.code << (reason.empty() ? "" : " ") << reason << "]\n" << std::flush;
            if (reports_failure(event.code) && !(close_sent_ && sent_code_ == event.code)) {
                failed_ = true;  // not the echo of our own code: the server says something failed
                diagnostics_("the server closed with " + std::to_string(event.code) + ": " + reason);
            }
            close_received_ = true;
            start_close(event.code == close_code::kNoStatus ? close_code::kNoStatus : event.code,
                        as_text(event.payload));
            break;
        }
        case EventKind::error:
            failed_ = true;
            start_close(event.code, event.error);
            throw std::runtime_error("the server broke the protocol (" + std::to_string(event.code) +
                                     "): " + event.error);
        case EventKind::need_more:
            break;
    }
    // END SOLUTION
}

void WsClient::decode(std::ostream& out) {
    while (const Event event = decoder_.next()) {
        handle(event, out);
    }
    if (decoder_.failed()) {
        handle(decoder_.next(), out);
    }
}

bool WsClient::read_socket(std::ostream& out) {
    core::IoResult got;
    try {
        got = stream_.read_some(decoder_.writable());
    } catch (const std::system_error& error) {
        if (!close_received_ || !is_reset(error)) {
            throw;
        }
        server_gone_ = true;  // it sent its Close, then reset instead of a FIN: the close is complete
        return false;
    }
    if (got.would_block()) {
        return true;
    }
    if (got.eof()) {
        server_gone_ = true;
        return false;
    }
    decoder_.commit(got.size);
    decode(out);
    return true;
}

void WsClient::flush() {
    while (out_sent_ < out_.size()) {
        core::IoResult wrote;
        try {
            wrote = stream_.write_some(std::span(out_).subspan(out_sent_));
        } catch (const std::system_error& error) {
            if (!close_received_ || !is_reset(error)) {
                throw;
            }
            server_gone_ = true;  // it sent its Close and left before our reply: nothing more to say
            out_sent_ = out_.size();
            return;
        }
        if (wrote.would_block()) {
            return;
        }
        out_sent_ += wrote.size;
    }
    out_.clear();
    out_sent_ = 0;
}

void WsClient::read_input(int input_fd) {
    char chunk[4096];
    const ssize_t n = ::read(input_fd, chunk, sizeof chunk);
    if (n < 0 && errno != EINTR && errno != EAGAIN) {
        throw std::system_error(errno, std::system_category(), "read stdin");
    }
    if (n == 0) {
        input_open_ = false;
        if (!line_.empty()) {
            on_line(std::exchange(line_, {}));
        }
        start_close(options_.close_code, "");
    }
    line_.append(chunk, n > 0 ? static_cast<std::size_t>(n) : 0);
    for (std::size_t eol = line_.find('\n'); eol != std::string::npos; eol = line_.find('\n')) {
        std::string_view line(line_.data(), eol);
        if (line.ends_with('\r')) {
            line.remove_suffix(1);
        }
        on_line(line);
        line_.erase(0, eol + 1);
    }
    if (line_.size() > options_.max_message) {
        throw std::runtime_error("an input line is longer than " + std::to_string(options_.max_message) +
                                 " bytes");
    }
}

int WsClient::run(int input_fd, std::ostream& out) {
    // BEGIN SOLUTION WsClient::run
    std::optional<Clock::time_point> close_deadline;
    try {
        decode(out);  // frames that arrived together with the 101 reply
        while (!server_gone_) {
            if (close_sent_ && !close_deadline) {
                close_deadline = Clock::now() + options_.timeout;
            }
            const bool watch_input = input_open_ && !close_sent_ && out_.size() - out_sent_ < kMaxQueued;
            pollfd fds[2] = {
                {stream_.get(), static_cast<short>(POLLIN | (out_sent_ < out_.size() ? POLLOUT : 0)), 0},
                {watch_input ? input_fd : -1, POLLIN, 0}};
            const int ready = ::poll(fds, 2, close_deadline ? millis_until(*close_deadline) : -1);
            if (ready < 0 && errno != EINTR) {
                throw std::system_error(errno, std::system_category(), "poll");
            }
            if (ready == 0 && close_received_ && out_sent_ == out_.size()) {
                diagnostics_("closed; the server did not close TCP within the timeout");
                return failed_ ? 1 : 0;
            }
            if (ready == 0) {
                diagnostics_("the close handshake did not finish within " +
                             std::to_string(options_.timeout.count()) + " ms");
                return 1;
            }
            if ((fds[0].revents & (POLLIN | POLLHUP | POLLERR)) != 0 && !read_socket(out)) {
                break;
            }
            if ((fds[0].revents & POLLOUT) != 0) {
                flush();
            }
            if ((fds[1].revents & (POLLIN | POLLHUP)) != 0) {
                read_input(input_fd);
            }
        }
    } catch (const std::runtime_error& error) {
        diagnostics_(error.what());
        flush();  // best effort: our Close frame with the code
        return 1;
    }
    if (!close_received_) {
        diagnostics_("the server closed TCP without a Close frame (1006)");
        return 1;
    }
    return failed_ || !close_sent_ ? 1 : 0;
    // END SOLUTION
}

}  // namespace netlab::websocket
