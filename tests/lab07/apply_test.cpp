// Lab 07, exercises 2 and 3 alone: the options apply sets, seen by the peer (its /request route
// sends the request back as it arrived) and by curl_easy_getinfo. Every transfer runs on apply's
// options with the test's own write and header callbacks (transfer_steps.hpp), so none of
// on_header, on_body or finish is needed; exercise 2's test sets only apply_request_options.

#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <vector>

#include "07_libcurl/easy_handle.hpp"
#include "graded.hpp"
#include "lab07_helpers.hpp"
#include "test_pki.hpp"
#include "transfer_steps.hpp"

namespace nc = netlab::curl;
using namespace std::chrono_literals;
using netlab::testing::get;
using netlab::testing::LocalServer;
using netlab::testing::perform_request_options_only;
using netlab::testing::perform_with_own_callbacks;
using netlab::testing::RawTransfer;

namespace {

constexpr auto npos = std::string::npos;

/// True when every line of lines is in head, each as a whole line, in this order.
bool has_lines_in_order(const std::string& head, const std::vector<std::string>& lines) {
    std::size_t from = 0;
    for (const std::string& line : lines) {
        from = head.find("\r\n" + line + "\r\n", from);
        if (from == npos) {
            return false;
        }
        from += line.size();
    }
    return true;
}

}  // namespace

GRADED_TEST(Lab07Apply, MethodHeadersAndBodyGoOutAsTheRequestSays, 6) {
    // Only apply_request_options (exercise 2) sets options here: no transfer policy is needed.
    const LocalServer server;
    nc::EasyHandle handle;
    SCOPED_TRACE("GET: our user agent, our headers in order, our Accept instead of curl's, no body");
    nc::Request plain = get(server.url("/request/get"));
    plain.headers = {"X-Netlab-Lab: 07", "Accept: application/json", "X-Second: two"};
    RawTransfer sent = perform_request_options_only(handle, plain);
    ASSERT_EQ(sent.result, CURLE_OK) << sent.describe();
    EXPECT_EQ(sent.status, 200);
    EXPECT_TRUE(sent.body.starts_with("GET /request/get HTTP/1.1\r\n")) << sent.body;
    EXPECT_NE(sent.body.find("\r\nUser-Agent: netlab-http/1.0\r\n"), npos) << sent.body;
    EXPECT_TRUE(has_lines_in_order(sent.body, plain.headers)) << sent.body;
    EXPECT_EQ(sent.body.find("Accept: */*"), npos) << sent.body;
    EXPECT_EQ(sent.body.find("Content-Length"), npos) << sent.body;

    SCOPED_TRACE("POST: the body's exact bytes, a NUL among them, as a form unless told otherwise");
    nc::Request form = get(server.url("/request/form"));
    form.method = nc::Method::post;
    form.body = std::string("a=1\0b=2", 7);
    sent = perform_request_options_only(handle, form);
    EXPECT_TRUE(sent.body.starts_with("POST /request/form HTTP/1.1\r\n")) << sent.describe();
    EXPECT_NE(sent.body.find("\r\nContent-Length: 7\r\n"), npos) << sent.body;
    EXPECT_NE(sent.body.find("\r\nContent-Type: application/x-www-form-urlencoded\r\n"), npos) << sent.body;
    EXPECT_TRUE(sent.body.ends_with("\r\n\r\n" + *form.body)) << sent.body;

    SCOPED_TRACE("POST without a body: an empty one (nothing read from standard input)");
    nc::Request empty = get(server.url("/request/empty"));
    empty.method = nc::Method::post;
    sent = perform_request_options_only(handle, empty);
    EXPECT_TRUE(sent.body.starts_with("POST /request/empty HTTP/1.1\r\n")) << sent.describe();
    EXPECT_NE(sent.body.find("\r\nContent-Length: 0\r\n"), npos) << sent.body;
    EXPECT_TRUE(sent.body.ends_with("\r\n\r\n")) << sent.body;

    SCOPED_TRACE("PUT and DELETE: their own method names, with their bodies");
    nc::Request put = get(server.url("/request/put"));
    put.method = nc::Method::put;
    put.body = "new contents";
    sent = perform_request_options_only(handle, put);
    EXPECT_TRUE(sent.body.starts_with("PUT /request/put HTTP/1.1\r\n")) << sent.describe();
    EXPECT_TRUE(sent.body.ends_with("\r\n\r\nnew contents")) << sent.body;
    nc::Request remove = get(server.url("/request/delete"));
    remove.method = nc::Method::delete_;
    sent = perform_request_options_only(handle, remove);
    EXPECT_TRUE(sent.body.starts_with("DELETE /request/delete HTTP/1.1\r\n")) << sent.describe();
    EXPECT_NE(sent.body.find("\r\nContent-Length: 0\r\n"), npos) << sent.body;

    SCOPED_TRACE("HEAD: the head of the answer, and no body");
    nc::Request head = get(server.url("/hello.txt"));
    head.method = nc::Method::head;
    sent = perform_request_options_only(handle, head);
    EXPECT_EQ(sent.result, CURLE_OK) << sent.describe();
    EXPECT_EQ(sent.status, 200);
    EXPECT_NE(sent.head.find("\r\nContent-Length: 28\r\n"), npos) << sent.describe();
    EXPECT_EQ(sent.body, "") << "a HEAD request has no body in its answer";
}

