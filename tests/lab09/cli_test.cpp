// Lab 09, the command-line contract of the three programs: --help on stdout with exit 0, a bad
// argument as an error plus usage on stderr with exit 2, and SIGINT/SIGTERM exit 0 for servers.

#include <signal.h>

#include <string>
#include <vector>

#include "cli_contract.hpp"
#include "graded.hpp"
#include "lab09_helpers.hpp"

namespace netlab::testing::lab09 {
namespace {

GRADED_TEST(Lab09Cli, HelpAndBadArgumentsFollowTheContract, 2) {
    expect_help_contract({"ws_echo_server", "ws_chat_server", "ws_client"});
    expect_refused({
        {"ws_echo_server", {"--listen", "127.0.0.1:70000"}},
        {"ws_echo_server", {"--max-message", "10"}},
        {"ws_echo_server", {"--bogus"}},
        {"ws_chat_server", {"--page", "/no/such/page.html"}},
        {"ws_client", {}},
        {"ws_client", {"--connect", "127.0.0.1:1", "--path", "no-slash"}},
        {"ws_client", {"--connect", "127.0.0.1:1", "--close-code", "999"}},
    });
}

REFERENCE_TEST(Lab09Cli, CloseCodesNeverSentAreUsageErrors) {
    std::vector<BadCommandLine> refused;
    for (const char* code : {"999", "1004", "1005", "1006", "1012", "1015", "1016", "2999", "5000"}) {
        refused.push_back({"ws_client", {"--connect", "127.0.0.1:1", "--close-code", code}});
    }
    expect_refused(refused);  // exit 2 before connecting (nothing listens on port 1: connecting is exit 1)
    for (const char* code : {"1000", "1003", "1007", "1011", "3000", "4999"}) {
        SCOPED_TRACE(std::string("--close-code ") + code);
        const ProgramOutcome outcome =
            run_to_exit("ws_client", {"--connect", "127.0.0.1:1", "--close-code", code});
        EXPECT_EQ(outcome.status, 1) << "a sendable code is accepted, then connecting fails: " << outcome.err;
    }
}

GRADED_TEST(Lab09Cli, ServersStopCleanlyOnSigintAndSigterm, 1) {
    for (const int signal_number : {SIGINT, SIGTERM}) {
        for (const std::string program : {"ws_echo_server", "ws_chat_server"}) {
            SCOPED_TRACE(program + " signal " + std::to_string(signal_number));
            ServerProcess server(program, listen_args());
            RawWs client = RawWs::open(server.endpoint.port);
            server.process.send_signal(signal_number);
            const auto status = server.process.wait_exit(10s);
            EXPECT_EQ(status, 0) << describe_exit(status) << "; stderr: " << server.process.stderr_text();
        }
    }
}

}  // namespace
}  // namespace netlab::testing::lab09
