// This lab shows:
//  - the client side of poll_chat_server's protocol: join with a name and wait for the welcome,
//    then each line of standard input as a say, and a leave at the end of input;
//  - one poll() over standard input and the socket, so typing and receiving never wait on each
//    other; lab 03's FrameDecoder turns the socket's bytes back into messages;
//  - a deadline only while the server owes us something (the welcome, room for our bytes, the
//    close after our leave): poll()'s timeout, never a blocking call that could wait forever;
//  - a peer's text escaped with netlab::printable() before it reaches the terminal.
// Try it: chat_client --connect 127.0.0.1:9004 --name ann   (type lines; Ctrl-D leaves)

#include <poll.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <chrono>
#include <iostream>
#include <string>
#include <vector>

#include "03_encapsulation/core/tcp_stream.hpp"
#include "03_encapsulation/framing/chat_message.hpp"
#include "03_encapsulation/framing/frame_codec.hpp"
#include "03_encapsulation/framing/frame_decoder.hpp"
#include "common/check.hpp"
#include "common/cli.hpp"
#include "common/peer_text.hpp"

namespace {

using netlab::core::ChatMessage;
using netlab::core::ChatType;
using Clock = std::chrono::steady_clock;

/// Standard input is not read while this much waits for the server: memory stays bounded.
constexpr std::size_t kOutboxLimit = 64 * 1024;

/// Appends message, framed, to the bytes waiting for the server.
void queue(std::vector<std::byte>& outbox, const ChatMessage& message) {
    const auto frame =
        netlab::core::encode_frame(netlab::core::encode_chat(message), netlab::core::kMaxChatMessage);
    outbox.insert(outbox.end(), frame.begin(), frame.end());
}

/// Reads standard input once and queues each whole line as a say; typed keeps an unfinished line.
/// At the end of input, queues that last piece and a leave, and returns false.
bool forward_input(std::vector<std::byte>& outbox, std::string& typed) {
    std::array<char, 4096> chunk;
    const ssize_t n = ::read(STDIN_FILENO, chunk.data(), chunk.size());
    if (n < 0) {
        if (errno != EINTR && errno != EAGAIN) {
            netlab::throw_errno("read stdin");
        }
        return true;
    }
    typed.append(chunk.data(), static_cast<std::size_t>(n));
    while (!typed.empty()) {
        const std::size_t end = typed.find('\n');
        if (end == std::string::npos && n > 0 && typed.size() < netlab::core::kMaxChatText) {
            break;  // the rest of this line is still to come
        }
        // A line longer than a say can carry goes out as several says.
        const std::size_t piece = std::min({end, typed.size(), netlab::core::kMaxChatText});
        queue(outbox, {ChatType::say, "", typed.substr(0, piece)});
        typed.erase(0, piece == end ? piece + 1 : piece);
    }
    if (n == 0) {
        queue(outbox, {ChatType::leave, "", ""});
    }
    return n > 0;
}

/// Prints one message from the server, every peer text escaped: joins, says and leaves on
/// stdout, an error on stderr.
void print(const ChatMessage& message) {
    const std::string name = netlab::printable(message.name);
    switch (message.type) {
        case ChatType::join:
            std::cout << "* " << name << " joined" << std::endl;
            break;
        case ChatType::say:
            std::cout << name << ": " << netlab::printable(message.text) << std::endl;
            break;
        case ChatType::leave:
            std::cout << "* " << name << " left" << std::endl;
            break;
        case ChatType::error:
            std::cerr << "chat_client: the server says: " << netlab::printable(message.text) << std::endl;
            break;
    }
}

/// What the server owes us now, for the "no progress" error; nullptr when we only wait for the user.
const char* owed(bool joined, bool outbox_empty, bool input_open) {
    if (!joined) {
        return "the server sent no welcome";
    }
    if (!outbox_empty) {
        return "the server is not reading what we send";
    }
    return input_open ? nullptr : "the server did not close the connection after our leave";
}

}  // namespace

