// Lab 03 Part C, Address: the printable forms parsed and formatted back ("1.2.3.4:80",
// "[::1]:80", zones), bad input refused without DNS, numeric resolving, and equality.

#include <net/if.h>
#include <sys/un.h>

#include <stdexcept>

#include "03_encapsulation/core/address.hpp"
#include "graded.hpp"

namespace netlab::testing {
namespace {

using core::Address;

GRADED_TEST(Lab03Core, AddressParsesAndFormatsRoundTrip, 3) {
    struct Case {
        const char* text;
        int family;
        std::uint16_t port;
    };
    for (const Case& c : {Case{"127.0.0.1:80", AF_INET, 80}, Case{"0.0.0.0:0", AF_INET, 0},
                          Case{"255.255.255.255:65535", AF_INET, 65535}, Case{"[::1]:9003", AF_INET6, 9003},
                          Case{"[::]:0", AF_INET6, 0}, Case{"[2001:db8::1]:443", AF_INET6, 443},
                          Case{"[::ffff:192.0.2.1]:8080", AF_INET6, 8080}}) {
        SCOPED_TRACE(c.text);
        const std::optional<Address> address = Address::parse(c.text);
        ASSERT_TRUE(address) << "parse refused a valid address";
        EXPECT_EQ(address->family(), c.family);
        EXPECT_EQ(address->port(), c.port);
        EXPECT_EQ(address->size(), c.family == AF_INET ? sizeof(sockaddr_in) : sizeof(sockaddr_in6));
        EXPECT_EQ(address->to_string(), c.text);
        EXPECT_EQ(Address::parse(address->to_string()), address)
            << "to_string, then parse, gives the same address";
    }
    {
        SCOPED_TRACE("IPv6 is printed in its canonical form (RFC 5952): lower case, longest zero run as ::");
        const auto address = Address::parse("[2001:DB8:0:0:0:0:0:1]:443");
        ASSERT_TRUE(address);
        EXPECT_EQ(address->to_string(), "[2001:db8::1]:443");
    }
    if (::if_nametoindex("lo") != 0) {
        SCOPED_TRACE("a link-local address keeps its zone: [fe80::1%lo]:80");
        const auto named = Address::parse("[fe80::1%lo]:80");
        ASSERT_TRUE(named);
        EXPECT_EQ(named->to_string(), "[fe80::1%lo]:80");
        const std::string by_index = "[fe80::1%" + std::to_string(::if_nametoindex("lo")) + "]:80";
        EXPECT_EQ(Address::parse(by_index), named) << by_index << " names the same interface";
        EXPECT_NE(Address::parse("[fe80::1]:80"), named) << "without the zone it is a different address";
    }
    {
        SCOPED_TRACE("equality: family, address and port");
        EXPECT_EQ(Address::parse("10.0.0.1:1"), Address::parse("10.0.0.1:1"));
        EXPECT_NE(Address::parse("10.0.0.1:1"), Address::parse("10.0.0.1:2"));
        EXPECT_NE(Address::parse("10.0.0.1:1"), Address::parse("10.0.0.2:1"));
        EXPECT_NE(Address::parse("[::ffff:10.0.0.1]:1"), Address::parse("10.0.0.1:1"));
        EXPECT_EQ(Address(), Address());
        EXPECT_EQ(Address().to_string(), "(none)");
        EXPECT_FALSE(Address());
    }
}

GRADED_TEST(Lab03Core, AddressParseRefusesBadInput, 1) {
    for (const char* text : {"",
                             ":",
                             "127.0.0.1",
                             "127.0.0.1:",
                             ":80",
                             "127.0.0.1:65536",
                             "127.0.0.1:-1",
                             "127.0.0.1:+80",
                             "127.0.0.1:0x50",
                             "127.0.0.1:80 ",
                             " 127.0.0.1:80",
                             "127.1:80",
                             "1.2.3.4.5:80",
                             "256.0.0.1:80",
                             "01.2.3.4:80",
                             "::1:80",
                             "[::1]80",
                             "[::1]:",
                             "[::1",
                             "::1]:80",
                             "[1.2.3.4]:80",
                             "[::1%]:80",
                             "[fe80::1%no-such-if0]:80",
                             "[:::1]:80",
                             "localhost:80",
                             "example.com:443"}) {
        SCOPED_TRACE(std::string("'") + text + "'");
        const auto address = Address::parse(text);
        EXPECT_FALSE(address) << "accepted as " << address->to_string();
    }
    SCOPED_TRACE("the sockaddr constructor takes only whole IPv4/IPv6 addresses");
    sockaddr_un local{};
    local.sun_family = AF_UNIX;
    EXPECT_THROW(Address(reinterpret_cast<const sockaddr*>(&local), sizeof local), std::invalid_argument);
    sockaddr_in6 v6{};
    v6.sin6_family = AF_INET6;
    EXPECT_THROW(Address(reinterpret_cast<const sockaddr*>(&v6), sizeof(sockaddr_in)), std::invalid_argument)
        << "an IPv6 family with an IPv4-sized length";
}

GRADED_TEST(Lab03Core, AddressResolvesNumericHosts, 1) {
    {
        SCOPED_TRACE("resolve(\"127.0.0.1\", 80, SOCK_STREAM)");
        const auto found = Address::resolve("127.0.0.1", 80, SOCK_STREAM);
        ASSERT_EQ(found.size(), 1u);
        EXPECT_EQ(found[0].to_string(), "127.0.0.1:80");
    }
    {
        SCOPED_TRACE("resolve(\"::1\", 443, SOCK_DGRAM)");
        const auto found = Address::resolve("::1", 443, SOCK_DGRAM);
        ASSERT_EQ(found.size(), 1u);
        EXPECT_EQ(found[0], Address::parse("[::1]:443"));
    }
    SCOPED_TRACE("resolve(\"\", 0, SOCK_STREAM, Passive::yes): the wildcard addresses, to bind");
    const auto found = Address::resolve("", 0, SOCK_STREAM, Passive::yes);
    ASSERT_FALSE(found.empty());
    for (const Address& address : found) {
        EXPECT_TRUE(address == Address::parse("0.0.0.0:0") || address == Address::parse("[::]:0"))
            << address.to_string();
    }
}

}  // namespace
}  // namespace netlab::testing
