#pragma once
// This file shows:
//  - one connection's bytes behind one small interface, whether they travel in the clear or
//    through TLS (libssl over the same blocking socket), so the HTTP code never asks which;
//  - libssl's objects owned by unique_ptr with one deleter each, like every other handle here.

#include <openssl/ssl.h>

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

namespace netlab::http_peer {

/// A server's TLS setup: a certificate chain and its key, loaded once, shared by every connection.
class TlsContext {
public:
    /// Loads both PEM files; throws std::runtime_error quoting libssl's reason when it cannot.
    TlsContext(const std::string& certificate_chain, const std::string& private_key);
    /// The context, still owned here; SSL_new may use it from any thread.
    [[nodiscard]] SSL_CTX* get() const noexcept { return ctx_.get(); }

private:
    struct Free {
        void operator()(SSL_CTX* ctx) const noexcept { ::SSL_CTX_free(ctx); }
    };
    std::unique_ptr<SSL_CTX, Free> ctx_;
};

/// The bytes of one accepted connection, plain or TLS. One thread only.
class PeerStream {
public:
    /// Speaks over fd, which stays owned by the caller; tls null means plain TCP.
    PeerStream(int fd, const TlsContext* tls);

    /// The TLS server handshake (nothing for plain TCP): "" on success, else libssl's reason.
    [[nodiscard]] std::string handshake();
    /// Reads up to size bytes into data: how many, 0 at EOF, on a timeout or on an error.
    [[nodiscard]] std::size_t read(char* data, std::size_t size);
    /// Writes every byte; false once the client is gone or a write timed out. Never raises SIGPIPE
    /// for plain TCP (TLS writes need SIGPIPE ignored, which main does).
    [[nodiscard]] bool write(std::string_view bytes);
    /// Sends TLS close_notify before the socket closes (nothing for plain TCP).
    void close_notify();
    /// The socket.
    [[nodiscard]] int get() const noexcept { return fd_; }

private:
    struct Free {
        void operator()(SSL* ssl) const noexcept { ::SSL_free(ssl); }
    };
    int fd_;
    std::unique_ptr<SSL, Free> ssl_;
};

}  // namespace netlab::http_peer