GRADED_TEST(Lab07Apply, EveryRequestStartsFromTheDefaults, 5) {
    // At most two connections at a time: a fresh connection left in the handle's cache, beside the
    // first one, would make the next fresh one wait for an accept that never comes (5 s timeout).
    const LocalServer server({"--max-connections", "2"});
    nc::EasyHandle handle;
    nc::Request fancy = get(server.url("/request/fancy"));
    fancy.method = nc::Method::post;
    fancy.headers = {"X-Leak-Check: 1"};
    fancy.body = "secret=1";
    fancy.fresh_connection = true;
    fancy.timeout = 5s;
    nc::Request plain = get(server.url("/request/plain"));
    plain.timeout = 5s;
    SCOPED_TRACE("on one handle: plain, fancy, plain, fancy, plain");
    std::vector<RawTransfer> seen;
    for (const nc::Request* request :
         std::vector<const nc::Request*>{&plain, &fancy, &plain, &fancy, &plain}) {
        seen.push_back(perform_with_own_callbacks(handle, *request));
        EXPECT_EQ(seen.back().status, 200) << seen.back().describe();
    }
    for (const std::size_t i : {1U, 3U}) {
        EXPECT_TRUE(seen[i].body.starts_with("POST /request/fancy HTTP/1.1\r\n"))
            << i << ": " << seen[i].body;
        EXPECT_NE(seen[i].body.find("\r\nX-Leak-Check: 1\r\n"), npos) << seen[i].body;
        EXPECT_TRUE(seen[i].body.ends_with("\r\n\r\nsecret=1")) << seen[i].body;
        EXPECT_EQ(seen[i].new_connections, 1) << "fresh_connection: a new connection every time";
        EXPECT_EQ(seen[i].result, CURLE_OK)
            << "a fresh connection stayed open in the cache: " << seen[i].describe();
    }
    for (const std::size_t i : {0U, 2U, 4U}) {
        EXPECT_TRUE(seen[i].body.starts_with("GET /request/plain HTTP/1.1\r\n")) << i << ": " << seen[i].body;
        EXPECT_EQ(seen[i].body.find("X-Leak-Check"), npos) << "a header leaked: " << seen[i].body;
        EXPECT_EQ(seen[i].body.find("secret"), npos) << "a body leaked: " << seen[i].body;
        EXPECT_EQ(seen[i].body.find("Content-Length"), npos) << seen[i].body;
    }
    EXPECT_EQ(seen[0].new_connections, 1);
    EXPECT_EQ(seen[2].new_connections, 0)
        << "the reset dropped the cached connection, or fresh_connection stuck";
    EXPECT_EQ(seen[4].new_connections, 0)
        << "the reset dropped the cached connection, or fresh_connection stuck";
}

