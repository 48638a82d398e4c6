// Lab 09, WsClient::connect on its own, in the test process, against a server the test plays on a
// thread of its own: the upgrade request it sends, the 101 it accepts, the replies it refuses
// (with the server's text escaped), and one deadline for the whole reply, however slowly it trickles.

#include <poll.h>
#include <sys/socket.h>

#include <functional>
#include <mutex>
#include <optional>
#include <regex>
#include <stdexcept>
#include <string>
#include <system_error>

#include "09_websocket/client/ws_client_session.hpp"
#include "background_task.hpp"
#include "deadline.hpp"
#include "graded.hpp"
#include "lab09_helpers.hpp"
#include "test_socket.hpp"

namespace netlab::testing::lab09 {
namespace {

namespace ws = netlab::websocket;

/// The Sec-WebSocket-Key of a request head ("" if it has none).
std::string key_of(const std::string& head) {
    const std::string field = "\r\nSec-WebSocket-Key: ";
    const std::size_t at = head.find(field);
    if (at == std::string::npos) {
        return "";
    }
    const std::size_t start = at + field.size();
    return head.substr(start, head.find("\r\n", start) - start);
}

/// The server side of one opening handshake, played on a thread: accepts one client, reads its
/// request head, lets answer() reply to it, then holds the connection until the client closes it.
class PlayedServer {
public:
    using Answer = std::function<void(RawWs& peer, const std::string& key)>;

    explicit PlayedServer(Answer answer)
        : task_(
              [this, answer] {
                  UniqueFd fd = accept_within(listener_.get(), 10s);
                  if (!fd) {
                      throw std::runtime_error("no client connected within 10 s");
                  }
                  RawWs peer(std::move(fd));
                  const std::string head = peer.read_head();
                  {
                      const std::lock_guard lock(mutex_);
                      request_ = head;
                  }
                  answer(peer, key_of(head));
                  peer.wait_eof();
              },
              [this] { ::shutdown(listener_.get(), SHUT_RDWR); }) {}  // wakes a wait for a client

