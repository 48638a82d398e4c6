// Lab 06, qt_udp_discovery: two instances on one port find each other over loopback multicast
// (or broadcast), and each prints the other exactly once.

#include <csignal>

#include "child_process.hpp"
#include "deadline.hpp"
#include "graded.hpp"

namespace netlab::testing {
namespace {

void two_instances_find_each_other(const std::vector<std::string>& mode) {
    std::vector<std::string> first_args{"--name",        "ann", "--port",  "0",
                                        "--interval-ms", "100", "--peers", "1"};
    first_args.insert(first_args.end(), mode.begin(), mode.end());
    ChildProcess ann("qt_udp_discovery", first_args);
    const HostPort bound = ann.wait_listening();
    ASSERT_NE(bound.port, 0);
    std::vector<std::string> second_args{"--name",        "bob", "--port", std::to_string(bound.port),
                                         "--interval-ms", "100"};
    second_args.insert(second_args.end(), mode.begin(), mode.end());
    ChildProcess bob("qt_udp_discovery", second_args);
    EXPECT_EQ(bob.wait_listening().port, bound.port) << "the second instance must share the port";

    const auto ann_line = ann.read_line(10s);
    ASSERT_TRUE(ann_line.has_value()) << "ann found no one; stderr: " << ann.stderr_text();
    EXPECT_EQ(ann_line->rfind("found bob at 127.", 0), 0u) << *ann_line;
    EXPECT_EQ(ann.wait_exit(10s), 0) << "--peers 1 exits once bob is found; stderr: " << ann.stderr_text();

    const auto bob_line = bob.read_line(10s);
    ASSERT_TRUE(bob_line.has_value()) << "bob found no one; stderr: " << bob.stderr_text();
    EXPECT_EQ(bob_line->rfind("found ann at 127.", 0), 0u) << *bob_line;
    EXPECT_FALSE(bob.read_line(300ms).has_value()) << "ann was reported twice";
    bob.send_signal(SIGINT);
    EXPECT_EQ(bob.wait_exit(10s), 0) << bob.stderr_text();
}

GRADED_TEST(Lab06Udp, TwoInstancesDiscoverEachOther, 7) {
    SCOPED_TRACE("multicast on loopback (broadcast if the kernel refuses the group on lo)");
    two_instances_find_each_other({});
}

GRADED_TEST(Lab06Udp, BroadcastModeWorksToo, 3) {
    two_instances_find_each_other({"--broadcast"});
}

}  // namespace
}  // namespace netlab::testing
