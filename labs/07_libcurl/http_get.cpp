// This lab shows:
//  - a small curl: GET (or -d POST) one or more URLs on ONE reused easy handle, so later URLs
//    on the same host reuse the first connection (--timing prints "new connections: 0");
//  - -o FILE streamed to disk at constant memory, through common/download_file: a regular FILE
//    is replaced only by a complete body, a FIFO or a device is written in place, - is stdout;
//  - Ctrl-C (SIGINT, SIGTERM) during a download to a file aborts the transfer from the
//    transfer-info callback, removes the temporary and exits 128 + the signal (130 for SIGINT);
//  - a progress bar on stderr from the transfer-info callback (-s turns it off);
//  - exit codes as curl's: the CURLcode of a failed transfer (7 refused, 28 timeout, 18 cut
//    body, 60 bad certificate), 22 for an HTTP status >= 400 with -f, 2 for a bad command line.

#include <sys/signalfd.h>
#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <optional>

#include "07_libcurl/easy_handle.hpp"
#include "07_libcurl/get_options.hpp"
#include "07_libcurl/progress_bar.hpp"
#include "common/cli.hpp"
#include "common/download_file.hpp"
#include "common/shutdown_signal.hpp"

namespace nc = netlab::curl;

/// 128 + the signal that stop received (130 for SIGINT), the status a shell shows for it.
static int interrupted_status(const netlab::ShutdownSignal& stop) {
    signalfd_siginfo info{};
    const bool known = ::read(stop.get(), &info, sizeof info) == static_cast<ssize_t>(sizeof info);
    return 128 + (known ? static_cast<int>(info.ssi_signo) : SIGINT);
}

int main(int argc, char** argv) {
    netlab::CommandLine cli("http_get",
                            "Fetches each URL with libcurl on one reused connection, like a small curl.\n"
                            "Exit status: 0, or curl's: the CURLcode of a failed transfer, 22 with -f.");
    cli.option("-o,--output", "FILE", "write the body to FILE, replaced only when complete; - is stdout")
        .repeatable("-H,--header", "'NAME: VALUE'", "send this request header; repeat for more")
        .option("-d,--data", "DATA", "POST DATA (a form, unless -H sets Content-Type)")
        .option("-X,--request", "METHOD", "GET, HEAD, POST, PUT or DELETE")
        .option("-m,--max-time", "SECONDS", "give up on a transfer after this long", "30")
        .option("--timeout", "SECONDS", "the same as --max-time")
        .option("--connect-timeout", "SECONDS", "give up connecting after this long", "10")
        .option("--cacert", "FILE", "trust the CA certificates in this PEM file instead of the system's")
        .flag("-f,--fail", "an HTTP status >= 400 prints an error, writes no body and exits 22")
        .flag("-L,--location", "follow redirects (at most 10)")
        .flag("-s,--silent", "no progress bar")
        .flag("--timing", "print status, timings and the new-connection count per URL on stderr")
        .positionals("URL", "http:// or https:// URLs, fetched in order on one handle", 1, 1000);
    return netlab::run_main(cli, argc, argv, [](const netlab::CommandLine& args) {
        nc::Request request = nc::request_options(args);
        const auto output = args.get("--output");
        if (output && args.args().size() != 1) {
            throw netlab::UsageError("--output takes one URL");
        }
        const bool fail = args.has("--fail");
        const bool bar_wanted = !args.has("--silent");
        // With a temporary to remove, SIGINT/SIGTERM become a descriptor the progress callback polls.
        // Written in place there is nothing to remove, and the default (end now) also ends an open()
        // waiting for a FIFO's reader. First, before libcurl's threads: they inherit the mask.
        std::optional<netlab::ShutdownSignal> stop;
        if (output && netlab::download_mode(*output) == netlab::DownloadMode::replace) {
            stop.emplace();
        }
        nc::EasyHandle handle;  // one handle for every URL: its connection cache is what reuses connections
        for (const std::string& url : args.args()) {
            request.url = url;
            std::optional<netlab::DownloadFile> file;
            if (output) {
                file.emplace(*output);
            }
            nc::ProgressBar bar(STDERR_FILENO);
            const auto sink = [&](std::string_view chunk) {
                if (fail && handle.status_so_far() >= 400) {
                    return true;  // -f: the error page is read and dropped, as curl does
                }
                file ? file->write(chunk) : netlab::write_all(STDOUT_FILENO, chunk);
                return true;
            };
            nc::ProgressFn progress;
            if (bar_wanted || stop) {
                progress = [&](const nc::Progress& p) {
                    if (bar_wanted) {
                        bar.update(p.downloaded, p.download_total);
                    }
                    return !(stop && stop->requested());  // false aborts the transfer
                };
            }
            const nc::Outcome outcome = handle.perform(request, sink, progress);
            if (bar_wanted) {
                bar.finish();
            }
            if (!outcome) {
                if (stop && stop->requested()) {
                    std::fprintf(stderr, "error: %s: interrupted; %s left as it was\n", url.c_str(),
                                 output->c_str());
                    return interrupted_status(*stop);
                }
                std::fprintf(stderr, "error: %s: %s\n", url.c_str(), outcome.error->what());
                return static_cast<int>(outcome.error->code());
            }
            const nc::Response& response = *outcome.response;
            if (args.has("--timing")) {
                std::fputs(nc::describe_timing(response).c_str(), stderr);
            }
            if (fail && response.is_http_error()) {
                std::fprintf(stderr, "error: %s: the server answered HTTP %ld\n", url.c_str(),
                             response.status);
                return 22;  // curl's CURLE_HTTP_RETURNED_ERROR
            }
            if (file) {
                file->commit();
            }
        }
        return 0;
    });
}