    /// The port the client must connect to.
    [[nodiscard]] std::uint16_t port() const { return port_; }
    /// The request head the client sent, once the played side is done ("" if none came).
    std::string request() {
        task_.wait(10s);
        const std::lock_guard lock(mutex_);
        return request_;
    }

private:
    UniqueFd listener_ = listen_loopback();
    std::uint16_t port_ = bound_port(listener_.get());
    std::mutex mutex_;
    std::string request_;
    BackgroundTask task_;  // last: it starts at once and uses the members above
};

ws::ClientOptions options_for(std::uint16_t port, std::chrono::milliseconds timeout = 5s) {
    ws::ClientOptions options;
    options.server = HostPort{"127.0.0.1", port};
    options.timeout = timeout;
    return options;
}

/// What connect threw, as text ("" if it returned a client). Only a std::runtime_error is caught:
/// a TODO (a std::logic_error) ends the test with its message.
std::string refusal(const ws::ClientOptions& options) {
    try {
        static_cast<void>(ws::WsClient::connect(options, {}));
        return "";
    } catch (const std::runtime_error& error) {
        return error.what()[0] == '\0' ? "<an empty message>" : error.what();
    }
}

std::string upgrade_with(const std::string& accept) {
    return "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
           "Sec-WebSocket-Accept: " +
           accept + "\r\n\r\n";
}

GRADED_TEST(Lab09OurClient, ConnectSendsTheUpgradeAndChecksThe101, 2) {
    std::string first_key;
    {
        SCOPED_TRACE("a right 101, sent in two writes: connect returns a client");
        PlayedServer server([](RawWs& peer, const std::string& key) {
            const std::string reply = upgrade_with(accept_value(key));
            peer.send(reply.substr(0, 20));
            peer.send(reply.substr(20));
        });
        ws::ClientOptions options = options_for(server.port());
        options.path = "/chat?room=1";
        EXPECT_EQ(refusal(options), "");
        const std::string request = server.request();
        SCOPED_TRACE("the request it sent:\n" + request);
        EXPECT_EQ(request.rfind("GET /chat?room=1 HTTP/1.1\r\n", 0), 0u);
        EXPECT_NE(request.find("\r\nHost: 127.0.0.1:" + std::to_string(server.port()) + "\r\n"),
                  std::string::npos);
        EXPECT_NE(request.find("\r\nUpgrade: websocket\r\n"), std::string::npos);
        EXPECT_NE(request.find("\r\nConnection: Upgrade\r\n"), std::string::npos);
        EXPECT_NE(request.find("\r\nSec-WebSocket-Version: 13\r\n"), std::string::npos);
        first_key = key_of(request);
        EXPECT_TRUE(std::regex_match(first_key, std::regex("[A-Za-z0-9+/]{21}[AQgw]==")))
            << "the key must be 16 bytes in base64: " << first_key;
    }
    {
        SCOPED_TRACE("a second connect uses a fresh key; a wrong Sec-WebSocket-Accept is refused");
        PlayedServer server([](RawWs& peer, const std::string& /*key*/) {
            peer.send(upgrade_with(accept_value(kSampleKey)));
        });
        EXPECT_NE(refusal(options_for(server.port())), "") << "an accept value for another key";
        EXPECT_NE(key_of(server.request()), first_key);
    }
    {
        SCOPED_TRACE("a 403 whose reason holds an ESC: refused, and the message shows it escaped");
        PlayedServer server([](RawWs& peer, const std::string& /*key*/) {
            peer.send("HTTP/1.1 403 \x1b[31mGo away\r\nContent-Length: 0\r\n\r\n");
        });
        const std::string what = refusal(options_for(server.port()));
        EXPECT_NE(what, "");
        EXPECT_EQ(what.find('\x1b'), std::string::npos) << "server text must go through printable: " << what;
    }
    {
        SCOPED_TRACE("a reply that is not HTTP: refused");
        PlayedServer server(
            [](RawWs& peer, const std::string& /*key*/) { peer.send("SSH-2.0-OpenSSH_9.2\r\n\r\n"); });
        EXPECT_NE(refusal(options_for(server.port())), "");
    }
    {
        SCOPED_TRACE("the server closes without a reply: refused at once, not at the deadline");
        PlayedServer server([](RawWs& peer, const std::string& /*key*/) { ::shutdown(peer.get(), SHUT_WR); });
        const auto start = Clock::now();
        EXPECT_NE(refusal(options_for(server.port(), 5s)), "");
        EXPECT_LT(Clock::now() - start, 4s) << "EOF during the handshake ends it; it is no reason to wait";
    }
    {
        SCOPED_TRACE("nobody listens: std::system_error");
        const std::uint16_t closed_port = bound_port(listen_loopback().get());
        EXPECT_THROW(static_cast<void>(ws::WsClient::connect(options_for(closed_port), {})),
                     std::system_error);
    }
}

GRADED_TEST(Lab09OurClient, ConnectGivesUpAtOneDeadlineForTheWholeReply, 1) {
    SCOPED_TRACE("the server trickles a head that never ends, one byte every 100 ms; --timeout is 500 ms");
    PlayedServer server([](RawWs& peer, const std::string& /*key*/) {
        peer.send("HTTP/1.1 101 Switching Protocols\r\nX-Slow: ");
        const auto give_up = Clock::now() + 10s;
        while (Clock::now() < give_up) {
            pollfd p{peer.get(), POLLIN, 0};
            if (::poll(&p, 1, 100) > 0) {  // the pace of the trickle, and the wait for the client to go
                return;                    // the client closed (or reset): it gave up
            }
            if (!peer.send("z")) {
                return;
            }
        }
    });
    const auto start = Clock::now();
    const std::string what = refusal(options_for(server.port(), 500ms));
    const auto took = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start);
    EXPECT_NE(what, "") << "connect returned a client from a head that never ended";
    EXPECT_GE(took, 400ms) << "gave up before its timeout: " << what;
    EXPECT_LE(took, 3000ms) << "the timeout is for the whole reply; each byte must not restart it";
}

}  // namespace
}  // namespace netlab::testing::lab09
