// This lab shows:
//  - an echo client on Qt's loop: standard input watched by a QSocketNotifier, the socket by its
//    signals; input is read only while Qt's write buffer is short (backpressure, bytesWritten);
//  - the half-close Qt does not offer: once every byte has left Qt's buffer, shutdown(SHUT_WR) on
//    the descriptor sends our FIN, and the echo is read until the server's FIN.
// Try it: qt_echo_server --listen 127.0.0.1:9006 & seq 3 | qt_echo_client --connect 127.0.0.1:9006

#include <sys/socket.h>
#include <unistd.h>

#include <QCoreApplication>
#include <QSocketNotifier>
#include <QTcpSocket>

#include <array>
#include <cerrno>
#include <iostream>

#include "common/cli.hpp"

namespace {

constexpr qint64 kMaxQueued = 256 * 1024;  // unsent bytes we allow before pausing standard input

/// Writes all of data to standard output; false if it is closed.
bool write_stdout(const char* data, qint64 size) {
    while (size > 0) {
        const ssize_t n = ::write(STDOUT_FILENO, data, static_cast<std::size_t>(size));
        if (n < 0 && errno != EINTR) {
            return false;
        }
        if (n > 0) {
            data += n;
            size -= n;
        }
    }
    return true;
}

}  // namespace

int main(int argc, char** argv) {
    netlab::CommandLine cli(
        "qt_echo_client",
        "Sends standard input to an echo server and writes the echo to standard output. At the\n"
        "end of input it half-closes (FIN) and exits 0 once the server's FIN arrived.");
    cli.option("--connect", "HOST:PORT", "the echo server", "127.0.0.1:9006");
    return netlab::run_main(cli, argc, argv, [&argc, argv](const netlab::CommandLine& args) {
        const netlab::HostPort where = args.endpoint("--connect");
        const QCoreApplication app(argc, argv);
        QTcpSocket socket;
        QSocketNotifier input(STDIN_FILENO, QSocketNotifier::Read);
        input.setEnabled(false);
        bool input_done = false;
        bool half_closed = false;
        std::array<char, 64 * 1024> chunk{};

        // Our FIN, once the input is over AND Qt's write buffer is empty (a FIN before the last
        // bytes left would cut them off).
        const auto maybe_half_close = [&] {
            // BEGIN SOLUTION qt_echo_client::maybe_half_close
            if (input_done && !half_closed && socket.bytesToWrite() == 0) {
                half_closed = true;
                ::shutdown(static_cast<int>(socket.socketDescriptor()), SHUT_WR);  // Qt has no call for it
            }
            // END SOLUTION
        };
        QObject::connect(&socket, &QTcpSocket::connected, [&] { input.setEnabled(true); });
        QObject::connect(&input, &QSocketNotifier::activated, [&] {
            const ssize_t n = ::read(STDIN_FILENO, chunk.data(), chunk.size());
            if (n < 0 && (errno == EINTR || errno == EAGAIN)) {
                return;
            }
            if (n <= 0) {
                input_done = true;
                input.setEnabled(false);
                maybe_half_close();
                return;
            }
            socket.write(chunk.data(), n);
            input.setEnabled(socket.bytesToWrite() < kMaxQueued);
        });
        QObject::connect(&socket, &QTcpSocket::bytesWritten, [&] {
            input.setEnabled(!input_done && socket.bytesToWrite() < kMaxQueued);
            maybe_half_close();
        });
        QObject::connect(&socket, &QTcpSocket::readyRead, [&] {
            const QByteArray echo = socket.readAll();
            if (!write_stdout(echo.constData(), echo.size())) {
                QCoreApplication::exit(1);
            }
        });
        QObject::connect(&socket, &QTcpSocket::errorOccurred, [&](QAbstractSocket::SocketError error) {
            if (error != QAbstractSocket::RemoteHostClosedError) {  // that one: disconnected follows
                std::cerr << "qt_echo_client: " << socket.errorString().toStdString() << std::endl;
                QCoreApplication::exit(1);
            }
        });
        QObject::connect(&socket, &QTcpSocket::disconnected, [&] {
            if (!half_closed) {
                std::cerr << "qt_echo_client: the server closed the connection first" << std::endl;
            }
            QCoreApplication::exit(half_closed ? 0 : 1);
        });
        socket.connectToHost(QString::fromStdString(where.host), where.port);
        return QCoreApplication::exec();
    });
}
