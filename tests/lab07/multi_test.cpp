// Lab 07: the multi interface. 200 transfers at most 10 at a time, every one accounted for;
// parallel against serial on /delay (a wide margin, so a busy machine cannot flip it); and
// failures reported per transfer, by fetch_many and by the http_fetch_many program.

#include <gtest/gtest.h>

#include <chrono>
#include <set>
#include <string>
#include <vector>

#include "07_libcurl/multi_fetch.hpp"
#include "graded.hpp"
#include "lab07_helpers.hpp"

namespace nc = netlab::curl;
using namespace std::chrono_literals;
using netlab::testing::LocalServer;

namespace {

std::chrono::milliseconds time_fetch(const std::vector<nc::Request>& requests, std::size_t parallel) {
    const auto started = std::chrono::steady_clock::now();
    const auto outcomes = nc::fetch_many(requests, parallel);
    const auto took =
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started);
    for (const nc::Outcome& outcome : outcomes) {
        EXPECT_TRUE(outcome) << (outcome.error ? outcome.error->what() : "no outcome");
    }
    return took;
}

}  // namespace

GRADED_TEST(Lab07Multi, TwoHundredTransfersTenAtATimeAllAccountedFor, 5) {
    const LocalServer server;
    std::vector<nc::Request> requests(200);
    for (std::size_t i = 0; i < requests.size(); ++i) {
        requests[i].url = server.url("/status/" + std::to_string(200 + i));  // each answer names its request
    }
    std::vector<std::size_t> done_counts;
    std::set<std::size_t> indexes;
    const auto outcomes = nc::fetch_many(
        requests, 10, [&](std::size_t index, std::size_t done, std::size_t total, const nc::Outcome&) {
            EXPECT_EQ(total, 200U);
            done_counts.push_back(done);
            indexes.insert(index);
        });
    ASSERT_EQ(outcomes.size(), 200U);
    ASSERT_EQ(done_counts.size(), 200U) << "the progress callback missed transfers";
    for (std::size_t i = 0; i < 200; ++i) {
        EXPECT_EQ(done_counts[i], i + 1);
    }
    EXPECT_EQ(indexes.size(), 200U) << "some transfer was reported twice, another never";
    long connections = 0;
    for (std::size_t i = 0; i < outcomes.size(); ++i) {
        ASSERT_TRUE(outcomes[i]) << i << ": " << (outcomes[i].error ? outcomes[i].error->what() : "");
        EXPECT_EQ(outcomes[i].response->status, static_cast<long>(200 + i))
            << "outcome " << i << " is not its own";
        connections += outcomes[i].response->new_connections;
    }
    EXPECT_GE(connections, 1);
    EXPECT_LE(connections, 10)
        << "more than 10 connections: the parallelism was not bounded (or nothing was reused)";
}

GRADED_TEST(Lab07Multi, TenInParallelBeatSerialByAWideMargin, 5) {
    const LocalServer server;
    std::vector<nc::Request> requests(200);
    for (nc::Request& request : requests) {
        request.url = server.url("/delay/20");
    }
    const auto parallel = time_fetch(requests, 10);
    const auto serial = time_fetch(std::vector<nc::Request>(requests.begin(), requests.begin() + 100), 1);
    // 100 serial transfers take at least 100 x 20 ms = 2 s; 200 at 10 at a time need about 0.4 s.
    EXPECT_GE(serial, 2000ms) << "/delay/20 answered early";
    EXPECT_LT(parallel * 2, serial) << "200 parallel took " << parallel.count() << " ms, 100 serial took "
                                    << serial.count() << " ms";
}

GRADED_TEST(Lab07Multi, FailuresAreReportedPerTransfer, 3) {
    const LocalServer server;
    const std::string refused = "http://127.0.0.1:" + std::to_string(netlab::testing::refused_port()) + "/";
    std::vector<nc::Request> requests(4);
    requests[0].url = server.url("/hello.txt");
    requests[1].url = refused;
    requests[2].url = server.url("/status/404");
    requests[3].url = server.url("/close-mid-body");
    const auto outcomes = nc::fetch_many(requests, 3);
    ASSERT_EQ(outcomes.size(), 4U);
    EXPECT_TRUE(outcomes[0] && outcomes[0].response->status == 200);
    ASSERT_FALSE(outcomes[1]);
    EXPECT_EQ(outcomes[1].error->code(), CURLE_COULDNT_CONNECT);
    EXPECT_TRUE(outcomes[2] && outcomes[2].response->status == 404) << "an HTTP error is still a response";
    ASSERT_FALSE(outcomes[3]);
    EXPECT_EQ(outcomes[3].error->code(), CURLE_PARTIAL_FILE);

    SCOPED_TRACE("http_fetch_many: a line per URL in order, progress on stderr, exit 1");
    const auto run = netlab::testing::run_program(
        "http_fetch_many",
        {"--parallel-max", "2", requests[0].url, refused, requests[2].url, requests[3].url});
    EXPECT_EQ(run.status, 1) << run.describe();
    EXPECT_NE(run.err.find("done 4/4"), std::string::npos) << run.describe();
    std::vector<std::string> lines;
    for (std::size_t start = 0, end; (end = run.out.find('\n', start)) != std::string::npos;
         start = end + 1) {
        lines.push_back(run.out.substr(start, end - start));
    }
    ASSERT_EQ(lines.size(), 4U) << run.out;
    EXPECT_TRUE(lines[0].starts_with("0\t200\t")) << lines[0];
    EXPECT_TRUE(lines[1].starts_with("1\terror: ")) << lines[1];
    EXPECT_TRUE(lines[2].starts_with("2\t404\t")) << lines[2];
    EXPECT_TRUE(lines[3].starts_with("3\terror: ")) << lines[3];
}
