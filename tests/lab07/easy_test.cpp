// Lab 07: the easy-handle wrapper in-process against the HTTP test peer (whose /request route
// sends back the request itself): GET, POST, headers, redirects, HTTP errors as
// responses, the write-callback contract and connection reuse.

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>
#include <type_traits>

#include "07_libcurl/curl_error.hpp"
#include "07_libcurl/easy_handle.hpp"
#include "graded.hpp"
#include "lab07_helpers.hpp"
#include "outcome_check.hpp"

namespace nc = netlab::curl;
using netlab::testing::counting_pattern;
using netlab::testing::error_of;
using netlab::testing::get;
using netlab::testing::LocalServer;
using netlab::testing::response_of;

GRADED_TEST(Lab07Easy, HandleIsMoveOnlyAndStillWorksAfterAMove, 1) {
    static_assert(!std::is_copy_constructible_v<nc::EasyHandle>);
    static_assert(!std::is_copy_assignable_v<nc::EasyHandle>);
    static_assert(std::is_nothrow_move_constructible_v<nc::EasyHandle>);
    static_assert(std::is_nothrow_move_assignable_v<nc::EasyHandle>);
    const LocalServer server;
    nc::EasyHandle first;
    nc::EasyHandle second(std::move(first));
    EXPECT_EQ(response_of(second.perform(get(server.url("/status/200")))).status, 200);
    first = std::move(second);
    EXPECT_EQ(response_of(first.perform(get(server.url("/status/201")))).status, 201);
}

GRADED_TEST(Lab07Easy, GetReturnsStatusHeadersBodyAndTimings, 2) {
    const LocalServer server;
    nc::EasyHandle handle;
    const nc::Response response = response_of(handle.perform(get(server.url("/hello.txt"))));
    EXPECT_EQ(response.status, 200);
    EXPECT_NE(response.body.find("hello from netlab_http_peer"), std::string::npos) << response.body;
    EXPECT_EQ(response.body_bytes, response.body.size());
    ASSERT_TRUE(response.header("content-type")) << "header lookup ignores case";
    EXPECT_NE(response.header("Content-Type")->find("text/plain"), std::string_view::npos);
    EXPECT_EQ(response.header("Content-Length"), std::to_string(response.body.size()));
    EXPECT_EQ(response.effective_url, server.url("/hello.txt"));
    const nc::Timings& t = response.timings;
    EXPECT_GT(t.total.count(), 0);
    EXPECT_LE(t.connect, t.pretransfer);
    EXPECT_LE(t.pretransfer, t.first_byte);
    EXPECT_LE(t.first_byte, t.total);
}

GRADED_TEST(Lab07Easy, PostsAFormAndJson, 1) {
    const LocalServer server;
    nc::EasyHandle handle;
    SCOPED_TRACE("a form: POST with a body and no Content-Type header is application/x-www-form-urlencoded");
    nc::Request form = get(server.url("/echo"));
    form.method = nc::Method::post;
    form.body = "name=netlab&lab=07&note=a%20b";
    nc::Response response = response_of(handle.perform(form));
    EXPECT_EQ(response.status, 200);
    EXPECT_EQ(response.body, *form.body);
    EXPECT_EQ(response.header("Content-Type"), "application/x-www-form-urlencoded");

    SCOPED_TRACE("JSON: the body as is, with our Content-Type");
    nc::Request json = get(server.url("/echo"));
    json.method = nc::Method::post;
    json.headers = {"Content-Type: application/json"};
    json.body = R"({"lab": 7, "name": "libcurl", "tags": ["easy", "multi"]})";
    response = response_of(handle.perform(json));
    EXPECT_EQ(response.status, 200);
    EXPECT_EQ(response.body, *json.body);
    EXPECT_EQ(response.header("Content-Type"), "application/json");

    SCOPED_TRACE("an empty POST, then a GET on the same handle is a GET again (options reset)");
    nc::Request empty = get(server.url("/echo"));
    empty.method = nc::Method::post;
    EXPECT_EQ(response_of(handle.perform(empty)).body, "");
    EXPECT_EQ(response_of(handle.perform(get(server.url("/echo")))).status, 405)
        << "GET /echo must not be sent as a POST";
}

