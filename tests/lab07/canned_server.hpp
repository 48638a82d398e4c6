#pragma once
// A test-side HTTP server for what lab 05's server cannot show: it records each request exactly
// as it arrived (to prove custom headers went out) and answers every connection with one
// canned response, over plain TCP or over TLS (libssl, with the test PKI's certificate).
// One thread, one connection at a time, each closed after its answer.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "common/unique_fd.hpp"

namespace netlab::testing {

/// A server certificate chain and its key, both PEM files.
struct TlsFiles {
    std::string certificate;
    std::string key;
};

/// Listens on 127.0.0.1:0 until destroyed.
class CannedServer {
public:
    /// response is sent, byte for byte, after each request head (and its Content-Length body).
    explicit CannedServer(std::string response, std::optional<TlsFiles> tls = std::nullopt);
    /// Stops the thread; connections in progress are dropped.
    ~CannedServer();
    CannedServer(const CannedServer&) = delete;
    CannedServer& operator=(const CannedServer&) = delete;

    /// The port it listens on.
    [[nodiscard]] std::uint16_t port() const noexcept { return port_; }
    /// Every complete request received so far (head and body), in order.
    [[nodiscard]] std::vector<std::string> requests() const;
    /// How many TLS handshakes failed (the client refused our certificate, say).
    [[nodiscard]] int failed_handshakes() const noexcept { return failed_handshakes_.load(); }

private:
    struct Tls;  // libssl's context (canned_server.cpp)
    void serve();
    void serve_one(UniqueFd connection);

    std::string response_;
    std::unique_ptr<Tls> tls_;
    UniqueFd listener_;
    std::uint16_t port_ = 0;
    std::atomic<bool> stop_{false};
    std::atomic<int> failed_handshakes_{0};
    mutable std::mutex mutex_;
    std::vector<std::string> requests_;
    std::thread thread_;
};

}  // namespace netlab::testing
