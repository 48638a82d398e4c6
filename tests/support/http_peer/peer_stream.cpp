// This file shows:
//  - SSL_read and SSL_write on a blocking socket: each call returns whole, and SSL_get_error says
//    whether a result <= 0 was the peer's close_notify or a failure;
//  - the error queue drained after every failure, so one connection's error never shows up as
//    another's reason.

#include "peer_stream.hpp"

#include <openssl/err.h>
#include <sys/socket.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <stdexcept>

namespace netlab::http_peer {
namespace {

/// libssl's queued errors as one line (and the queue emptied); "" when there are none.
std::string ssl_errors() {
    std::string text;
    while (const unsigned long code = ::ERR_get_error()) {
        char line[256];
        ::ERR_error_string_n(code, line, sizeof line);
        text += (text.empty() ? "" : "; ") + std::string(line);
    }
    return text;
}

}  // namespace

TlsContext::TlsContext(const std::string& certificate_chain, const std::string& private_key)
    : ctx_(::SSL_CTX_new(TLS_server_method())) {
    if (!ctx_ || ::SSL_CTX_use_certificate_chain_file(ctx_.get(), certificate_chain.c_str()) != 1 ||
        ::SSL_CTX_use_PrivateKey_file(ctx_.get(), private_key.c_str(), SSL_FILETYPE_PEM) != 1 ||
        ::SSL_CTX_check_private_key(ctx_.get()) != 1) {
        throw std::runtime_error("TLS setup failed: " + ssl_errors());
    }
}

PeerStream::PeerStream(int fd, const TlsContext* tls) : fd_(fd) {
    if (tls != nullptr) {
        ssl_.reset(::SSL_new(tls->get()));
        if (!ssl_ || ::SSL_set_fd(ssl_.get(), fd) != 1) {
            throw std::runtime_error("SSL_new failed: " + ssl_errors());
        }
    }
}

std::string PeerStream::handshake() {
    if (!ssl_ || ::SSL_accept(ssl_.get()) == 1) {
        return "";
    }
    const std::string why = ssl_errors();
    return why.empty() ? "the client left during the handshake" : why;
}

std::size_t PeerStream::read(char* data, std::size_t size) {
    if (!ssl_) {
        for (;;) {
            const ssize_t n = ::recv(fd_, data, size, 0);
            if (n >= 0 || errno != EINTR) {
                return n > 0 ? static_cast<std::size_t>(n) : 0;
            }
        }
    }
    const int n = ::SSL_read(ssl_.get(), data, static_cast<int>(std::min<std::size_t>(size, INT_MAX)));
    if (n <= 0) {
        ::ERR_clear_error();
        return 0;
    }
    return static_cast<std::size_t>(n);
}

bool PeerStream::write(std::string_view bytes) {
    while (!bytes.empty()) {
        ssize_t n = 0;
        if (ssl_) {
            n = ::SSL_write(ssl_.get(), bytes.data(),
                            static_cast<int>(std::min<std::size_t>(bytes.size(), INT_MAX)));
            if (n <= 0) {
                ::ERR_clear_error();
                return false;
            }
        } else {
            n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
            if (n < 0 && errno == EINTR) {
                continue;
            }
            if (n <= 0) {
                return false;
            }
        }
        bytes.remove_prefix(static_cast<std::size_t>(n));
    }
    return true;
}

void PeerStream::close_notify() {
    if (ssl_) {
        ::SSL_shutdown(ssl_.get());
        ::ERR_clear_error();
    }
}

}  // namespace netlab::http_peer
