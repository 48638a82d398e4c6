// Lab 07: transport failures, each an Outcome holding a CurlError (a value, not a throw) with
// its own CURLcode and a detail a person can act on: a timeout against /delay, a refused connection, a body
// cut short, which must never pass for success, neither in the library nor in http_get -o, and a response
// header over libcurl's 100 KiB limit, which libcurl 7.88 itself calls "Out of memory".

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <string>

#include "07_libcurl/curl_error.hpp"
#include "07_libcurl/easy_handle.hpp"
#include "graded.hpp"
#include "lab07_helpers.hpp"
#include "outcome_check.hpp"

namespace nc = netlab::curl;
using namespace std::chrono_literals;
using netlab::testing::error_of;
using netlab::testing::LocalServer;
using netlab::testing::response_of;

GRADED_TEST(Lab07Errors, TimeoutAgainstDelayIsOperationTimedOut, 2) {
    const LocalServer server;
    nc::EasyHandle handle;
    nc::Request request;
    request.url = server.url("/delay/10000");
    request.timeout = 300ms;
    const auto started = std::chrono::steady_clock::now();
    const nc::Outcome outcome = handle.perform(request);
    EXPECT_FALSE(outcome) << "a 10 s answer arrived within a 300 ms timeout";
    const nc::CurlError error = error_of(outcome);
    EXPECT_EQ(error.code(), CURLE_OPERATION_TIMEDOUT) << error.what();
    EXPECT_NE(error.detail().find("timed out"), std::string::npos)
        << "the error buffer's detail: " << error.what();
    const auto took = std::chrono::steady_clock::now() - started;
    EXPECT_GE(took, 250ms);
    EXPECT_LT(took, 5s) << "the timeout did not bound the transfer";

    SCOPED_TRACE("within its timeout, the same endpoint answers");
    request.url = server.url("/delay/50");
    request.timeout = 10s;
    EXPECT_EQ(response_of(handle.perform(request)).status, 200);
}

GRADED_TEST(Lab07Errors, ConnectionRefusedIsAClearError, 2) {
    const std::uint16_t port = netlab::testing::refused_port();
    nc::EasyHandle handle;
    nc::Request request;
    request.url = "http://127.0.0.1:" + std::to_string(port) + "/";
    const nc::CurlError error = error_of(handle.perform(request));
    EXPECT_EQ(error.code(), CURLE_COULDNT_CONNECT) << error.what();
    EXPECT_EQ(error.call(), "curl_easy_perform");
    const std::string what = error.what();
    EXPECT_TRUE(what.starts_with("curl_easy_perform: ")) << what;
    EXPECT_NE(what.find(std::to_string(port)), std::string::npos) << "the message names the port: " << what;
    SCOPED_TRACE("http_get exits with curl's code 7 and says why");
    const auto run = netlab::testing::run_program("http_get", {"-s", request.url});
    EXPECT_EQ(run.status, 7) << run.describe();
    EXPECT_NE(run.err.find("error: "), std::string::npos) << run.describe();
}

GRADED_TEST(Lab07Errors, ABodyCutShortIsNeverSuccess, 5) {
    const LocalServer server;
    SCOPED_TRACE("the library: CURLE_PARTIAL_FILE");
    nc::EasyHandle handle;
    nc::Request request;
    request.url = server.url("/close-mid-body");
    const nc::CurlError error = error_of(handle.perform(request));
    EXPECT_EQ(error.code(), CURLE_PARTIAL_FILE) << error.what();
    SCOPED_TRACE("http_get -o: exit 18 and no FILE (nor a temporary) left behind");
    const netlab::testing::TempDir folder;
    const std::string out = folder.file("cut.txt");
    const auto run = netlab::testing::run_program("http_get", {"-s", "-o", out, request.url});
    EXPECT_EQ(run.status, 18) << run.describe();
    EXPECT_FALSE(netlab::testing::file_exists(out)) << "a partial download was published as complete";
    EXPECT_TRUE(std::filesystem::is_empty(folder.path())) << "the partial file was left behind";
    EXPECT_NE(run.err.find("partial"), std::string::npos) << run.describe();
}

REFERENCE_TEST(Lab07Errors, HugeResponseHeaderIsNamedAsSuch) {
    const LocalServer server;
    const std::string url = server.url("/huge-header/" + std::to_string(120 * 1024));  // X-Padding: 120 KiB
    const auto run = netlab::testing::run_program("http_get", {"-s", url});
    EXPECT_NE(run.status, 0) << run.describe();
    EXPECT_EQ(run.out, "") << "no body after a refused header";
    EXPECT_NE(run.err.find("response header too large"), std::string::npos) << run.describe();
    EXPECT_EQ(run.err.find("Out of memory"), std::string::npos)
        << "libcurl's misleading wording: " << run.describe();
}
