// Lab 06, the command-line contract of every program: --help on stdout with exit 0, a bad
// argument as an error plus usage on stderr with exit 2. (These pass without any lab code, so
// they are worth little.)

#include "cli_contract.hpp"
#include "graded.hpp"

namespace netlab::testing {
namespace {

GRADED_TEST(Lab06Cli, HelpAndBadArgumentsFollowTheContract, 2) {
    expect_help_contract(
        {"qt_echo_server", "qt_echo_client", "qt_chat_client", "qt_udp_discovery", "qt_http_get"});
    expect_refused({
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
    });
}

REFERENCE_TEST(Lab06Cli, ClientsRefuseUnprintableNamesAndBadTimeouts) {
    expect_refused({
        {"qt_chat_client", {"--name", "a\x1b[31mb"}},
        {"qt_chat_client", {"--name", "two\nlines"}},
        {"qt_chat_client", {"--name", " padded"}},
        {"qt_chat_client", {"--name", "\xff\xfe"}},
        {"qt_chat_client", {"--name", "ok", "--timeout", "-1"}},
        {"qt_echo_client", {"--timeout", "86401"}},
        {"qt_echo_client", {"--timeout", "soon"}},
    });
}

}  // namespace
}  // namespace netlab::testing
