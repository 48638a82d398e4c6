// Lab 05, the command-line contract of both programs: --help on stdout with exit 0, and a bad
// argument as an error plus usage on stderr with exit 2. (These pass without any lab code, so
// they are worth little.)

#include <string>
#include <vector>

#include "cli_contract.hpp"
#include "graded.hpp"

namespace netlab::testing {
namespace {

GRADED_TEST(Lab05Cli, HelpAndBadArgumentsFollowTheContract, 2) {
    expect_help_contract({"libevent_echo_server", "libevent_http_server"});
    expect_refused({
        {"libevent_echo_server", {"--listen", "127.0.0.1:70000"}},
        {"libevent_echo_server", {"--max-connections", "0"}},
        {"libevent_echo_server", {"--idle-timeout", "-1"}},
        {"libevent_echo_server", {"--high-watermark", "10"}},
        {"libevent_echo_server", {"--bogus"}},
        {"libevent_http_server", {"--listen", "nonsense"}},
        {"libevent_http_server", {"--root", "/no/such/folder/netlab"}},
        {"libevent_http_server", {"stray"}},
    });
}

}  // namespace
}  // namespace netlab::testing
