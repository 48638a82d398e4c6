// This lab shows:
//  - an HTTP GET with QNetworkAccessManager, in the shape of `curl --fail -o FILE URL`: the body
//    streamed to a file or standard output as it arrives, never whole in memory;
//  - a transfer timeout, errors reported through errorOccurred, progress lines on stderr, and the
//    reply deleted (deleteLater) by us once finished;
//  - exit codes from curl: 0 ok, 22 for an HTTP status >= 400, 28 for a timeout, 1 otherwise;
//  - -o FILE through common/download_file: FILE is replaced only by a complete body, and Ctrl-C
//    (SIGINT, SIGTERM) removes the temporary and exits 128 + the signal (130 for SIGINT).
//  - the library reports (a result, error_text(), a progress signal); this main prints.
// Try it: netlab_http_peer --listen 127.0.0.1:8080, then qt_http_get --progress -o /tmp/x
// http://127.0.0.1:8080/bytes/10000000

#include <sys/signalfd.h>
#include <unistd.h>

#include <QCoreApplication>
#include <QNetworkProxy>

#include <csignal>
#include <iostream>
#include <optional>
#include <string>

#include "06_qt_network/http_download.hpp"
#include "06_qt_network/quit_on_signal.hpp"
#include "common/cli.hpp"
#include "common/download_file.hpp"
#include "common/peer_text.hpp"
#include "common/shutdown_signal.hpp"

/// 128 + the signal that stop received (130 for SIGINT), the status a shell shows for it.
static int interrupted_status(const netlab::ShutdownSignal& stop) {
    signalfd_siginfo info{};
    const bool known = ::read(stop.get(), &info, sizeof info) == static_cast<ssize_t>(sizeof info);
    return 128 + (known ? static_cast<int>(info.ssi_signo) : SIGINT);
}

int main(int argc, char** argv) {
    netlab::CommandLine cli(
        "qt_http_get",
        "Fetches URL (http://...) with QNetworkAccessManager and writes the body to standard\n"
        "output or to --output FILE as it arrives. Exit status as curl --fail: 0 ok, 22 when\n"
        "the server answers 400 or above, 28 when nothing moved for --timeout-ms, 1 otherwise.");
    cli.option("-o,--output", "FILE", "write the body here, replaced only when complete; - is stdout")
        .option("--timeout-ms", "MS", "abort when no byte moved for this long, 1-3600000", "30000")
        .flag("--progress", "print progress lines on stderr")
        .positionals("URL", "what to fetch", 1, 1);
    return netlab::run_main(cli, argc, argv, [&argc, argv](const netlab::CommandLine& args) {
        const QUrl url(QString::fromStdString(args.args().front()), QUrl::StrictMode);
        if (!url.isValid() || url.scheme() != QStringLiteral("http") || url.host().isEmpty()) {
            throw netlab::UsageError("URL must be http://HOST[:PORT]/PATH, not " + args.args().front());
        }
        netlab::qt::DownloadOptions options;
        options.timeout = std::chrono::milliseconds(args.number("--timeout-ms", 1, 3600000));

        const std::string path = args.get("--output").value_or("-");
        // With a temporary to remove, SIGINT/SIGTERM quit the loop (QuitOnSignal) and the DownloadFile
        // removes it. Written in place, the default (end now) is right, even in an open() waiting for a
        // FIFO's reader. First, before Qt starts threads: they inherit the blocked signals.
        std::optional<netlab::ShutdownSignal> stop;
        if (netlab::download_mode(path) == netlab::DownloadMode::replace) {
            stop.emplace();
        }
        const QCoreApplication app(argc, argv);
        std::optional<netlab::qt::QuitOnSignal> quit;
        if (stop) {
            quit.emplace(*stop);
        }
        netlab::DownloadFile file(path);  // outlives the manager and the download that write into it
        netlab::qt::DownloadFileDevice output(file);
        QNetworkAccessManager manager;
        manager.setProxy(QNetworkProxy::NoProxy);  // like curl --noproxy '*': the course's servers are local
        netlab::qt::Download download(manager, url, output, options);
        bool finished = false;
        QObject::connect(&download, &netlab::qt::Download::finished, [&](netlab::qt::DownloadResult result) {
            finished = true;
            if (result != netlab::qt::DownloadResult::ok) {  // the reason holds the server's reason phrase
                std::cerr << "qt_http_get: " << url.toString().toStdString() << ": "
                          << netlab::printable(download.error_text().toStdString()) << std::endl;
            }
            QCoreApplication::exit(static_cast<int>(result));
        });
        if (args.has("--progress")) {
            QObject::connect(&download, &netlab::qt::Download::progress, [](qint64 received, qint64 total) {
                std::cerr << "progress: " << received << "/"
                          << (total < 0 ? std::string("?") : std::to_string(total)) << " bytes" << std::endl;
            });
        }
        download.start();
        const int status = QCoreApplication::exec();
        if (!finished) {  // only QuitOnSignal ends the loop before the download does
            std::cerr << "qt_http_get: interrupted; " << path << " left as it was" << std::endl;
            return stop ? interrupted_status(*stop) : 1;
        }
        if (status == 0) {
            file.commit();
        }
        return status;
    });
}
