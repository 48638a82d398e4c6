// Lab 05, libevent_echo_server out of file descriptors (descriptor_starvation.hpp tells the scenario): it
// must pause accepting instead of spinning, and serve the waiting clients once descriptors are free.

#include <string>
#include <vector>

#include "deadline.hpp"
#include "descriptor_starvation.hpp"
#include "graded.hpp"
#include "server_process.hpp"
#include "test_socket.hpp"

namespace netlab::testing {
namespace {

REFERENCE_TEST(Lab05Echo, OutOfDescriptorsPausesAcceptingInsteadOfSpinning) {
    if (!kCanStarveDescriptors) {
        GTEST_SKIP() << "a sanitized server cannot be starved of descriptors";
    }
    ServerProcess server("libevent_echo_server", listen_args());
    ASSERT_TRUE(limit_descriptors(server, 16)) << "prlimit";  // about 8 clients after the loop's own

    std::vector<UniqueFd> clients;
    {
        SCOPED_TRACE("24 clients connect and send a line: the server runs out of descriptors");
        for (int i = 0; i < 24; ++i) {
            clients.push_back(server.connect());
            ASSERT_TRUE(send_within(clients.back().get(), "client " + std::to_string(i) + "\n", 5s));
        }
        ASSERT_TRUE(reports_out_of_descriptors(server, 10s))
            << "accept() never reported EMFILE; log: " << server.log().substr(0, 2000);
    }
    {
        SCOPED_TRACE("while clients wait in the backlog, the server idles: little CPU, a quiet log");
        expect_idle(watch_starved(server, kFloodLines), kFloodLines);
    }
    {
        SCOPED_TRACE("all but the last client leave: descriptors free up and the last one is echoed");
        const UniqueFd last = std::move(clients.back());
        clients.clear();
        const std::string expected = "client 23\n";
        const auto echo = read_exactly(last.get(), expected.size(), 10s);
        ASSERT_TRUE(echo.has_value()) << "no echo for the last client; log: " << server.log().substr(0, 2000);
        EXPECT_EQ(*echo, expected);
    }
}

}  // namespace
}  // namespace netlab::testing
