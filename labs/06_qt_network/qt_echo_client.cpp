// This lab shows:
//  - an echo client on Qt's loop: standard input watched by a QSocketNotifier, the socket by its
//    signals; input is read only while Qt's write buffer is short (backpressure, bytesWritten);
//  - the half-close Qt does not offer: once every byte has left Qt's buffer, shutdown(SHUT_WR) on
//    the descriptor sends our FIN, and the echo is read until the server's FIN;
//  - an end that Qt cannot name: a reset reads like a FIN in Qt, so only a full echo is success;
//  - a progress deadline (a QTimer restarted by every byte moved) while the server owes us bytes.
// Try it: qt_echo_server --listen 127.0.0.1:9006 & seq 3 | qt_echo_client --connect 127.0.0.1:9006

#include <sys/socket.h>
#include <unistd.h>

#include <QCoreApplication>
#include <QSocketNotifier>
#include <QTcpSocket>

#include <array>
#include <cerrno>
#include <chrono>
#include <iostream>
#include <string>

#include "06_qt_network/client_run.hpp"
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

/// What the server owes us now, for the "no progress" error; empty when we only wait for input.
std::string owed(const QTcpSocket& socket, qint64 sent, qint64 echoed, bool half_closed) {
    if (socket.state() != QAbstractSocket::ConnectedState) {
        return "no connection yet";
    }
    if (socket.bytesToWrite() > 0) {
        return "the server is not reading what we send (" + std::to_string(socket.bytesToWrite()) +
               " bytes wait)";
    }
    if (echoed < sent) {
        return "the server echoed " + std::to_string(echoed) + " of " + std::to_string(sent) + " bytes";
    }
    return half_closed ? "every byte came back, but the server sent no FIN" : "";
}

}  // namespace

int main(int argc, char** argv) {
    netlab::CommandLine cli(
        "qt_echo_client",
        "Sends standard input to an echo server and writes the echo to standard output. At the\n"
        "end of input it half-closes (FIN) and exits 0 once every byte came back and the server's\n"
        "FIN arrived; 1 on a short echo, a reset, or no progress for --timeout seconds while the\n"
        "server owed us bytes.");
    cli.option("--connect", "HOST:PORT", "the echo server", "127.0.0.1:9006")
        .option("--timeout", "SECONDS", "longest wait for the server when it owes us bytes, 0 = none", "10");
    return netlab::run_main(cli, argc, argv, [&argc, argv](const netlab::CommandLine& args) {
        const netlab::HostPort where = args.endpoint("--connect");
        const auto timeout = std::chrono::seconds(static_cast<long>(args.number("--timeout", 0, 86400)));
        const QCoreApplication app(argc, argv);
        QTcpSocket socket;
        QSocketNotifier input(STDIN_FILENO, QSocketNotifier::Read);
        input.setEnabled(false);
        bool input_done = false;
        bool half_closed = false;
        qint64 sent = 0;    // bytes handed to the socket
        qint64 echoed = 0;  // bytes that came back
        netlab::qt::ClientRun run(timeout, [&] { return owed(socket, sent, echoed, half_closed); });
        std::array<char, 64 * 1024> chunk{};

        const auto take_echo = [&] {
            const QByteArray echo = socket.readAll();
            echoed += echo.size();
            if (!write_stdout(echo.constData(), echo.size())) {
                run.finish(1, "standard output is closed");
            }
        };
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
        QObject::connect(&socket, &QTcpSocket::connected, [&] {
            input.setEnabled(true);
            run.watch(true);
        });
        QObject::connect(&input, &QSocketNotifier::activated, [&] {
            const ssize_t n = ::read(STDIN_FILENO, chunk.data(), chunk.size());
            if (n < 0 && (errno == EINTR || errno == EAGAIN)) {
                return;
            }
            if (n <= 0) {
                input_done = true;
                input.setEnabled(false);
                maybe_half_close();
            } else if (const qint64 queued = socket.write(chunk.data(), n); queued < 0) {
                run.finish(1, socket.errorString().toStdString());
            } else {
                sent += queued;
                input.setEnabled(socket.bytesToWrite() < kMaxQueued);
            }
            run.watch(false);
        });
        QObject::connect(&socket, &QTcpSocket::bytesWritten, [&] {
            input.setEnabled(!input_done && socket.bytesToWrite() < kMaxQueued);
            maybe_half_close();
            run.watch(true);
        });
        QObject::connect(&socket, &QTcpSocket::readyRead, [&] {
            take_echo();
            run.watch(true);
        });
        QObject::connect(&socket, &QTcpSocket::errorOccurred, [&](QAbstractSocket::SocketError error) {
            // RemoteHostClosedError is a FIN or a reset alike (Qt reads ECONNRESET as the end of the
            // stream): disconnected follows, and the byte count tells a whole echo from a cut one.
            if (error != QAbstractSocket::RemoteHostClosedError) {
                run.finish(1, socket.errorString().toStdString());
            }
        });
        QObject::connect(&socket, &QTcpSocket::disconnected, [&] {
            if (run.finished()) {
                return;  // the teardown after exec() returned
            }
            if (socket.bytesAvailable() > 0) {
                take_echo();  // anything Qt still holds
            }
            if (!half_closed) {
                run.finish(1, "the server closed the connection before the end of our input");
            } else if (echoed != sent) {
                run.finish(1, "the connection ended after " + std::to_string(echoed) + " of " +
                                  std::to_string(sent) +
                                  " bytes came back: the server reset it or closed early");
            } else {
                run.finish(0);
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
