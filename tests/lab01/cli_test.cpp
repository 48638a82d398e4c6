// Lab 01, the command-line contract of the three programs: --help on stdout with exit 0, and a
// bad argument as an error plus usage on stderr with exit 2. (These pass without any lab code,
// so they are worth little.)

#include <string>
#include <vector>

#include "cli_contract.hpp"
#include "graded.hpp"
#include "lab01_helpers.hpp"

namespace netlab::testing {
namespace {

GRADED_TEST(Lab01Cli, HelpPrintsUsageAndExitsZero, 2) {
    expect_help_contract({"showip", "tcp_echo_server", "tcp_echo_client"});
}

GRADED_TEST(Lab01Cli, BadArgumentsExitTwo, 3) {
    expect_refused({
        {"tcp_echo_server", {"--listen", "127.0.0.1:70000"}},
        {"tcp_echo_server", {"--listen", "::1:80"}},
        {"tcp_echo_server", {"--max-clients", "0"}},
        {"tcp_echo_server", {"--bogus"}},
        {"tcp_echo_server", {"--listen"}},
        {"tcp_echo_client", {"--connect", "localhost"}},
        {"tcp_echo_client", {"stray"}},
        {"showip", {}},
    });
}

}  // namespace
}  // namespace netlab::testing