GRADED_TEST(Lab07Easy, CustomHeadersReachTheServerAndComeBack, 1) {
    const LocalServer server;
    nc::EasyHandle handle;
    // /request sends the request back as its body, and each query NAME=VALUE as a reply header.
    nc::Request request = get(server.url("/request/headers?X-Reply=yes&x-lower=1"));
    request.headers = {"X-Netlab-Lab: 07", "Accept: application/json", "Authorization: Bearer test-token"};
    const nc::Response response = response_of(handle.perform(request));
    EXPECT_EQ(response.status, 200);
    EXPECT_EQ(response.header("x-reply"), "yes");
    EXPECT_EQ(response.header("X-Lower"), "1");
    const std::string& head = response.body;
    EXPECT_TRUE(head.starts_with("GET /request/headers?X-Reply=yes&x-lower=1 HTTP/1.1\r\n")) << head;
    EXPECT_NE(head.find("\r\nX-Netlab-Lab: 07\r\n"), std::string::npos) << head;
    EXPECT_NE(head.find("\r\nAccept: application/json\r\n"), std::string::npos) << head;
    EXPECT_NE(head.find("\r\nAuthorization: Bearer test-token\r\n"), std::string::npos) << head;
    EXPECT_EQ(head.find("Accept: */*"), std::string::npos) << "our Accept replaces curl's default: " << head;
}

GRADED_TEST(Lab07Easy, RedirectsAreFollowedOnlyWhenAsked, 2) {
    const LocalServer server;
    nc::EasyHandle handle;
    SCOPED_TRACE("not followed: the 302 itself, with its Location");
    nc::Response response = response_of(handle.perform(get(server.url("/redirect/3"))));
    EXPECT_EQ(response.status, 302);
    EXPECT_EQ(response.header("Location"), "/redirect/2");
    EXPECT_EQ(response.effective_url, server.url("/redirect/3"));

    SCOPED_TRACE("followed: the final response, its headers only, and where we ended up");
    nc::Request follow = get(server.url("/redirect/3"));
    follow.follow_redirects = true;
    response = response_of(handle.perform(follow));
    EXPECT_EQ(response.status, 200);
    EXPECT_EQ(response.body, "redirect chain ended\n");
    EXPECT_EQ(response.effective_url, server.url("/redirect/0"));
    EXPECT_FALSE(response.header("Location")) << "a hop's headers leaked into the final response";

    SCOPED_TRACE("too many hops is a transport error, in the Outcome");
    follow.max_redirects = 2;
    const nc::CurlError error = error_of(handle.perform(follow));
    EXPECT_EQ(error.code(), CURLE_TOO_MANY_REDIRECTS) << error.what();
}

GRADED_TEST(Lab07Easy, HttpErrorsAreResponsesNotExceptions, 2) {
    const LocalServer server;
    nc::EasyHandle handle;
    for (const long status : {404L, 500L, 503L}) {
        SCOPED_TRACE("status " + std::to_string(status));
        const nc::Response response =
            response_of(handle.perform(get(server.url("/status/" + std::to_string(status)))));
        EXPECT_EQ(response.status, status);
        EXPECT_TRUE(response.is_http_error());
        EXPECT_EQ(response.body, "status " + std::to_string(status) + "\n");
    }
    EXPECT_EQ(response_of(handle.perform(get(server.url("/no-such-file")))).status, 404);
    EXPECT_FALSE(response_of(handle.perform(get(server.url("/status/204")))).is_http_error());
}

GRADED_TEST(Lab07Easy, BodyChunksAreBinarySafeAndNotNulTerminated, 1) {
    SCOPED_TRACE("a body with NUL bytes inside comes back whole");
    const std::string binary("a\0b\0\0c\xff\x00z", 9);
    const LocalServer server;
    nc::EasyHandle handle;
    const nc::Response response = response_of(handle.perform(get(server.url("/hex/610062000063ff007a"))));
    EXPECT_EQ(response.body, binary);

    SCOPED_TRACE("1 MiB to a sink: many chunks, each exactly its own bytes, together the whole body");
    std::string joined;
    std::size_t chunks = 0;
    const nc::Response big =
        response_of(handle.perform(get(server.url("/bytes/1048576")), [&](std::string_view chunk) {
            ++chunks;
            joined.append(chunk);
            return true;
        }));
    EXPECT_EQ(big.status, 200);
    EXPECT_TRUE(big.body.empty()) << "a sink took the body; Response::body must stay empty";
    EXPECT_GT(chunks, 1U);
    EXPECT_EQ(joined.size(), 1048576U);
    EXPECT_TRUE(joined == counting_pattern(1048576)) << "the bytes differ from /bytes' pattern";
}

