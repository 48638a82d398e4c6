// This lab shows:
//  - peer discovery on one host with QUdpSocket: each instance announces its name to a multicast
//    group on loopback (or by broadcast) and prints every other name it hears, once;
//  - a datagram program inside the course's contract: the first line is "listening on" with the
//    bound port, so a second instance can be started on the same port; SIGINT/SIGTERM -> exit 0.
// Try it: qt_udp_discovery --name ann --port 45454 & qt_udp_discovery --name bob --port 45454

#include <QCoreApplication>

#include <iostream>
#include <string>

#include "06_qt_network/quit_on_signal.hpp"
#include "06_qt_network/udp_discovery.hpp"
#include "common/cli.hpp"
#include "common/listening.hpp"
#include "common/shutdown_signal.hpp"

int main(int argc, char** argv) {
    netlab::CommandLine cli(
        "qt_udp_discovery",
        "Announces NAME on UDP PORT every --interval-ms and prints \"found NAME at HOST:PORT\" for\n"
        "each other instance it hears. Announcements go to the multicast group 239.255.43.21 on\n"
        "the loopback interface, or with --broadcast (or when multicast on lo is refused) to\n"
        "127.255.255.255. With --peers N it exits 0 once N peers were found.");
    cli.option("--name", "NAME", "this instance's name: 1-32 bytes, no spaces")
        .option("--port", "PORT", "UDP port every instance shares; 0 picks one (then tell the others)",
                "45454")
        .option("--interval-ms", "MS", "time between announcements, 10-60000", "1000")
        .option("--peers", "N", "exit once this many peers were found, 0-1000 (0: run until a signal)", "0")
        .flag("--broadcast", "announce by broadcast instead of multicast");
    return netlab::run_main(cli, argc, argv, [&argc, argv](const netlab::CommandLine& args) {
        const QString name = QString::fromStdString(args.get("--name").value_or(""));
        if (!netlab::qt::parse_announcement(netlab::qt::make_announcement(name))) {
            throw netlab::UsageError("--name is required: 1 to 32 bytes, no spaces");
        }
        const auto port = netlab::parse_port(args.get("--port").value_or(""));
        if (!port) {
            throw netlab::UsageError("--port must be a number 0-65535");
        }
        const std::chrono::milliseconds interval(args.number("--interval-ms", 10, 60000));
        const auto wanted = static_cast<int>(args.number("--peers", 0, 1000));
        const auto mode = args.has("--broadcast") ? netlab::qt::Discovery::Mode::broadcast
                                                  : netlab::qt::Discovery::Mode::multicast;

        const netlab::ShutdownSignal shutdown;
        const QCoreApplication app(argc, argv);
        const netlab::qt::QuitOnSignal quit_on_signal(shutdown);
        netlab::qt::Discovery discovery(name, mode, interval);
        int found = 0;
        QObject::connect(&discovery, &netlab::qt::Discovery::peerFound,
                         [&](const QString& peer, const QHostAddress& address, quint16 from) {
                             std::cout << "found " << peer.toStdString() << " at "
                                       << address.toString().toStdString() << ":" << from << std::endl;
                             if (++found == wanted) {
                                 QCoreApplication::exit(0);
                             }
                         });
        discovery.start(*port);
        netlab::announce_listening(discovery.descriptor());
        if (discovery.mode() != mode) {
            std::cerr << "qt_udp_discovery: multicast on lo refused, announcing by broadcast" << std::endl;
        }
        return QCoreApplication::exec();
    });
}
