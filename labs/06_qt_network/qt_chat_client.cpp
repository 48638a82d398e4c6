// This lab shows:
//  - lab 04's chat client rebuilt on Qt's loop: the same protocol bytes (lab 03's frames and chat
//    messages), but signals instead of a poll() call: connected, readyRead (through ChatChannel),
//    disconnected, errorOccurred, and a QSocketNotifier on standard input;
//  - that it interoperates with poll_chat_server, the C++ server of lab 04: two stacks, one protocol.
// Try it: poll_chat_server --listen 127.0.0.1:9004, then qt_chat_client --connect 127.0.0.1:9004 --name ann

#include <unistd.h>

#include <QCoreApplication>
#include <QSocketNotifier>
#include <QTcpSocket>

#include <algorithm>
#include <array>
#include <iostream>
#include <string>

#include "06_qt_network/chat_channel.hpp"
#include "common/cli.hpp"

namespace {

using netlab::core::ChatMessage;
using netlab::core::ChatType;

/// Prints one message from the server the way lab 04's chat_client does.
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
            std::cerr << "qt_chat_client: the server says: " << message.text << std::endl;
            break;
    }
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
        "server has closed the connection after that, 1 if the server refused it or left first.");
    cli.option("--connect", "HOST:PORT", "the chat server", "127.0.0.1:9004")
        .option("--name", "NAME", "your name in the chat, 1-32 bytes");
    return netlab::run_main(cli, argc, argv, [&argc, argv](const netlab::CommandLine& args) {
        const netlab::HostPort where = args.endpoint("--connect");
        const std::string name = args.get("--name").value_or("");
        if (name.empty() || name.size() > netlab::core::kMaxChatName) {
            throw netlab::UsageError("--name is required: 1 to 32 bytes");
        }
        const QCoreApplication app(argc, argv);  // a client: SIGINT keeps its default, it ends us
        QTcpSocket socket;
        netlab::qt::ChatChannel channel(socket);
        QSocketNotifier input(STDIN_FILENO, QSocketNotifier::Read);
        input.setEnabled(false);  // standard input is read only once the server has welcomed us
        std::string typed;
        bool input_open = true;
        bool refused = false;

        QObject::connect(&socket, &QTcpSocket::connected, [&] { channel.send({ChatType::join, name, ""}); });
        QObject::connect(&channel, &netlab::qt::ChatChannel::messageReceived,
                         [&](const ChatMessage& message) {
                             print(message);
                             refused = refused || message.type == ChatType::error;
                             if (input_open && message == ChatMessage{ChatType::join, name, ""}) {
                                 input.setEnabled(true);  // the welcome
                             }
                         });
        QObject::connect(&input, &QSocketNotifier::activated, [&] {
            input_open = forward_input(channel, typed);
            input.setEnabled(input_open);
        });
        QObject::connect(&channel, &netlab::qt::ChatChannel::protocolError, [](const QString& what) {
            std::cerr << "qt_chat_client: bad data from the server: " << what.toStdString() << std::endl;
            QCoreApplication::exit(1);
        });
        QObject::connect(&socket, &QTcpSocket::errorOccurred, [&](QAbstractSocket::SocketError error) {
            if (error != QAbstractSocket::RemoteHostClosedError) {  // that one: disconnected follows
                std::cerr << "qt_chat_client: " << socket.errorString().toStdString() << std::endl;
                QCoreApplication::exit(1);
            }
        });
        QObject::connect(&socket, &QTcpSocket::disconnected, [&] {
            if (refused || input_open) {
                std::cerr << "qt_chat_client: the server closed the connection" << std::endl;
                QCoreApplication::exit(1);
            } else {
                QCoreApplication::exit(0);  // after our leave: the normal end
            }
        });
        socket.connectToHost(QString::fromStdString(where.host), where.port);
        return QCoreApplication::exec();
    });
}
