// This lab shows:
//  - a Qt echo server behind the course's command-line contract: QTcpServer listening, the
//    "listening on" line, SIGINT/SIGTERM through a QSocketNotifier on a signalfd, exit 0;
//  - the same echo semantics as lab 04's epoll_echo_server (half-close included), in Qt's idiom:
//    no loop of our own, only slots that the event loop calls;
//  - --threads N: the worker-per-thread variant (echo_server.hpp).
// Try it: qt_echo_server --listen 127.0.0.1:9006, then echo hi | tcp_echo_client --connect 127.0.0.1:9006

#include <QCoreApplication>
#include <QHostAddress>

#include <string>

#include "06_qt_network/echo_server.hpp"
#include "06_qt_network/quit_on_signal.hpp"
#include "common/cli.hpp"
#include "common/listening.hpp"
#include "common/shutdown_signal.hpp"

int main(int argc, char** argv) {
    netlab::CommandLine cli(
        "qt_echo_server",
        "Echoes every byte back to each TCP client with QTcpServer and QTcpSocket. After a\n"
        "client's FIN it sends the rest of the echo, then FIN. With --threads N the clients are\n"
        "shared among N worker threads (each with its own event loop); by default the main\n"
        "thread serves them all. SIGINT or SIGTERM closes everything, exit 0.");
    cli.option("--listen", "HOST:PORT", "address to listen on; port 0 picks a free port", "127.0.0.1:9006")
        .option("--threads", "N", "worker threads, 0-64 (0: serve on the main thread)", "0");
    return netlab::run_main(cli, argc, argv, [&argc, argv](const netlab::CommandLine& args) {
        const netlab::HostPort where = args.endpoint("--listen");
        const auto threads = static_cast<std::size_t>(args.number("--threads", 0, 64));
        QHostAddress address;
        if (!address.setAddress(QString::fromStdString(where.host))) {
            throw netlab::UsageError("--listen needs a numeric address, not " + where.host);
        }
        const netlab::ShutdownSignal shutdown;  // first: every thread started later inherits the mask
        const QCoreApplication app(argc, argv);
        const netlab::qt::QuitOnSignal quit_on_signal(shutdown);
        netlab::qt::EchoServer server(threads);
        if (!server.listen(address, where.port)) {
            throw std::runtime_error("listen " + netlab::format_host_port(where) + ": " +
                                     server.errorString().toStdString());
        }
        netlab::announce_listening(static_cast<int>(server.socketDescriptor()));
        return QCoreApplication::exec();
    });
}