GRADED_TEST(Lab07Easy, ARefusingOrThrowingSinkAbortsCleanly, 3) {
    const LocalServer server;
    nc::EasyHandle handle;
    SCOPED_TRACE("a sink that returns false: CURLE_WRITE_ERROR in the Outcome, the reason in detail()");
    std::size_t calls = 0;
    const nc::CurlError refused = error_of(
        handle.perform(get(server.url("/bytes/4194304")), [&](std::string_view) { return ++calls < 2; }));
    EXPECT_EQ(refused.code(), CURLE_WRITE_ERROR) << refused.what();
    EXPECT_NE(refused.detail().find("refused"), std::string::npos) << refused.what();
    EXPECT_EQ(calls, 2U) << "the sink was called again after it refused";

    SCOPED_TRACE("a sink that throws: that very exception comes out of perform()");
    EXPECT_THROW(static_cast<void>(handle.perform(
                     get(server.url("/bytes/65536")),
                     [](std::string_view) -> bool { throw std::domain_error("disk full, say"); })),
                 std::domain_error);

    SCOPED_TRACE("a body over max_body is refused, not buffered");
    nc::Request capped = get(server.url("/bytes/1000000"));
    capped.max_body = 100000;
    const nc::CurlError too_big = error_of(handle.perform(capped));
    EXPECT_EQ(too_big.code(), CURLE_WRITE_ERROR) << too_big.what();

    SCOPED_TRACE("the handle is still good afterwards");
    EXPECT_EQ(response_of(handle.perform(get(server.url("/status/200")))).status, 200);
}

GRADED_TEST(Lab07Easy, NothingLeaksFromOneRequestIntoTheNext, 1) {
    const LocalServer server;
    const std::string url = server.url("/request");  // each reply's body is the request as it arrived
    nc::EasyHandle handle;
    nc::Request fancy = get(url + "/fancy");
    fancy.method = nc::Method::post;
    fancy.headers = {"X-Leak-Check: 1"};
    fancy.body = "secret=1";
    const nc::Request plain = get(url + "/plain");
    SCOPED_TRACE("on one handle: fancy, plain, plain, fancy, plain");
    std::vector<std::string> seen;
    for (const nc::Request* request :
         std::vector<const nc::Request*>{&fancy, &plain, &plain, &fancy, &plain}) {
        const nc::Response response = response_of(handle.perform(*request));
        EXPECT_EQ(response.status, 200);
        seen.push_back(response.body);
    }
    ASSERT_EQ(seen.size(), 5U);
    for (const std::size_t i : {0U, 3U}) {
        EXPECT_TRUE(seen[i].starts_with("POST /request/fancy HTTP/1.1\r\n"))
            << "request " << i << ": " << seen[i];
        EXPECT_NE(seen[i].find("\r\nX-Leak-Check: 1\r\n"), std::string::npos) << seen[i];
        EXPECT_TRUE(seen[i].ends_with("\r\n\r\nsecret=1")) << seen[i];
    }
    for (const std::size_t i : {1U, 2U, 4U}) {
        EXPECT_TRUE(seen[i].starts_with("GET /request/plain HTTP/1.1\r\n"))
            << "request " << i << ": " << seen[i];
        EXPECT_EQ(seen[i].find("X-Leak-Check"), std::string::npos) << "a header leaked: " << seen[i];
        EXPECT_EQ(seen[i].find("secret"), std::string::npos) << "a body leaked: " << seen[i];
        EXPECT_EQ(seen[i].find("Content-Length"), std::string::npos) << seen[i];
    }
}

GRADED_TEST(Lab07Easy, OneHandleReusesItsConnection, 1) {
    const LocalServer server;
    nc::EasyHandle handle;
    std::vector<long> opened;
    for (int i = 0; i < 5; ++i) {
        opened.push_back(response_of(handle.perform(get(server.url("/status/200")))).new_connections);
    }
    EXPECT_EQ(opened, (std::vector<long>{1, 0, 0, 0, 0})) << "keep-alive: only the first request connects";

    SCOPED_TRACE("a fresh connection per request connects every time");
    nc::Request fresh = get(server.url("/status/200"));
    fresh.fresh_connection = true;
    EXPECT_EQ(response_of(handle.perform(fresh)).new_connections, 1);
    EXPECT_EQ(response_of(handle.perform(fresh)).new_connections, 1);

    SCOPED_TRACE(
        "back to plain requests: the fresh-connection options do not stick; the first connection, "
        "still kept alive, serves them");
    EXPECT_EQ(response_of(handle.perform(get(server.url("/status/200")))).new_connections, 0);
    EXPECT_EQ(response_of(handle.perform(get(server.url("/status/200")))).new_connections, 0);

    SCOPED_TRACE("a second handle has its own connection cache");
    nc::EasyHandle other;
    EXPECT_EQ(response_of(other.perform(get(server.url("/status/200")))).new_connections, 1);
    EXPECT_EQ(response_of(other.perform(get(server.url("/status/200")))).new_connections, 0);
}
