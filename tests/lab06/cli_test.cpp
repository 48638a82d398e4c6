// Lab 06, the command-line contract of every program: --help on stdout with exit 0, a bad
// argument as an error plus usage on stderr with exit 2. (These pass without any lab code, so
// they are worth little.)

#include "child_process.hpp"
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

GRADED_TEST(Lab06Cli, HelpAndBadArgumentsFollowTheContract, 2) {
    for (const std::string program :
         {"qt_echo_server", "qt_echo_client", "qt_chat_client", "qt_udp_discovery", "qt_http_get"}) {
        SCOPED_TRACE(program + " --help");
        const Outcome result = run(program, {"--help"});
        EXPECT_EQ(result.status, 0) << describe_exit(result.status);
        EXPECT_EQ(result.out.rfind("usage: " + program, 0), 0u) << "stdout: " << result.out;
        EXPECT_EQ(result.err, "");
    }
    const std::vector<std::pair<std::string, std::vector<std::string>>> cases = {
        {"qt_echo_server", {"--listen", "127.0.0.1:70000"}},
        {"qt_echo_server", {"--threads", "65"}},
        {"qt_echo_server", {"--listen", "localhost:0"}},
        {"qt_echo_client", {"--connect", "nonsense"}},
        {"qt_chat_client", {"--connect", "127.0.0.1:1"}},
        {"qt_chat_client", {"--name", std::string(33, 'n')}},
        {"qt_udp_discovery", {"--name", "has space"}},
        {"qt_udp_discovery", {"--name", "ok", "--interval-ms", "5"}},
        {"qt_http_get", {}},
        {"qt_http_get", {"ftp://127.0.0.1/x"}},
        {"qt_http_get", {"--timeout-ms", "0", "http://127.0.0.1:1/"}},
    };
    for (const auto& [program, args] : cases) {
        std::string line = program;
        for (const auto& arg : args)
            line += " " + arg;
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
