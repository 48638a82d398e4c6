// This lab shows:
//  - lab 04's chat client rebuilt on Qt's loop: the same protocol bytes (lab 03's frames and chat
//    messages), but signals instead of a poll() call: connected, readyRead (through ChatChannel),
//    disconnected, errorOccurred, and a QSocketNotifier on standard input;
//  - that it interoperates with poll_chat_server, the C++ server of lab 04: two stacks, one protocol;
//  - a peer's names and text escaped with netlab::printable() before they reach the terminal;
//  - a progress deadline (a QTimer restarted by every byte moved) while the server owes us bytes.
// Try it: poll_chat_server --listen 127.0.0.1:9004, then qt_chat_client --connect 127.0.0.1:9004 --name ann

#include <unistd.h>

#include <QCoreApplication>
#include <QSocketNotifier>
#include <QTcpSocket>

#include <algorithm>
#include <array>
#include <cerrno>
#include <chrono>
#include <iostream>
#include <string>

#include "06_qt_network/chat_channel.hpp"
#include "06_qt_network/client_run.hpp"
#include "common/cli.hpp"
#include "common/peer_text.hpp"

namespace {

using netlab::core::ChatMessage;
using netlab::core::ChatType;

/// Standard input is not read while this much waits in Qt's write buffer: memory stays bounded.
constexpr qint64 kMaxQueued = 64 * 1024;

/// Prints one message from the server the way lab 04's chat_client does, every peer text
/// escaped: joins, says and leaves on stdout, an error on stderr.
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
            std::cerr << "qt_chat_client: the server says: " << netlab::printable(message.text) << std::endl;
            break;
    }
}

/// What the server owes us now, for the "no progress" error; empty when we only wait for the user.
std::string owed(const QTcpSocket& socket, bool welcomed, bool input_open) {
    if (socket.state() != QAbstractSocket::ConnectedState) {
        return "no connection yet";
    }
    if (!welcomed) {
        return "the server sent no welcome";
    }
    if (socket.bytesToWrite() > 0) {
        return "the server is not reading what we send";
    }
    return input_open ? "" : "the server did not close the connection after our leave";
}

/// Reads standard input once; sends each whole line as a say (typed keeps an unfinished line).
/// At the end of input sends the last piece and a leave, and returns false.
bool forward_input(netlab::qt::ChatChannel& channel, std::string& typed) {
    std::array<char, 4096> chunk{};
    const ssize_t n = ::read(STDIN_FILENO, chunk.data(), chunk.size());
    if (n < 0) {
        return errno == EINTR || errno == EAGAIN;
    }
    typed.append(chunk.data(), static_cast<std::size_t>(n));
    while (!typed.empty()) {
        const std::size_t end = typed.find('\n');
        if (end == std::string::npos && n > 0 && typed.size() < netlab::core::kMaxChatText) {
            break;  // the rest of this line is still to come
        }
        const std::size_t piece = std::min({end, typed.size(), netlab::core::kMaxChatText});
        channel.send({ChatType::say, "", typed.substr(0, piece)});
        typed.erase(0, piece == end ? piece + 1 : piece);
    }
    if (n == 0) {
        channel.send({ChatType::leave, "", ""});
    }
    return n > 0;
}

}  // namespace

int main(int argc, char** argv) {
    netlab::CommandLine cli(
        "qt_chat_client",
        "Joins poll_chat_server (lab 04) as NAME, sends each line of standard input as a say,\n"
        "and prints what the others say. At the end of input it leaves; it exits 0 once the\n"
        "server has closed the connection after that, 1 if the server refused it or left first,\n"
        "or made no progress for --timeout seconds while we waited for it.");
    cli.option("--connect", "HOST:PORT", "the chat server", "127.0.0.1:9004")
        .option("--name", "NAME", "your name in the chat, 1-32 bytes of printable UTF-8")
        .option("--timeout", "SECONDS", "longest wait for the server when it owes us bytes, 0 = none", "10");
    return netlab::run_main(cli, argc, argv, [&argc, argv](const netlab::CommandLine& args) {
        const netlab::HostPort where = args.endpoint("--connect");
        const std::string name = args.get("--name").value_or("");
        const auto problem = netlab::name_problem(name);
        if (problem || name.size() > netlab::core::kMaxChatName) {
            throw netlab::UsageError("--name is required: 1 to 32 bytes of printable UTF-8" +
                                     (problem ? " (" + *problem + ")" : std::string()));
        }
        const auto timeout = std::chrono::seconds(static_cast<long>(args.number("--timeout", 0, 86400)));
        const QCoreApplication app(argc, argv);  // a client: SIGINT keeps its default, it ends us
        QTcpSocket socket;
        netlab::qt::ChatChannel channel(socket);
        QSocketNotifier input(STDIN_FILENO, QSocketNotifier::Read);
        input.setEnabled(false);  // standard input is read only once the server has welcomed us
        std::string typed;
        bool welcomed = false;
        bool input_open = true;
        bool refused = false;
        netlab::qt::ClientRun run(timeout, [&] { return owed(socket, welcomed, input_open); });
        QObject::connect(&socket, &QTcpSocket::connected, [&] {
            channel.send({ChatType::join, name, ""});
            run.watch(true);
        });
        QObject::connect(&channel, &netlab::qt::ChatChannel::messageReceived,
                         [&](const ChatMessage& message) {
                             print(message);
                             refused = refused || message.type == ChatType::error;
                             if (!welcomed && message == ChatMessage{ChatType::join, name, ""}) {
                                 welcomed = true;
                                 input.setEnabled(input_open && socket.bytesToWrite() < kMaxQueued);
                             }
                         });
        // Connected after the channel's own readyRead slot: the messages are handled when this runs.
        QObject::connect(&socket, &QTcpSocket::readyRead, [&] { run.watch(true); });
        QObject::connect(&socket, &QTcpSocket::bytesWritten, [&] {
            input.setEnabled(welcomed && input_open && socket.bytesToWrite() < kMaxQueued);
            run.watch(true);
        });
        QObject::connect(&input, &QSocketNotifier::activated, [&] {
            input_open = forward_input(channel, typed);
            input.setEnabled(input_open && socket.bytesToWrite() < kMaxQueued);
            run.watch(false);
        });
        QObject::connect(&channel, &netlab::qt::ChatChannel::protocolError, [&](const QString& what) {
            run.finish(1, "bad data from the server: " + what.toStdString());
        });
        QObject::connect(&socket, &QTcpSocket::errorOccurred, [&](QAbstractSocket::SocketError error) {
            if (error != QAbstractSocket::RemoteHostClosedError) {  // that one: disconnected follows
                run.finish(1, socket.errorString().toStdString());
            }
        });
        QObject::connect(&socket, &QTcpSocket::disconnected, [&] {
            if (channel.failed()) {
                return;  // the channel cut the peer off: protocolError (emitted next) says why
            }
            if (refused || input_open) {
                run.finish(1, "the server closed the connection");
            } else {
                run.finish(0);  // after our leave: the normal end
            }
        });
        socket.connectToHost(QString::fromStdString(where.host), where.port);
        run.watch(false);
        const int status = QCoreApplication::exec();
        if (!run.error().empty()) {
            std::cerr << "error: " << run.error() << std::endl;
        }
        return status;
    });
}
