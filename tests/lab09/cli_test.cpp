// Lab 09, the command-line contract of the three programs: --help on stdout with exit 0, a bad
// argument as an error plus usage on stderr with exit 2, and SIGINT/SIGTERM exit 0 for servers.

#include <signal.h>

#include <string>
#include <vector>

#include "graded.hpp"
#include "lab09_helpers.hpp"

namespace netlab::testing::lab09 {
namespace {

struct Outcome {
    std::optional<int> status;
    std::string out;
    std::string err;
};

Outcome run(const std::string& program, const std::vector<std::string>& args) {
    ChildProcess child(program, args);
    child.close_stdin();
    Outcome result;
    result.out = child.read_all_stdout(10s).value_or("<stdout still open after 10 s>");
    result.status = child.wait_exit(10s);
    result.err = child.stderr_text();
    return result;
}

GRADED_TEST(Lab09Cli, HelpAndBadArgumentsFollowTheContract, 2) {
    for (const std::string program : {"ws_echo_server", "ws_chat_server", "ws_client"}) {
        SCOPED_TRACE(program + " --help");
        const Outcome result = run(program, {"--help"});
        EXPECT_EQ(result.status, 0) << describe_exit(result.status);
        EXPECT_EQ(result.out.rfind("usage: " + program, 0), 0u) << "stdout: " << result.out;
    }
    const std::vector<std::pair<std::string, std::vector<std::string>>> cases = {
        {"ws_echo_server", {"--listen", "127.0.0.1:70000"}},
        {"ws_echo_server", {"--max-message", "10"}},
        {"ws_echo_server", {"--bogus"}},
        {"ws_chat_server", {"--page", "/no/such/page.html"}},
        {"ws_client", {}},
        {"ws_client", {"--connect", "127.0.0.1:1", "--path", "no-slash"}},
        {"ws_client", {"--connect", "127.0.0.1:1", "--close-code", "999"}},
    };
    for (const auto& [program, args] : cases) {
        std::string line = program;
        for (const auto& arg : args)
            line += " " + arg;
        SCOPED_TRACE(line);
        const Outcome result = run(program, args);
        EXPECT_EQ(result.status, 2) << describe_exit(result.status) << "; stderr: " << result.err;
        EXPECT_NE(result.err.find("usage: " + program), std::string::npos) << "stderr: " << result.err;
        EXPECT_EQ(result.out, "");
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
