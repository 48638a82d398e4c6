#pragma once
// The command-line contract every lab program follows, checked the same way in every lab:
//   --help       usage on stdout ("usage: PROGRAM ..."), nothing on stderr, exit 0;
//   a bad arg    "error: ..." and the usage on stderr, nothing on stdout, exit 2.

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace netlab::testing {

/// What a program run to its end printed, and how it ended.
struct ProgramOutcome {
    std::optional<int> status;  ///< exit status; nullopt if it was still running after 10 s
    std::string out;
    std::string err;
};

/// Runs build/bin/program with args and no stdin; each step waits at most 10 s.
ProgramOutcome run_to_exit(const std::string& program, const std::vector<std::string>& args);

/// One command line that must be refused: the program and its arguments.
using BadCommandLine = std::pair<std::string, std::vector<std::string>>;

/// Runs each program (from build/bin) with --help and records a GoogleTest failure per broken rule.
void expect_help_contract(const std::vector<std::string>& programs);

/// Runs each command line and records a GoogleTest failure unless it was refused by the contract.
void expect_refused(const std::vector<BadCommandLine>& cases);

}  // namespace netlab::testing
