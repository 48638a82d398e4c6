// Lab 05, libevent_http_server end to end, through a tiny hand-written HTTP/1.1 client: static
// files with their length and type, missing files and wrong methods, traversal attempts, /echo,
// /status, and --debug.

#include <signal.h>

#include <filesystem>
#include <fstream>
#include <iterator>

#include "bytes.hpp"
#include "deadline.hpp"
#include "graded.hpp"
#include "http_client.hpp"
#include "server_process.hpp"
#include "temp_dir.hpp"
#include "test_socket.hpp"

namespace netlab::testing {
namespace {

const std::string kSecret = "SECRET-MARKER-outside-the-root";

/// A folder to serve (www/) next to a secret file that must never be served.
struct TestSite {
    TestSite() {
        dir.write("secret.txt", kSecret + "\n");
        dir.write("www/index.html", "<!doctype html><h1>test root</h1>\n");
        dir.write("www/hello.txt", "hello, 你好\n");
        dir.write("www/data.json", "{\"n\": 1}\n");
        dir.write("www/pic.png", "\x89PNG\r\n\x1a\n" + random_bytes(3000, 7));
        dir.write("www/with space.txt", "spaced\n");
        dir.write("www/docs/notes.txt", "nested\n");
        dir.write("www/.secret", kSecret + "\n");
        std::filesystem::create_symlink("../secret.txt", root() + "/link-out");
    }
    [[nodiscard]] std::string root() const { return dir.path() + "/www"; }
    TempDir dir;
};

struct HttpServerProcess : ServerProcess {
    explicit HttpServerProcess(std::vector<std::string> extra = {})
        : ServerProcess("libevent_http_server", listen_args(std::move(extra))) {}
};

std::string describe(const HttpResult& result) {
    if (!result)
        return "no response: " + result.problem;
    std::string text = "HTTP " + std::to_string(result.response->status) + " " + result.response->reason;
    for (const auto& [key, value] : result.response->headers)
        text += "\n  " + key + ": " + value;
    return text + "\n  body: " + std::to_string(result.response->body_size) + " bytes";
}

GRADED_TEST(Lab05Http, ServesStaticFilesWithLengthAndType, 5) {
    const TestSite site;
    HttpServerProcess server({"--root", site.root()});
    struct Case {
        std::string target;
        std::string file;
        std::string type;
    };
    const std::vector<Case> cases = {
        {"/", "index.html", "text/html; charset=utf-8"},
        {"/index.html", "index.html", "text/html; charset=utf-8"},
        {"/hello.txt", "hello.txt", "text/plain; charset=utf-8"},
        {"/data.json", "data.json", "application/json"},
        {"/pic.png", "pic.png", "image/png"},
        {"/with%20space.txt", "with space.txt", "text/plain; charset=utf-8"},
        {"/docs/notes.txt", "docs/notes.txt", "text/plain; charset=utf-8"},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE("GET " + c.target);
        const HttpResult result = http_get(server.endpoint, c.target);
        ASSERT_TRUE(result) << result.problem << "; server stderr: " << server.process.stderr_text();
        const HttpResponse& response = *result.response;
        std::ifstream in(site.root() + "/" + c.file, std::ios::binary);
        const std::string expected((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        EXPECT_EQ(response.status, 200) << describe(result);
        EXPECT_EQ(response.header("Content-Type"), c.type) << describe(result);
        EXPECT_EQ(response.header("Content-Length"), std::to_string(expected.size())) << describe(result);
        EXPECT_BYTES_EQ(expected, response.body);
    }
    {
        SCOPED_TRACE("HEAD /pic.png: the headers of a GET, no body");
        const UniqueFd fd = server.connect();
        ASSERT_TRUE(send_within(fd.get(), http_request("HEAD", "/pic.png"), 5s));
        ReadOptions head;
        head.head = true;
        const HttpResult result = read_response(fd.get(), head);
        ASSERT_TRUE(result) << result.problem;
        EXPECT_EQ(result.response->status, 200);
        EXPECT_EQ(result.response->header("Content-Length"), "3008");
        SCOPED_TRACE("and no stray body bytes follow on the kept-alive connection");
        ASSERT_TRUE(send_within(fd.get(), http_request("GET", "/data.json"), 5s));
        const HttpResult next = read_response(fd.get());
        ASSERT_TRUE(next) << next.problem;
        EXPECT_EQ(next.response->status, 200) << describe(next);
        EXPECT_EQ(next.response->body, "{\"n\": 1}\n");
    }
    {
        SCOPED_TRACE("GET /docs (a folder, no slash) redirects to /docs/");
        const HttpResult result = http_get(server.endpoint, "/docs");
        ASSERT_TRUE(result) << result.problem;
        EXPECT_EQ(result.response->status, 301) << describe(result);
        EXPECT_EQ(result.response->header("Location"), "/docs/");
    }
    SCOPED_TRACE("without --root the server serves the lab's own www/ folder");
    HttpServerProcess default_root;
    const HttpResult index = http_get(default_root.endpoint, "/index.html");
    ASSERT_TRUE(index) << index.problem;
    EXPECT_EQ(index.response->status, 200) << describe(index);
    EXPECT_EQ(index.response->header("Content-Type"), "text/html; charset=utf-8");
    const HttpResult png = http_get(default_root.endpoint, "/netlab.png");
    ASSERT_TRUE(png) << png.problem;
    EXPECT_EQ(png.response->status, 200) << describe(png);
    EXPECT_EQ(png.response->header("Content-Type"), "image/png");
    EXPECT_TRUE(png.response->body.starts_with("\x89PNG")) << "not a PNG";
}

GRADED_TEST(Lab05Http, MissingFilesAndWrongMethods, 3) {
    const TestSite site;
    HttpServerProcess server({"--root", site.root()});
    const std::vector<std::pair<std::string, int>> cases = {
        {http_request("GET", "/no-such-file.txt", {{"Connection", "close"}}), 404},
        {http_request("GET", "/docs/missing/", {{"Connection", "close"}}), 404},
        {http_request("POST", "/hello.txt", {{"Connection", "close"}}, "x"), 405},
        {http_request("GET", "/echo", {{"Connection", "close"}}), 405},
        {http_request("DELETE", "/hello.txt", {{"Connection", "close"}}), 501},
    };
    for (const auto& [request, status] : cases) {
        SCOPED_TRACE(request.substr(0, request.find('\r')));
        const HttpResult result = http_exchange(server.endpoint, request);
        ASSERT_TRUE(result) << result.problem;
        EXPECT_EQ(result.response->status, status) << describe(result);
    }
}

GRADED_TEST(Lab05Http, TraversalAttemptsNeverReachFilesOutsideTheRoot, 6) {
    const TestSite site;
    HttpServerProcess server({"--root", site.root()});
    const std::vector<std::string> targets = {
        "/../secret.txt",   "/%2e%2e/secret.txt",     "/%2E%2E%2Fsecret.txt",
        "/..%2fsecret.txt", "/docs/../../secret.txt", "/docs/%2e%2e/%2e%2e/secret.txt",
        "//../secret.txt",  "/%252e%252e/secret.txt", "/.secret",
        "/link-out",        "/..%5csecret.txt",       "http://127.0.0.1/../secret.txt",
    };
    for (const auto& target : targets) {
        SCOPED_TRACE("GET " + target);
        const HttpResult result = http_get(server.endpoint, target);
        if (!result) {
            continue;  // closing the connection without an answer also serves nothing
        }
        const int status = result.response->status;
        EXPECT_TRUE(status == 400 || status == 403 || status == 404) << describe(result);
        EXPECT_EQ(result.response->body.find(kSecret), std::string::npos) << "the secret was served!";
    }
    EXPECT_FALSE(server.process.wait_exit(0ms).has_value())
        << "the server exited: " << server.process.stderr_text();
}

GRADED_TEST(Lab05Http, EchoReturnsTheBodyWithItsContentType, 6) {
    HttpServerProcess server;
    const UniqueFd fd = server.connect();
    for (const std::size_t size : {std::size_t{1}, std::size_t{100000}, std::size_t{1024 * 1024}}) {
        SCOPED_TRACE("POST /echo with " + std::to_string(size) + " bytes on one kept-alive connection");
        const std::string body = random_bytes(size, static_cast<std::uint32_t>(size));
        ASSERT_TRUE(send_within(
            fd.get(), http_request("POST", "/echo", {{"Content-Type", "image/x-test"}}, body), 10s));
        const HttpResult result = read_response(fd.get());
        ASSERT_TRUE(result) << result.problem << "; server stderr: " << server.process.stderr_text();
        EXPECT_EQ(result.response->status, 200) << describe(result);
        EXPECT_EQ(result.response->header("Content-Type"), "image/x-test");
        EXPECT_BYTES_EQ(body, result.response->body);
    }
}

GRADED_TEST(Lab05Http, StatusEndpointAnswersWithTheAskedStatus, 6) {
    HttpServerProcess server;
    for (const int status : {200, 201, 301, 404, 418, 500, 503, 599}) {
        SCOPED_TRACE("GET /status/" + std::to_string(status));
        const HttpResult result = http_get(server.endpoint, "/status/" + std::to_string(status));
        ASSERT_TRUE(result) << result.problem;
        EXPECT_EQ(result.response->status, status) << describe(result);
    }
    {
        SCOPED_TRACE("GET /status/204: no body at all");
        const HttpResult result = http_get(server.endpoint, "/status/204");
        ASSERT_TRUE(result) << result.problem;
        EXPECT_EQ(result.response->status, 204);
        EXPECT_EQ(result.response->header("Content-Length"), std::nullopt);
    }
    for (const std::string bad : {"99", "100", "600", "abc", "", "-1", "2000", "20x"}) {
        SCOPED_TRACE("GET /status/" + bad + " is refused with 400");
        const HttpResult result = http_get(server.endpoint, "/status/" + bad);
        ASSERT_TRUE(result) << result.problem;
        EXPECT_EQ(result.response->status, 400) << describe(result);
    }
}

GRADED_TEST(Lab05Http, DebugFlagPrintsLibeventTraceOnStderr, 3) {
    HttpServerProcess server({"--debug"});
    const HttpResult result = http_get(server.endpoint, "/status/200");
    ASSERT_TRUE(result) << result.problem;
    SCOPED_TRACE("--debug routes libevent's own debug lines to stderr with a 'libevent:' prefix");
    EXPECT_TRUE(wait_until(
        [&] { return server.process.stderr_text().find("libevent: [debug]") != std::string::npos; }, 5s))
        << "stderr: " << server.process.stderr_text().substr(0, 2000);
    server.process.send_signal(SIGTERM);
    EXPECT_EQ(server.process.wait_exit(5s), 0);
}

}  // namespace
}  // namespace netlab::testing
