#include "canned_server.hpp"

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/time.h>

#include <memory>
#include <stdexcept>

#include "test_socket.hpp"

namespace netlab::testing {
namespace {

constexpr std::size_t kMaxRequest = 1 << 20;
constexpr int kIoTimeoutMillis = 5000;

struct SslCtxFree {
    void operator()(SSL_CTX* ctx) const noexcept { ::SSL_CTX_free(ctx); }
};
struct SslFree {
    void operator()(SSL* ssl) const noexcept { ::SSL_free(ssl); }
};

std::string openssl_errors() {
    std::string text;
    while (const unsigned long code = ::ERR_get_error()) {
        char line[256];
        ::ERR_error_string_n(code, line, sizeof line);
        text += std::string(text.empty() ? "" : "; ") + line;
    }
    return text;
}

/// True once the request head ended and its Content-Length body (if any) is complete.
bool request_complete(const std::string& data) {
    const auto head_end = data.find("\r\n\r\n");
    if (head_end == std::string::npos) {
        return false;
    }
    std::size_t body = 0;
    for (const std::string key : {"\r\nContent-Length:", "\r\ncontent-length:"}) {
        if (const auto at = data.find(key); at != std::string::npos && at < head_end) {
            body = std::stoul(data.substr(at + key.size(), 20));
        }
    }
    return data.size() >= head_end + 4 + body;
}

bool readable_within(int fd, int millis) {
    pollfd waiting{fd, POLLIN, 0};
    return ::poll(&waiting, 1, millis) == 1;
}

}  // namespace

struct CannedServer::Tls {
    std::unique_ptr<SSL_CTX, SslCtxFree> ctx;
};

CannedServer::CannedServer(std::string response, std::optional<TlsFiles> tls)
    : response_(std::move(response)),
      listener_(listen_loopback(AF_INET)),
      port_(bound_port(listener_.get())) {
    if (tls) {
        tls_ = std::make_unique<Tls>();
        tls_->ctx.reset(::SSL_CTX_new(TLS_server_method()));
        if (!tls_->ctx ||
            ::SSL_CTX_use_certificate_chain_file(tls_->ctx.get(), tls->certificate.c_str()) != 1 ||
            ::SSL_CTX_use_PrivateKey_file(tls_->ctx.get(), tls->key.c_str(), SSL_FILETYPE_PEM) != 1) {
            throw std::runtime_error("CannedServer: TLS setup failed: " + openssl_errors());
        }
    }
    ::signal(SIGPIPE, SIG_IGN);  // SSL_write to a client that left must not kill the test
    thread_ = std::thread([this] { serve(); });
}

CannedServer::~CannedServer() {
    stop_ = true;
    thread_.join();
}

std::vector<std::string> CannedServer::requests() const {
    const std::lock_guard lock(mutex_);
    return requests_;
}

void CannedServer::serve() {
    while (!stop_) {
        UniqueFd connection = accept_within(listener_.get(), std::chrono::milliseconds(50));
        if (connection) {
            serve_one(std::move(connection));
        }
    }
}

void CannedServer::serve_one(UniqueFd connection) {
    const timeval limit{kIoTimeoutMillis / 1000, 0};  // a stalled client cannot block SSL_accept forever
    ::setsockopt(connection.get(), SOL_SOCKET, SO_RCVTIMEO, &limit, sizeof limit);
    ::setsockopt(connection.get(), SOL_SOCKET, SO_SNDTIMEO, &limit, sizeof limit);
    std::unique_ptr<SSL, SslFree> ssl;
    if (tls_) {
        ssl.reset(::SSL_new(tls_->ctx.get()));
        if (!ssl || ::SSL_set_fd(ssl.get(), connection.get()) != 1) {
            return;
        }
        if (!readable_within(connection.get(), kIoTimeoutMillis) || ::SSL_accept(ssl.get()) != 1) {
            ++failed_handshakes_;  // e.g. the client sent "unknown CA" and hung up
            ::ERR_clear_error();
            return;
        }
    }
    std::string request;
    char buffer[16384];
    while (!request_complete(request) && request.size() < kMaxRequest) {
        if (!tls_ || ::SSL_pending(ssl.get()) == 0) {
            if (!readable_within(connection.get(), kIoTimeoutMillis)) {
                return;
            }
        }
        const int n = tls_ ? ::SSL_read(ssl.get(), buffer, sizeof buffer)
                           : static_cast<int>(::recv(connection.get(), buffer, sizeof buffer, 0));
        if (n <= 0) {
            return;
        }
        request.append(buffer, static_cast<std::size_t>(n));
    }
    {
        const std::lock_guard lock(mutex_);
        requests_.push_back(request);
    }
    if (tls_) {
        ::SSL_write(ssl.get(), response_.data(), static_cast<int>(response_.size()));
        ::SSL_shutdown(ssl.get());
    } else {
        send_within(connection.get(), response_, std::chrono::milliseconds(kIoTimeoutMillis));
    }
}

}  // namespace netlab::testing
