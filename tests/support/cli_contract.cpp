#include "cli_contract.hpp"

#include <gtest/gtest.h>

#include <optional>

#include "child_process.hpp"

namespace netlab::testing {

using namespace std::chrono_literals;

ProgramOutcome run_to_exit(const std::string& program, const std::vector<std::string>& args) {
    ChildProcess child(program, args);
    child.close_stdin();
    ProgramOutcome result;
    result.out = child.read_all_stdout(10s).value_or("<stdout still open after 10 s>");
    result.status = child.wait_exit(10s);
    result.err = child.stderr_text();
    return result;
}

void expect_help_contract(const std::vector<std::string>& programs) {
    for (const std::string& program : programs) {
        SCOPED_TRACE(program + " --help");
        const ProgramOutcome result = run_to_exit(program, {"--help"});
        EXPECT_EQ(result.status, 0) << describe_exit(result.status);
        EXPECT_EQ(result.out.rfind("usage: " + program, 0), 0u) << "stdout: " << result.out;
        EXPECT_EQ(result.err, "");
    }
}

void expect_refused(const std::vector<BadCommandLine>& cases) {
    for (const auto& [program, args] : cases) {
        std::string line = program;
        for (const auto& arg : args) {
            line += " " + arg;
        }
        SCOPED_TRACE(line);
        const ProgramOutcome result = run_to_exit(program, args);
        EXPECT_EQ(result.status, 2) << describe_exit(result.status) << "; stderr: " << result.err;
        EXPECT_NE(result.err.find("error: "), std::string::npos) << "stderr: " << result.err;
        EXPECT_NE(result.err.find("usage: " + program), std::string::npos) << "stderr: " << result.err;
        EXPECT_EQ(result.out, "");
    }
}

}  // namespace netlab::testing
