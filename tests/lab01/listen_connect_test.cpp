// Lab 01, listen_tcp and connect_tcp: resolve, then socket + bind + listen or socket + connect,
// over every address the resolver returns, with errors that name the call.

#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <system_error>

#include "01_stream/connect_tcp.hpp"
#include "01_stream/listen_tcp.hpp"
#include "common/addrinfo.hpp"
#include "common/check.hpp"
#include "graded.hpp"
#include "lab01_helpers.hpp"
#include "test_socket.hpp"

namespace netlab::testing {
namespace {

int socket_option(int fd, int level, int name) {
    int value = 0;
    socklen_t length = sizeof value;
    check_syscall("getsockopt", ::getsockopt(fd, level, name, &value, &length));
    return value;
}

int family_of(int fd) {
    sockaddr_storage address{};
    socklen_t length = sizeof address;
    check_syscall("getsockname", ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length));
    return address.ss_family;
}

bool close_on_exec(int fd) {
    return (check_syscall("fcntl", ::fcntl(fd, F_GETFD)) & FD_CLOEXEC) != 0;
}

/// Runs the checks every listen_tcp result must pass, then connects to it with the test's own code.
void expect_listening(const UniqueFd& listener, int family) {
    ASSERT_TRUE(listener) << "listen_tcp returned an empty UniqueFd";
    EXPECT_EQ(family_of(listener.get()), family) << "bound to the wrong address family";
    EXPECT_EQ(socket_option(listener.get(), SOL_SOCKET, SO_TYPE), SOCK_STREAM) << "not a stream socket";
    EXPECT_EQ(socket_option(listener.get(), SOL_SOCKET, SO_ACCEPTCONN), 1) << "listen() was not called";
    EXPECT_NE(socket_option(listener.get(), SOL_SOCKET, SO_REUSEADDR), 0) << "SO_REUSEADDR is not set";
    EXPECT_TRUE(close_on_exec(listener.get())) << "created without SOCK_CLOEXEC";
    const std::uint16_t port = bound_port(listener.get());
    ASSERT_NE(port, 0) << "port 0 must be replaced by a real port chosen by the kernel";
    const UniqueFd client = connect_to(loopback(family), port);
    EXPECT_TRUE(accept_within(listener.get(), 5s)) << "the listener did not accept our connection within 5 s";
}

GRADED_TEST(Lab01Listen, Ipv4LoopbackPortZero, 3) {
    SCOPED_TRACE("listen_tcp(\"127.0.0.1\", 0, 16)");
    expect_listening(stream::listen_tcp("127.0.0.1", 0, 16), AF_INET);
}

GRADED_TEST(Lab01Listen, Ipv6LoopbackPortZero, 2) {
    SCOPED_TRACE("listen_tcp(\"::1\", 0, 16)");
    expect_listening(stream::listen_tcp("::1", 0, 16), AF_INET6);
}

GRADED_TEST(Lab01Listen, PortInUseIsAnErrorNamingBind, 4) {
    const UniqueFd taken = listen_loopback(AF_INET);
    const std::uint16_t port = bound_port(taken.get());
    {
        SCOPED_TRACE("listen_tcp on 127.0.0.1:" + std::to_string(port) + ", where the test already listens");
        try {
            const UniqueFd second = stream::listen_tcp("127.0.0.1", port, 16);
            ADD_FAILURE() << "expected std::system_error(EADDRINUSE), got a socket bound to port "
                          << bound_port(second.get());
        } catch (const std::system_error& error) {
            EXPECT_EQ(error.code(), std::errc::address_in_use) << "what(): " << error.what();
            const std::string what = error.what();
            EXPECT_NE(what.find("bind"), std::string::npos) << "the message should name the call: " << what;
            EXPECT_NE(what.find(std::to_string(port)), std::string::npos)
                << "the message should name the port: " << what;
        }
    }
    {
        SCOPED_TRACE("listen_tcp on a name that does not resolve");
        EXPECT_THROW(static_cast<void>(stream::listen_tcp("no-such-host.invalid", 0, 16)), std::system_error);
    }
}

/// Connects with connect_tcp and checks the listener sees it and the socket is a proper one.
void expect_connects(const std::string& host, int family) {
    SCOPED_TRACE("connect_tcp(\"" + host + "\", port) to a listener on " + loopback(family));
    const UniqueFd listener = listen_loopback(family);
    const std::uint16_t port = bound_port(listener.get());
    const UniqueFd client = stream::connect_tcp(host, port);
    ASSERT_TRUE(client) << "connect_tcp returned an empty UniqueFd";
    EXPECT_TRUE(close_on_exec(client.get())) << "created without SOCK_CLOEXEC";
    EXPECT_EQ(family_of(client.get()), family);
    const UniqueFd accepted = accept_within(listener.get(), 5s);
    ASSERT_TRUE(accepted) << "the listener saw no connection within 5 s";
    EXPECT_TRUE(send_within(client.get(), "x", 5s));
    EXPECT_EQ(read_exactly(accepted.get(), 1, 5s), "x")
        << "a byte sent on the connected socket did not arrive";
}

GRADED_TEST(Lab01Connect, Ipv4AndIpv6Loopback, 3) {
    expect_connects("127.0.0.1", AF_INET);
    expect_connects("::1", AF_INET6);
    expect_connects("localhost", AF_INET);
}

GRADED_TEST(Lab01Connect, ClosedPortIsConnectionRefused, 3) {
    const UniqueFd reserved = bound_but_not_listening();
    const std::uint16_t port = bound_port(reserved.get());
    {
        SCOPED_TRACE("connect_tcp(\"127.0.0.1\", " + std::to_string(port) + ") with nobody listening");
        try {
            const UniqueFd fd = stream::connect_tcp("127.0.0.1", port);
            ADD_FAILURE() << "expected std::system_error(ECONNREFUSED), got a socket";
        } catch (const std::system_error& error) {
            EXPECT_EQ(error.code(), std::errc::connection_refused) << "what(): " << error.what();
            const std::string what = error.what();
            EXPECT_NE(what.find("connect"), std::string::npos)
                << "the message should name the call: " << what;
        }
    }
    {
        SCOPED_TRACE("connect_tcp to a name that does not resolve");
        EXPECT_THROW(static_cast<void>(stream::connect_tcp("no-such-host.invalid", 80)), std::system_error);
    }
}

GRADED_TEST(Lab01Connect, FallsThroughToTheNextAddress, 3) {
    // An empty host resolves to both loopback addresses (::1 and 127.0.0.1). Listening on only one
    // of them, with the same port closed on the other, means one of the two rounds must survive a
    // refused first attempt, whatever order the resolver uses.
    const AddrInfoList both = resolve("", 1, SOCK_STREAM, Passive::no);
    ASSERT_TRUE(both && both->ai_next)
        << "this test needs the resolver to return two loopback addresses for \"\"";
    for (const int family : {AF_INET, AF_INET6}) {
        SCOPED_TRACE(std::string("connect_tcp(\"\", port) with only ") + loopback(family) + " listening");
        const UniqueFd listener = listen_loopback(family);
        const std::uint16_t port = bound_port(listener.get());
        try {
            const UniqueFd client = stream::connect_tcp("", port);
            EXPECT_EQ(family_of(client.get()), family);
            EXPECT_TRUE(accept_within(listener.get(), 5s)) << "the listener saw no connection";
        } catch (const std::system_error& error) {
            ADD_FAILURE() << "connect_tcp gave up instead of trying the next address: " << error.what();
        }
    }
}

}  // namespace
}  // namespace netlab::testing
