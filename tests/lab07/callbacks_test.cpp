// Lab 07, exercise 3 alone: on_header and on_body as libcurl calls them, on the options apply set.
// Each transfer runs through curl_easy_perform without finish (transfer_steps.hpp), so what the
// test sees is what the callbacks leave outside the handle: the CURLcode their return values
// cause, status_so_far(), and the chunks a sink receives.

#include <gtest/gtest.h>

#include <chrono>
#include <stdexcept>
#include <string>
#include <vector>

#include "07_libcurl/easy_handle.hpp"
#include "graded.hpp"
#include "lab07_helpers.hpp"
#include "transfer_steps.hpp"

namespace nc = netlab::curl;
using namespace std::chrono_literals;
using netlab::testing::counting_pattern;
using netlab::testing::get;
using netlab::testing::LocalServer;
using netlab::testing::perform_without_finish;

namespace {

/// /request with count query fields, each of which the peer sends back as a reply header field.
std::string with_reply_fields(const LocalServer& server, int count) {
    std::string path = "/request";
    for (int i = 0; i < count; ++i) {
        path += (i == 0 ? "?" : "&") + ("X-Field-" + std::to_string(i)) + "=" + std::to_string(i);
    }
    return server.url(path);
}

std::string name(CURLcode code) {
    return std::to_string(code) + " (" + ::curl_easy_strerror(code) + ")";
}

}  // namespace

GRADED_TEST(Lab07Callbacks, HeaderLinesKeepTheStatusOfTheLatestResponse, 6) {
    const LocalServer server;
    nc::EasyHandle handle;
    SCOPED_TRACE("every line taken; the status line's code kept");
    EXPECT_EQ(handle.status_so_far(), 0);
    CURLcode result = perform_without_finish(handle, get(server.url("/status/404")));
    EXPECT_EQ(result, CURLE_OK) << name(result);
    EXPECT_EQ(handle.status_so_far(), 404);
    result = perform_without_finish(handle, get(server.url("/hello.txt")));
    EXPECT_EQ(result, CURLE_OK) << name(result);
    EXPECT_EQ(handle.status_so_far(), 200);

    SCOPED_TRACE("a sink reads the status of the response whose body it receives");
    std::vector<long> seen_by_sink;
    const auto sink = [&](std::string_view) {
        seen_by_sink.push_back(handle.status_so_far());
        return true;
    };
    result = perform_without_finish(handle, get(server.url("/status/503")), sink);
    EXPECT_EQ(result, CURLE_OK) << name(result);
    EXPECT_EQ(seen_by_sink, std::vector<long>{503});

    SCOPED_TRACE("each response of a redirect chain starts anew: the body's status is the last one's");
    seen_by_sink.clear();
    nc::Request hops = get(server.url("/redirect/3"));
    hops.follow_redirects = true;
    result = perform_without_finish(handle, hops, sink);
    EXPECT_EQ(result, CURLE_OK) << name(result);
    EXPECT_EQ(seen_by_sink, std::vector<long>{200}) << "three 302s, then the 200 whose body arrives";

    SCOPED_TRACE("nearly 200 header fields are taken; far more abort the transfer");
    result = perform_without_finish(handle, get(with_reply_fields(server, 190)));
    EXPECT_EQ(result, CURLE_OK) << name(result);
    result = perform_without_finish(handle, get(with_reply_fields(server, 210)));
    EXPECT_EQ(result, CURLE_WRITE_ERROR) << "over 200 fields: " << name(result);

    SCOPED_TRACE("the handle still works");
    result = perform_without_finish(handle, get(server.url("/status/201")));
    EXPECT_EQ(result, CURLE_OK) << name(result);
    EXPECT_EQ(handle.status_so_far(), 201);
}

GRADED_TEST(Lab07Callbacks, BodyChunksReachTheSinkWholeAndInOrder, 6) {
    const LocalServer server;
    nc::EasyHandle handle;
    std::string joined;
    std::size_t chunks = 0;
    const auto sink = [&](std::string_view chunk) {
        ++chunks;
        joined.append(chunk);
        return true;
    };
    SCOPED_TRACE("a body with NUL and 0xff bytes inside arrives as it is");
    CURLcode result = perform_without_finish(handle, get(server.url("/hex/610062000063ff007a")), sink);
    EXPECT_EQ(result, CURLE_OK) << name(result);
    EXPECT_TRUE(joined == std::string("a\0b\0\0c\xff\x00z", 9)) << "got " << joined.size() << " bytes";

    SCOPED_TRACE("1 MiB: several chunks, each exactly its own bytes, together the peer's pattern");
    joined.clear();
    chunks = 0;
    result = perform_without_finish(handle, get(server.url("/bytes/1048576")), sink);
    EXPECT_EQ(result, CURLE_OK) << name(result);
    EXPECT_GT(chunks, 1U);
    EXPECT_EQ(joined.size(), 1048576U);
    EXPECT_TRUE(joined == counting_pattern(1048576)) << "the bytes differ from /bytes' pattern";

    SCOPED_TRACE("no sink: a body of exactly max_body bytes is kept");
    nc::Request capped = get(server.url("/bytes/100000"));
    capped.max_body = 100000;
    result = perform_without_finish(handle, capped);
    EXPECT_EQ(result, CURLE_OK) << name(result);
}

GRADED_TEST(Lab07Callbacks, ARefusalOrAnExceptionStopsTheTransferCleanly, 6) {
    const LocalServer server;
    nc::EasyHandle handle;
    SCOPED_TRACE("a sink that refuses its second chunk: CURLE_WRITE_ERROR, and no third call");
    std::size_t calls = 0;
    CURLcode result = perform_without_finish(handle, get(server.url("/bytes/4194304")),
                                             [&](std::string_view) { return ++calls < 2; });
    EXPECT_EQ(result, CURLE_WRITE_ERROR) << name(result);
    EXPECT_EQ(calls, 2U) << "the sink was called again after it refused";

    SCOPED_TRACE(
        "a sink that throws: nothing is thrown into libcurl, the transfer ends with CURLE_WRITE_ERROR");
    result = CURLE_OK;
    EXPECT_NO_THROW(result = perform_without_finish(
                        handle, get(server.url("/bytes/65536")),
                        [](std::string_view) -> bool { throw std::domain_error("disk full, say"); }));
    EXPECT_EQ(result, CURLE_WRITE_ERROR) << name(result);

    SCOPED_TRACE("no sink: one byte over max_body is refused");
    nc::Request capped = get(server.url("/bytes/100001"));
    capped.max_body = 100000;
    result = perform_without_finish(handle, capped);
    EXPECT_EQ(result, CURLE_WRITE_ERROR) << name(result);

    SCOPED_TRACE("the handle still works");
    result = perform_without_finish(handle, get(server.url("/status/200")));
    EXPECT_EQ(result, CURLE_OK) << name(result);
    EXPECT_EQ(handle.status_so_far(), 200);
}
