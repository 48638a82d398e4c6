// This lab shows:
//  - a small curl: GET (or -d POST) one or more URLs on ONE reused easy handle, so later URLs
//    on the same host reuse the first connection (--timing prints "new connections: 0");
//  - -o FILE streamed to disk at constant memory, published only when complete (FILE.part);
//  - a progress bar on stderr from the transfer-info callback (-s turns it off);
//  - exit codes as curl's: the CURLcode of a failed transfer (7 refused, 28 timeout, 18 cut
//    body, 60 bad certificate), 22 for an HTTP status >= 400 with -f, 2 for a bad command line.

#include <unistd.h>

#include <cstdio>
#include <optional>

#include "07_libcurl/curl_error.hpp"
#include "07_libcurl/easy_handle.hpp"
#include "07_libcurl/file_output.hpp"
#include "07_libcurl/get_options.hpp"
#include "07_libcurl/progress_bar.hpp"
#include "07_libcurl/repeated_option.hpp"
#include "common/cli.hpp"

namespace nc = netlab::curl;

int main(int argc, char** argv) {
    netlab::CommandLine cli("http_get",
                            "Fetches each URL with libcurl on one reused connection, like a small curl.\n"
                            "Exit status: 0, or curl's: the CURLcode of a failed transfer, 22 with -f.");
    cli.option("-o,--output", "FILE", "write the body to FILE (streamed; FILE appears only when complete)")
        .option("-H,--header", "'NAME: VALUE'", "send this request header; repeat for more")
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
    return netlab::run_main(cli, argc, argv, [argc, argv](const netlab::CommandLine& args) {
        nc::Request request;
        request.headers = nc::repeated_values(argc, argv, "-H", "--header");
        request.timeout = nc::seconds_option(args, args.has("--timeout") ? "--timeout" : "--max-time");
        request.connect_timeout = nc::seconds_option(args, "--connect-timeout");
        request.follow_redirects = args.has("--location");
        request.ca_file = args.get("--cacert").value_or("");
        if (args.has("--data")) {
            request.method = nc::Method::post;
            request.body = args.get("--data");
        }
        if (args.has("--request")) {
            const auto method = nc::method_named(*args.get("--request"));
            if (!method) {
                throw netlab::UsageError("--request: '" + *args.get("--request") +
                                         "' is not GET, HEAD, POST, PUT or DELETE");
            }
            request.method = *method;
        }
        const auto output = args.get("--output");
        if (output && args.args().size() != 1) {
            throw netlab::UsageError("--output takes one URL");
        }
        const bool fail = args.has("--fail");
        const bool bar_wanted = !args.has("--silent");
        nc::EasyHandle handle;  // one handle for every URL: its connection cache is what reuses connections
        for (const std::string& url : args.args()) {
            request.url = url;
            std::optional<nc::FileOutput> file;
            if (output) {
                file.emplace(*output);
            }
            nc::ProgressBar bar(STDERR_FILENO);
            const auto sink = [&](std::string_view chunk) {
                if (fail && handle.status_so_far() >= 400) {
                    return true;  // -f: the error page is read and dropped, as curl does
                }
                file ? file->write(chunk) : nc::write_all(STDOUT_FILENO, chunk);
                return true;
            };
            nc::ProgressFn progress;
            if (bar_wanted) {
                progress = [&bar](const nc::Progress& p) {
                    bar.update(p.downloaded, p.download_total);
                    return true;
                };
            }
            try {
                const nc::Response response = handle.perform(request, sink, progress);
                if (bar_wanted) {
                    bar.finish();
                }
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
            } catch (const nc::CurlError& error) {
                if (bar_wanted) {
                    bar.finish();
                }
                std::fprintf(stderr, "error: %s: %s\n", url.c_str(), error.what());
                return static_cast<int>(error.code());
            }
        }
        return 0;
    });
}
