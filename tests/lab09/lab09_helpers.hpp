#pragma once
// Helpers shared by the lab 09 tests, written independently of the lab so a broken lab cannot
// break the harness: a raw WebSocket peer that builds
// and reads frames byte by byte (so it can also build the WRONG frames the violation tests need).
// As a client it uses RFC 6455's own sample key, whose accept value is known; as a server (for
// ws_client) it computes the accept value with OpenSSL directly, never with the lab's accept_key.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "bytes.hpp"
#include "child_process.hpp"
#include "common/unique_fd.hpp"
#include "server_process.hpp"

namespace netlab::testing::lab09 {

using namespace std::chrono_literals;

/// RFC 6455 1.3's sample Sec-WebSocket-Key and the Sec-WebSocket-Accept it must get.
inline constexpr const char* kSampleKey = "dGhlIHNhbXBsZSBub25jZQ==";
inline constexpr const char* kSampleAccept = "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=";

/// A client upgrade request for path with the sample key (extra lines go before the empty line).
std::string sample_request(const std::string& path = "/", const std::string& extra_fields = "");

/// The Sec-WebSocket-Accept value for key (SHA-1 and base64 through OpenSSL, not the lab's code).
std::string accept_value(const std::string& key);

/// One frame as the test builds it: the first byte (FIN|RSV|opcode), payload, and masking.
std::string client_frame(std::uint8_t first_byte, const std::string& payload, bool mask = true,
                         std::optional<std::uint64_t> claimed_length = std::nullopt);

/// A Close frame from a server: code (network byte order), then reason; unmasked.
std::string server_close(int code, const std::string& reason);

/// A frame as received.
struct RawFrame {
    std::uint8_t first_byte = 0;
    bool masked = false;
    std::string payload;  ///< unmasked
    [[nodiscard]] std::uint8_t opcode() const { return first_byte & 0x0F; }
    [[nodiscard]] bool fin() const { return (first_byte & 0x80) != 0; }
    /// The close code of a Close frame, 1005 when it has none.
    [[nodiscard]] int close_code() const;
};

/// A test-side WebSocket peer over a plain socket; every wait has a deadline.
class RawWs {
public:
    /// Connects to port (loopback) without any handshake.
    explicit RawWs(std::uint16_t port);
    /// Takes a connected socket (e.g. one the test accepted) without any handshake.
    explicit RawWs(UniqueFd fd) : fd_(std::move(fd)) {}
    /// Sends request (see sample_request) and reads the reply head; returns it ("" on timeout/EOF).
    std::string handshake(const std::string& request);
    /// Connects and completes the handshake for path; throws std::runtime_error if it is not a 101.
    static RawWs open(std::uint16_t port, const std::string& path = "/");
    /// The server's side: accepts one client on listener, reads its upgrade request and answers 101
    /// with the accept value of its key; throws std::runtime_error if any of that fails within 10 s.
    static RawWs accept_upgrade(int listener);
    /// Reads a head up to its empty line within 10 s; what came so far ("" at worst) on timeout or EOF.
    std::string read_head();

    /// The next n bytes as they came (e.g. a body after read_head), or nullopt on EOF or timeout.
    std::optional<std::string> read_bytes(std::size_t n, std::chrono::milliseconds timeout = 10s);
    /// Sends bytes; false if the peer is gone.
    bool send(const std::string& bytes);
    /// The next frame, or nullopt on EOF, garbage or timeout.
    std::optional<RawFrame> read_frame(std::chrono::milliseconds timeout = 10s);
    /// Reads frames until a Close frame; its code, or -1 if none came.
    int read_close_code(std::chrono::milliseconds timeout = 10s);
    /// True if the peer closes TCP (EOF or reset) within timeout.
    bool wait_eof(std::chrono::milliseconds timeout = 10s);
    /// Sends a masked text message and returns the next text reply's payload ("<none>" if none came).
    std::string echo(const std::string& text);
    /// The socket.
    [[nodiscard]] int get() const noexcept { return fd_.get(); }

private:
    bool fill(std::size_t want, std::chrono::steady_clock::time_point deadline);
    UniqueFd fd_;
    std::string buffer_;
};

}  // namespace netlab::testing::lab09
