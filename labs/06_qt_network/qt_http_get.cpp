// This lab shows:
//  - an HTTP GET with QNetworkAccessManager, in the shape of `curl --fail -o FILE URL`: the body
//    streamed to a file or standard output as it arrives, never whole in memory;
//  - a transfer timeout, errors reported through errorOccurred, progress lines on stderr, and the
//    reply deleted (deleteLater) by us once finished;
//  - exit codes from curl: 0 ok, 22 for an HTTP status >= 400, 28 for a timeout, 1 otherwise.
// Try it: libevent_http_server --listen 127.0.0.1:8080, then qt_http_get --progress -o /tmp/x
// http://127.0.0.1:8080/bytes/10000000

#include <unistd.h>

#include <QCoreApplication>
#include <QFile>
#include <QNetworkProxy>

#include <iostream>
#include <string>

#include "06_qt_network/http_download.hpp"
#include "common/cli.hpp"

int main(int argc, char** argv) {
    netlab::CommandLine cli(
        "qt_http_get",
        "Fetches URL (http://...) with QNetworkAccessManager and writes the body to standard\n"
        "output or to --output FILE as it arrives. Exit status as curl --fail: 0 ok, 22 when\n"
        "the server answers 400 or above, 28 when nothing moved for --timeout-ms, 1 otherwise.");
    cli.option("-o,--output", "FILE", "write the body here instead of standard output")
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
        options.progress = args.has("--progress");

        const QCoreApplication app(argc, argv);  // a client: SIGINT keeps its default, it ends us
        QFile output;
        const std::string path = args.get("--output").value_or("-");
        const bool opened = path == "-"
                                ? output.open(STDOUT_FILENO, QIODevice::WriteOnly | QIODevice::Unbuffered)
                                : (output.setFileName(QString::fromStdString(path)),
                                   output.open(QIODevice::WriteOnly | QIODevice::Truncate));
        if (!opened) {
            throw std::runtime_error("open " + path + ": " + output.errorString().toStdString());
        }
        QNetworkAccessManager manager;
        manager.setProxy(QNetworkProxy::NoProxy);  // like curl --noproxy '*': the course's servers are local
        netlab::qt::Download download(manager, url, output, options);
        QObject::connect(&download, &netlab::qt::Download::finished, [](netlab::qt::DownloadResult result) {
            QCoreApplication::exit(static_cast<int>(result));
        });
        download.start();
        const int status = QCoreApplication::exec();
        if (!output.flush()) {
            throw std::runtime_error("write " + path + ": " + output.errorString().toStdString());
        }
        return status;
    });
}