GRADED_TEST(Lab07Apply, RedirectsTimeoutAndSchemesAsTheRequestSays, 4) {
    const LocalServer server;
    nc::EasyHandle handle;
    SCOPED_TRACE("redirects: not followed unless asked");
    nc::Request hops = get(server.url("/redirect/3"));
    RawTransfer seen = perform_with_own_callbacks(handle, hops);
    EXPECT_EQ(seen.status, 302) << seen.describe();
    EXPECT_NE(seen.head.find("\r\nLocation: /redirect/2\r\n"), npos) << seen.head;
    EXPECT_EQ(seen.effective_url, server.url("/redirect/3"));
    hops.follow_redirects = true;
    seen = perform_with_own_callbacks(handle, hops);
    EXPECT_EQ(seen.status, 200) << seen.describe();
    EXPECT_EQ(seen.body, "redirect chain ended\n");
    EXPECT_EQ(seen.effective_url, server.url("/redirect/0"));
    hops.max_redirects = 2;
    EXPECT_EQ(perform_with_own_callbacks(handle, hops).result, CURLE_TOO_MANY_REDIRECTS);

    SCOPED_TRACE("the request's timeout ends a transfer that takes longer");
    nc::Request slow = get(server.url("/delay/10000"));
    slow.timeout = 300ms;
    const auto started = std::chrono::steady_clock::now();
    seen = perform_with_own_callbacks(handle, slow);
    const auto took = std::chrono::steady_clock::now() - started;
    EXPECT_EQ(seen.result, CURLE_OPERATION_TIMEDOUT) << seen.describe();
    EXPECT_GE(took, 250ms);
    EXPECT_LT(took, 5s) << "the timeout did not bound the transfer";

    SCOPED_TRACE("http and https only: other schemes are refused before anything is opened");
    const std::string ftp = "ftp://127.0.0.1:" + std::to_string(netlab::testing::refused_port()) + "/";
    EXPECT_EQ(perform_with_own_callbacks(handle, get(ftp)).result, CURLE_UNSUPPORTED_PROTOCOL);
    EXPECT_EQ(perform_with_own_callbacks(handle, get("file:///dev/null")).result, CURLE_UNSUPPORTED_PROTOCOL);
}

GRADED_TEST(Lab07Apply, TrustsTheGivenCaAndNeverStopsVerifying, 4) {
    const netlab::testing::TempDir folder;
    const netlab::testing::TestPki pki = netlab::testing::make_test_pki(folder.path());
    const LocalServer server({"--cert", pki.server.certificate, "--key", pki.server.key});
    const auto url = [&server](const std::string& host) {
        return "https://" + host + ":" + std::to_string(server.port()) + "/hello.txt";
    };
    nc::EasyHandle handle;
    SCOPED_TRACE("the test CA as ca_file: verified, and answered");
    nc::Request trusted = get(url("localhost"));
    trusted.ca_file = pki.ca_certificate;
    RawTransfer seen = perform_with_own_callbacks(handle, trusted);
    EXPECT_EQ(seen.result, CURLE_OK) << seen.describe();
    EXPECT_EQ(seen.status, 200);
    EXPECT_EQ(seen.body, "hello from netlab_http_peer\n");

    SCOPED_TRACE("no ca_file: the system store does not know the test CA");
    seen = perform_with_own_callbacks(handle, get(url("localhost")));
    EXPECT_EQ(seen.result, CURLE_PEER_FAILED_VERIFICATION) << seen.describe();

    SCOPED_TRACE("the CA, but a host name the certificate does not name");
    nc::Request wrong_name = get(url("127.0.0.1"));
    wrong_name.ca_file = pki.ca_certificate;
    seen = perform_with_own_callbacks(handle, wrong_name);
    EXPECT_EQ(seen.result, CURLE_PEER_FAILED_VERIFICATION) << seen.describe();
}
