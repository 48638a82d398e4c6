// Lab 01, host_addresses and showip: getaddrinfo's list turned into printable addresses.

#include <sys/socket.h>

#include <algorithm>
#include <system_error>

#include "01_stream/host_addresses.hpp"
#include "bytes.hpp"
#include "child_process.hpp"
#include "graded.hpp"
#include "lab01_helpers.hpp"

namespace netlab::testing {
namespace {

using stream::host_addresses;
using stream::HostAddress;

std::string describe(const std::vector<HostAddress>& addresses) {
    std::string text = "{";
    for (const auto& address : addresses) {
        text += (address.family == AF_INET    ? " IPv4 "
                 : address.family == AF_INET6 ? " IPv6 "
                                              : " ?? ") +
                address.text;
    }
    return text + " }";
}

GRADED_TEST(Lab01ShowIp, HostAddressesOfLiteralsAndLocalhost, 3) {
    {
        SCOPED_TRACE("an IPv4 literal resolves to itself, once");
        const auto found = host_addresses("127.0.0.1");
        EXPECT_EQ(found, (std::vector<HostAddress>{{AF_INET, "127.0.0.1"}})) << "got " << describe(found);
    }
    {
        SCOPED_TRACE("an IPv6 literal resolves to itself, once, as AF_INET6");
        const auto found = host_addresses("::1");
        EXPECT_EQ(found, (std::vector<HostAddress>{{AF_INET6, "::1"}})) << "got " << describe(found);
    }
    {
        SCOPED_TRACE("localhost is a loopback address, and no address is listed twice");
        const auto found = host_addresses("localhost");
        const bool loopback = std::any_of(found.begin(), found.end(), [](const HostAddress& a) {
            return a == HostAddress{AF_INET, "127.0.0.1"} || a == HostAddress{AF_INET6, "::1"};
        });
        EXPECT_TRUE(loopback) << "expected 127.0.0.1 or ::1 among " << describe(found);
        for (std::size_t i = 0; i < found.size(); ++i) {
            EXPECT_EQ(std::count(found.begin(), found.end(), found[i]), 1)
                << found[i].text << " is listed more than once in " << describe(found);
        }
    }
    {
        SCOPED_TRACE("a name that cannot exist (.invalid, RFC 6761) is a std::system_error");
        try {
            const auto found = host_addresses("no-such-host.invalid");
            ADD_FAILURE() << "expected std::system_error, got " << describe(found);
        } catch (const std::system_error& error) {
            EXPECT_NE(std::string(error.what()).find("no-such-host.invalid"), std::string::npos)
                << "the message should name the host: " << error.what();
        }
    }
}

GRADED_TEST(Lab01ShowIp, ProgramPrintsEachFamilyAndFailsOnUnknownNames, 2) {
    {
        SCOPED_TRACE("showip localhost ::1");
        ChildProcess showip("showip", {"localhost", "::1"});
        const auto out = showip.read_all_stdout(10s);
        const auto status = showip.wait_exit(10s);
        ASSERT_TRUE(out.has_value()) << "showip did not finish within 10 s";
        EXPECT_EQ(status, 0) << describe_exit(status) << "; stderr: " << showip.stderr_text();
        EXPECT_NE(out->find("IPv4: 127.0.0.1"), std::string::npos) << "stdout was:\n" << *out;
        EXPECT_NE(out->find("IPv6: ::1"), std::string::npos) << "stdout was:\n" << *out;
    }
    {
        SCOPED_TRACE("showip no-such-host.invalid exits 1 with an error naming the host");
        ChildProcess showip("showip", {"no-such-host.invalid"});
        const auto out = showip.read_all_stdout(10s);
        const auto status = showip.wait_exit(10s);
        EXPECT_EQ(status, 1) << describe_exit(status);
        const std::string err = showip.stderr_text();
        EXPECT_NE(err.find("no-such-host.invalid"), std::string::npos) << "stderr was: " << err;
        EXPECT_EQ(out.value_or("").find("IPv"), std::string::npos) << "stdout was: " << out.value_or("");
    }
}

}  // namespace
}  // namespace netlab::testing
