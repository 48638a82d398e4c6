// Lab 09, ws_echo_server out of file descriptors (descriptor_starvation.hpp tells the scenario): it
// must pause accepting instead of spinning, and serve the waiting clients once descriptors are free.

#include <string>
#include <vector>

#include "deadline.hpp"
#include "descriptor_starvation.hpp"
#include "graded.hpp"
#include "lab09_helpers.hpp"

namespace netlab::testing::lab09 {
namespace {

REFERENCE_TEST(Lab09EchoServer, OutOfDescriptorsPausesAcceptingInsteadOfSpinning) {
    if (!kCanStarveDescriptors) {
        GTEST_SKIP() << "a sanitized server cannot be starved of descriptors";
    }
    ServerProcess server("ws_echo_server", listen_args());
    ASSERT_TRUE(limit_descriptors(server, 16)) << "prlimit";  // about 8 clients after the loop's own

    std::vector<RawWs> clients;
    {
        SCOPED_TRACE("24 clients connect and ask to upgrade: the server runs out of descriptors");
        for (int i = 0; i < 24; ++i) {
            clients.emplace_back(server.endpoint.port);
            ASSERT_TRUE(clients.back().send(sample_request()));
        }
        ASSERT_TRUE(reports_out_of_descriptors(server, 10s))
            << "accept() never reported EMFILE; log: " << server.log().substr(0, 2000);
    }
    {
        SCOPED_TRACE("while clients wait in the backlog, the server idles: little CPU, a quiet log");
        expect_idle(watch_starved(server, kFloodLines), kFloodLines);
    }
    {
        SCOPED_TRACE("all but the last client leave: descriptors free up and the last one is served");
        RawWs last = std::move(clients.back());
        clients.clear();
        const std::string head = last.read_head();
        EXPECT_EQ(head.rfind("HTTP/1.1 101", 0), 0u) << "the last client: " << head.substr(0, 200);
        EXPECT_EQ(last.echo("served at last"), "served at last");
    }
}

}  // namespace
}  // namespace netlab::testing::lab09
