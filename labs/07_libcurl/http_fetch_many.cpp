// This lab shows:
//  - the multi interface from the command line: many URLs, at most --parallel-max at once
//    (curl's flag), all on one thread, with "done N/TOTAL" progress on stderr;
//  - per-transfer results: one stdout line per URL, in the order given, with its status or
//    the error that ended it; a failure of one transfer never hides the others.

#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include "07_libcurl/multi_fetch.hpp"
#include "common/cli.hpp"

namespace {

namespace nc = netlab::curl;

/// The URLs of a list file: one per line; blank lines and "#" comments are skipped.
std::vector<std::string> read_url_list(const std::string& path) {
    std::ifstream in(path);
    if (!in) {
        throw netlab::UsageError("--file: cannot read '" + path + "'");
    }
    std::vector<std::string> urls;
    for (std::string line; std::getline(in, line);) {
        if (!line.empty() && line.back() == '\r') {
            line.pop_back();
        }
        if (!line.empty() && line.front() != '#') {
            urls.push_back(line);
        }
    }
    return urls;
}

}  // namespace

int main(int argc, char** argv) {
    netlab::CommandLine cli(
        "http_fetch_many",
        "Fetches every URL with libcurl's multi interface, at most --parallel-max at once.\n"
        "stdout: one line per URL, in order: INDEX STATUS BYTES MILLISECONDS NEW_CONNECTIONS URL\n"
        "(STATUS is 'error: ...' for a failed transfer). Exit 0 when every transfer got a\n"
        "response (with -f: a status below 400), else 1.");
    cli.option("--parallel-max", "N", "transfers running at once, 1-1000", "10")
        .option("--file", "LIST", "also fetch the URLs in this file, one per line")
        .option("-m,--max-time", "SECONDS", "give up on one transfer after this many seconds, 1-86400", "30")
        .option("--cacert", "FILE", "trust the CA certificates in this PEM file instead of the system's")
        .flag("-f,--fail", "count an HTTP status >= 400 as a failure")
        .flag("-s,--silent", "no progress on stderr")
        .positionals("URL", "http:// or https:// URLs", 0, 100000);
    return netlab::run_main(cli, argc, argv, [](const netlab::CommandLine& args) {
        std::vector<std::string> urls = args.args();
        if (const auto list = args.get("--file")) {
            for (std::string& url : read_url_list(*list)) {
                urls.push_back(std::move(url));
            }
        }
        if (urls.empty()) {
            throw netlab::UsageError("no URL given (as arguments or with --file)");
        }
        const auto parallel = static_cast<std::size_t>(args.number("--parallel-max", 1, 1000));
        nc::Request base;
        base.timeout = std::chrono::seconds(args.number("--max-time", 1, 86400));
        base.ca_file = args.get("--cacert").value_or("");
        std::vector<nc::Request> requests(urls.size(), base);
        for (std::size_t i = 0; i < urls.size(); ++i) {
            requests[i].url = urls[i];
        }
        const bool silent = args.has("--silent");
        const auto report = [silent](std::size_t, std::size_t done, std::size_t total, const nc::Outcome&) {
            if (!silent) {
                std::fprintf(stderr, "done %zu/%zu\n", done, total);
            }
        };
        const std::vector<nc::Outcome> outcomes = nc::fetch_many(requests, parallel, report);
        bool all_good = true;
        for (std::size_t i = 0; i < outcomes.size(); ++i) {
            const nc::Outcome& outcome = outcomes[i];
            if (!outcome) {
                all_good = false;
                std::printf("%zu\terror: %s\t-\t-\t-\t%s\n", i, outcome.error->what(), urls[i].c_str());
                continue;
            }
            const nc::Response& r = *outcome.response;
            all_good = all_good && !(args.has("--fail") && r.is_http_error());
            std::printf(
                "%zu\t%ld\t%llu\t%.3f\t%ld\t%s\n", i, r.status, static_cast<unsigned long long>(r.body_bytes),
                static_cast<double>(r.timings.total.count()) / 1000.0, r.new_connections, urls[i].c_str());
        }
        std::fflush(stdout);
        return all_good ? 0 : 1;
    });
}
