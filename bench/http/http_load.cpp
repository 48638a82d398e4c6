// The load side of tools/bench_http.py: GETs one URL for --seconds in one of three modes and
// prints one line, "mode=... requests=N errors=E seconds=S rps=R":
//   reuse   serial GETs on ONE easy handle (the kept-alive connection is reused)
//   fresh   serial GETs, a new connection for each (CURLOPT_FRESH_CONNECT + FORBID_REUSE)
//   multi   fetch_many in batches of --batch requests, --parallel at a time
// Any transport error or status other than 200 counts in errors (the bench treats errors as a broken run).

#include <chrono>
#include <cstdio>
#include <vector>

#include "07_libcurl/easy_handle.hpp"
#include "07_libcurl/multi_fetch.hpp"
#include "common/cli.hpp"

namespace {

namespace nc = netlab::curl;
using Clock = std::chrono::steady_clock;

struct Tally {
    std::uint64_t requests = 0;
    std::uint64_t errors = 0;
};

Tally run_easy(const nc::Request& request, Clock::time_point until) {
    Tally tally;
    nc::EasyHandle handle;
    while (Clock::now() < until) {
        const nc::Outcome outcome = handle.perform(request);
        tally.errors += outcome && outcome.response->status == 200 ? 0U : 1U;
        ++tally.requests;
    }
    return tally;
}

Tally run_multi(const nc::Request& request, std::size_t parallel, std::size_t batch,
                Clock::time_point until) {
    Tally tally;
    const std::vector<nc::Request> requests(batch, request);
    while (Clock::now() < until) {
        for (const nc::Outcome& outcome : nc::fetch_many(requests, parallel)) {
            tally.errors += outcome && outcome.response->status == 200 ? 0U : 1U;
            ++tally.requests;
        }
    }
    return tally;
}

}  // namespace

int main(int argc, char** argv) {
    netlab::CommandLine cli("http_load", "GETs URL for --seconds with libcurl and prints the request rate.");
    cli.option("--mode", "MODE", "reuse, fresh or multi", "reuse")
        .option("--seconds", "S", "how long to run, 1-600", "5")
        .option("--parallel", "N", "multi: transfers at once, 1-1000", "10")
        .option("--batch", "N", "multi: requests per fetch_many call, 1-1000000", "2000")
        .positionals("URL", "the URL to GET", 1, 1);
    return netlab::run_main(cli, argc, argv, [](const netlab::CommandLine& args) {
        const std::string mode = args.get("--mode").value_or("reuse");
        if (mode != "reuse" && mode != "fresh" && mode != "multi") {
            throw netlab::UsageError("--mode: '" + mode + "' is not reuse, fresh or multi");
        }
        const auto seconds = args.number("--seconds", 1, 600);
        nc::Request request;
        request.url = args.args().front();
        request.timeout = std::chrono::seconds(10);
        request.fresh_connection = mode == "fresh";
        const auto started = Clock::now();
        const auto until = started + std::chrono::seconds(seconds);
        const Tally tally = mode == "multi" ? run_multi(request, args.number("--parallel", 1, 1000),
                                                        args.number("--batch", 1, 1000000), until)
                                            : run_easy(request, until);
        const double took = std::chrono::duration<double>(Clock::now() - started).count();
        std::printf("mode=%s requests=%llu errors=%llu seconds=%.3f rps=%.1f\n", mode.c_str(),
                    static_cast<unsigned long long>(tally.requests),
                    static_cast<unsigned long long>(tally.errors), took,
                    static_cast<double>(tally.requests) / took);
        return tally.errors == 0 ? 0 : 1;
    });
}
