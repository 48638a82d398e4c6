// Lab 05, the command-line contract of both programs: --help on stdout with exit 0, and a bad
// argument as an error plus usage on stderr with exit 2. (These pass without any lab code, so
// they are worth little.)

#include <string>
#include <vector>

#include "graded.hpp"
#include "lab05_helpers.hpp"

namespace netlab::testing {
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

GRADED_TEST(Lab05Cli, HelpAndBadArgumentsFollowTheContract, 2) {
    for (const std::string program : {"libevent_echo_server", "libevent_http_server"}) {
        SCOPED_TRACE(program + " --help");
        const Outcome result = run(program, {"--help"});
        EXPECT_EQ(result.status, 0) << describe_exit(result.status);
        EXPECT_EQ(result.out.rfind("usage: " + program, 0), 0u) << "stdout: " << result.out;
        EXPECT_EQ(result.err, "");
    }
    const std::vector<std::pair<std::string, std::vector<std::string>>> cases = {
        {"libevent_echo_server", {"--listen", "127.0.0.1:70000"}},
        {"libevent_echo_server", {"--max-connections", "0"}},
        {"libevent_echo_server", {"--idle-timeout", "-1"}},
        {"libevent_echo_server", {"--high-watermark", "10"}},
        {"libevent_echo_server", {"--bogus"}},
        {"libevent_http_server", {"--listen", "nonsense"}},
        {"libevent_http_server", {"--root", "/no/such/folder/netlab"}},
        {"libevent_http_server", {"stray"}},
    };
    for (const auto& [program, args] : cases) {
        std::string line = program;
        for (const auto& arg : args) line += " " + arg;
        SCOPED_TRACE(line);
        const Outcome result = run(program, args);
        EXPECT_EQ(result.status, 2) << describe_exit(result.status) << "; stderr: " << result.err;
        EXPECT_NE(result.err.find("error: "), std::string::npos) << "stderr: " << result.err;
        EXPECT_NE(result.err.find("usage: " + program), std::string::npos) << "stderr: " << result.err;
        EXPECT_EQ(result.out, "");
    }
}

}  // namespace
}  // namespace netlab::testing
