// This lab shows:
//  - the client side of poll_chat_server's protocol: join with a name and wait for the welcome,
//    then each line of standard input as a say, and a leave at the end of input;
//  - one poll() over standard input and the socket, so typing and receiving never wait on each
//    other; lab 03's FrameDecoder turns the socket's bytes back into messages.
// Try it: chat_client --connect 127.0.0.1:9004 --name ann   (type lines; Ctrl-D leaves)

#include <poll.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <iostream>
#include <string>

#include "03_encapsulation/chat_message.hpp"
#include "03_encapsulation/frame_codec.hpp"
#include "03_encapsulation/frame_decoder.hpp"
#include "03_encapsulation/tcp_stream.hpp"
#include "common/check.hpp"
#include "common/cli.hpp"

namespace {

using netlab::core::ChatMessage;
using netlab::core::ChatType;

void send(netlab::core::TcpStream& server, const ChatMessage& message) {
    server.write_all(
        netlab::core::encode_frame(netlab::core::encode_chat(message), netlab::core::kMaxChatMessage));
}

/// Reads standard input once and sends each whole line as a say; typed keeps an unfinished line.
/// At the end of input, sends that last piece and a leave, and returns false.
bool forward_input(netlab::core::TcpStream& server, std::string& typed) {
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
        send(server, {ChatType::say, "", typed.substr(0, piece)});
        typed.erase(0, piece == end ? piece + 1 : piece);
    }
    if (n == 0) {
        send(server, {ChatType::leave, "", ""});
    }
    return n > 0;
}

/// Prints one message from the server: joins, says and leaves on stdout, an error on stderr.
void print(const ChatMessage& message) {
    switch (message.type) {
        case ChatType::join:
            std::cout << "* " << message.name << " joined" << std::endl;
            break;
        case ChatType::say:
            std::cout << message.name << ": " << message.text << std::endl;
            break;
        case ChatType::leave:
            std::cout << "* " << message.name << " left" << std::endl;
            break;
        case ChatType::error:
            std::cerr << "chat_client: the server says: " << message.text << std::endl;
            break;
    }
}

}  // namespace

int main(int argc, char** argv) {
    netlab::CommandLine cli(
        "chat_client",
        "Joins poll_chat_server as NAME, sends each line of standard input as a say, and\n"
        "prints what the others say. At the end of input it leaves; it exits 0 once the\n"
        "server has closed the connection after that, 1 if the server refused it or left first.");
    cli.option("--connect", "HOST:PORT", "the chat server", "127.0.0.1:9004")
        .option("--name", "NAME", "your name in the chat, 1-32 bytes");
    return netlab::run_main(cli, argc, argv, [](const netlab::CommandLine& args) {
        const netlab::HostPort where = args.endpoint("--connect");
        const std::string name = args.get("--name").value_or("");
        if (name.empty() || name.size() > netlab::core::kMaxChatName) {
            throw netlab::UsageError("--name is required: 1 to 32 bytes");
        }
        auto server = netlab::core::TcpStream::connect(where.host, where.port);
        send(server, {ChatType::join, name, ""});
        netlab::core::FrameDecoder decoder(netlab::core::kMaxChatMessage);
        std::string typed;
        bool joined = false;  // standard input is read only once the server has welcomed us
        bool input_open = true;
        bool refused = false;
        for (;;) {
            const int input = joined && input_open ? STDIN_FILENO : -1;
            pollfd entries[2] = {{server.fd(), POLLIN, 0}, {input, POLLIN, 0}};
            if (::poll(entries, 2, -1) < 0 && errno != EINTR) {
                netlab::throw_errno("poll");
            }
            if (entries[1].revents != 0) {
                input_open = forward_input(server, typed);
            }
            if (entries[0].revents == 0) {
                continue;
            }
            const netlab::core::IoResult got = server.read_some(decoder.writable());
            if (got.eof()) {
                if (refused || input_open) {
                    std::cerr << "chat_client: the server closed the connection" << std::endl;
                    return 1;
                }
                return 0;  // after our leave: the normal end
            }
            decoder.commit(got.size);
            while (const netlab::core::FrameResult frame = decoder.pop()) {
                const auto decoded = netlab::core::decode_chat(frame.payload);
                if (!decoded) {
                    throw std::runtime_error("bad message from the server: " + decoded.error);
                }
                print(decoded.message);
                refused = refused || decoded.message.type == ChatType::error;
                joined = joined || decoded.message == ChatMessage{ChatType::join, name, ""};  // the welcome
            }
            if (decoder.failed()) {
                throw std::runtime_error("the server sent a frame over the maximum");
            }
        }
    });
}
