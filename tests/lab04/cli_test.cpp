// Lab 04, the command-line contract of the three programs: --help on stdout with exit 0, and a bad
// argument as an error plus usage on stderr with exit 2. (These pass without any lab code, so they
// are worth little.)

#include <string>
#include <utility>
#include <vector>

#include "cli_contract.hpp"
#include "graded.hpp"
#include "lab04_helpers.hpp"

namespace netlab::testing {
namespace {

GRADED_TEST(Lab04Cli, HelpPrintsUsageAndExitsZero, 1) {
    expect_help_contract({"epoll_echo_server", "poll_chat_server", "chat_client"});
}

GRADED_TEST(Lab04Cli, BadArgumentsExitTwo, 2) {
    expect_refused({
        {"epoll_echo_server", {"--listen", "127.0.0.1:70000"}},
        {"epoll_echo_server", {"--max-connections", "0"}},
        {"epoll_echo_server", {"--max-buffer", "100"}},
        {"epoll_echo_server", {"--max-buffer", "1k"}},
        {"epoll_echo_server", {"--bogus"}},
        {"poll_chat_server", {"--listen"}},
        {"poll_chat_server", {"--max-queue", "4135"}},
        {"poll_chat_server", {"--max-clients", "-1"}},
        {"poll_chat_server", {"stray"}},
        {"chat_client", {}},
        {"chat_client", {"--name", ""}},
        {"chat_client", {"--name", std::string(33, 'n')}},
        {"chat_client", {"--name", "ann", "--connect", "localhost"}},
    });
}

REFERENCE_TEST(Lab04Cli, TimeoutsAndNamesAreChecked) {
    expect_refused({
        {"poll_chat_server", {"--join-timeout", "0"}},
        {"poll_chat_server", {"--frame-timeout", "3601"}},
        {"poll_chat_server", {"--frame-timeout", "1s"}},
        {"chat_client", {"--name", "ann", "--timeout", "-1"}},
        {"chat_client", {"--name", "a\x1b[2Jb"}},
        {"chat_client", {"--name", "evil\xE2\x80\xAE"}},
        {"chat_client", {"--name", "\xFF"}},
        {"chat_client", {"--name", " ann"}},
    });
}

}  // namespace
}  // namespace netlab::testing