int main(int argc, char** argv) {
    netlab::CommandLine cli(
        "chat_client",
        "Joins poll_chat_server as NAME, sends each line of standard input as a say, and\n"
        "prints what the others say. At the end of input it leaves; it exits 0 once the\n"
        "server has closed the connection after that, 1 if the server refused it or left first,\n"
        "or made no progress for --timeout seconds while we waited for it.");
    cli.option("--connect", "HOST:PORT", "the chat server", "127.0.0.1:9004")
        .option("--name", "NAME", "your name in the chat, 1-32 bytes of printable UTF-8")
        .option("--timeout", "SECONDS", "longest wait for the server when it owes us bytes, 0 = none", "10");
    return netlab::run_main(cli, argc, argv, [](const netlab::CommandLine& args) {
        const netlab::HostPort where = args.endpoint("--connect");
        const std::string name = args.get("--name").value_or("");
        const auto problem = netlab::name_problem(name);
        if (problem || name.size() > netlab::core::kMaxChatName) {
            throw netlab::UsageError("--name is required: 1 to 32 bytes of printable UTF-8" +
                                     (problem ? " (" + *problem + ")" : std::string()));
        }
        const auto timeout = std::chrono::seconds(static_cast<long>(args.number("--timeout", 0, 86400)));
        auto server = netlab::core::TcpStream::connect(where.host, where.port);
        server.set_nonblocking();       // a send never blocks: it waits in poll(), where the deadline is
        std::vector<std::byte> outbox;  // bytes the kernel has not taken yet
        queue(outbox, {ChatType::join, name, ""});
        netlab::core::FrameDecoder decoder(netlab::core::kMaxChatMessage);
        std::string typed;
        bool joined = false;  // standard input is read only once the server has welcomed us
        bool input_open = true;
        bool refused = false;
        auto last_progress = Clock::now();
        for (;;) {
            const char* waiting_for = owed(joined, outbox.empty(), input_open);
            int wait_ms = -1;
            if (waiting_for == nullptr || timeout.count() == 0) {
                last_progress = Clock::now();  // the server owes us nothing: its clock does not run
            } else {
                const auto left =
                    std::chrono::ceil<std::chrono::milliseconds>(last_progress + timeout - Clock::now());
                if (left.count() <= 0) {
                    throw std::runtime_error("no progress for " + std::to_string(timeout.count()) +
                                             " s: " + waiting_for);
                }
                wait_ms = static_cast<int>(left.count());
            }
            const bool read_input = joined && input_open && outbox.size() < kOutboxLimit;
            const short server_events = outbox.empty() ? POLLIN : POLLIN | POLLOUT;
            pollfd entries[2] = {{server.get(), server_events, 0},
                                 {read_input ? STDIN_FILENO : -1, POLLIN, 0}};
            if (::poll(entries, 2, wait_ms) < 0) {
                if (errno == EINTR) {
                    continue;
                }
                netlab::throw_errno("poll");
            }
            if ((entries[0].revents & ~POLLOUT) != 0) {  // readable, or an error or hang-up to read
                const netlab::core::IoResult got = server.read_some(decoder.writable());
                if (got.eof()) {
                    if (refused || input_open || !outbox.empty()) {
                        std::cerr << "chat_client: the server closed the connection" << std::endl;
                        return 1;
                    }
                    return 0;  // after our leave: the normal end
                }
                last_progress = got ? Clock::now() : last_progress;
                decoder.commit(got.size);
                while (const netlab::core::FrameResult frame = decoder.pop()) {
                    const auto decoded = netlab::core::decode_chat(frame.payload);
                    if (!decoded) {
                        throw std::runtime_error("bad message from the server: " + decoded.error);
                    }
                    print(decoded.message);
                    refused = refused || decoded.message.type == ChatType::error;
                    joined =
                        joined || decoded.message == ChatMessage{ChatType::join, name, ""};  // the welcome
                }
                if (decoder.failed()) {
                    throw std::runtime_error("the server sent a frame over the maximum");
                }
            }
            if ((entries[0].revents & POLLOUT) != 0) {
                const netlab::core::IoResult sent = server.write_some(outbox);
                outbox.erase(outbox.begin(), outbox.begin() + static_cast<std::ptrdiff_t>(sent.size));
                last_progress = sent ? Clock::now() : last_progress;
            }
            if (entries[1].revents != 0) {
                input_open = forward_input(outbox, typed);
            }
        }
    });
}
