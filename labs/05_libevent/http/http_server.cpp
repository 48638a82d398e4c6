// This lab shows:
//  - evhttp wired to our listener (evhttp_bind_listener), with limits a public server needs:
//    header and body sizes, a connection timeout, and only GET, HEAD and POST;
//  - one generic callback that routes by path to handlers that each answer at once;
//  - static files served without reading them into memory: an evbuffer file segment, which
//    libevent sends with sendfile(), opened with openat2(RESOLVE_BENEATH) so that even a symbolic
//    link cannot lead outside the root.

#include "05_libevent/http/http_server.hpp"

#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <event2/buffer.h>

#include <cerrno>
#include <stdexcept>
#include <string>

#include "05_libevent/event/callback_guard.hpp"
#include "05_libevent/event/listener.hpp"
#include "05_libevent/http/content_type.hpp"
#include "05_libevent/http/http_reply.hpp"
#include "05_libevent/http/path_sanitizer.hpp"

namespace netlab::libevent {
namespace {

/// The rest of path after prefix, if path starts with it.
std::optional<std::string_view> after(std::string_view path, std::string_view prefix) {
    if (!path.starts_with(prefix)) {
        return std::nullopt;
    }
    return path.substr(prefix.size());
}

/// Opens relative below root for reading; symbolic links may not leave root. -1 with errno on failure.
int open_below(int root, const std::string& relative) {
    open_how how{};
    how.flags = O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK;  // O_NONBLOCK: a FIFO must not block us
    how.resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS;
    const long fd = ::syscall(SYS_openat2, root, relative.c_str(), &how, sizeof how);
    if (fd >= 0 || (errno != ENOSYS && errno != EPERM)) {
        return static_cast<int>(fd);
    }
    // A kernel (or seccomp filter) without openat2: sanitize_path already refused "..", so only a
    // symbolic link could lead out; refuse links in the last component at least.
    return ::openat(root, relative.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK | O_NOFOLLOW);
}

}  // namespace

HttpServer::HttpServer(EventBase& base, const HostPort& where, UniqueFd root, HttpOptions options)
    : base_(base), root_(std::move(root)), options_(options), http_(::evhttp_new(base.get())) {
    if (!http_) {
        throw std::runtime_error("evhttp_new failed");
    }
    ::evhttp_set_allowed_methods(http_.get(), EVHTTP_REQ_GET | EVHTTP_REQ_HEAD | EVHTTP_REQ_POST);
    ::evhttp_set_max_headers_size(http_.get(), 16 * 1024);
    ::evhttp_set_max_body_size(http_.get(), static_cast<ev_ssize_t>(options_.max_body));
    ::evhttp_set_timeout(http_.get(), static_cast<int>(options_.timeout.count()));
    ::evhttp_set_gencb(http_.get(), &HttpServer::request_trampoline, this);
    ListenerPtr listener = bind_listener(base.get(), where, nullptr, nullptr);
    if (::evhttp_bind_listener(http_.get(), listener.get()) == nullptr) {
        throw std::runtime_error("evhttp_bind_listener failed");
    }
    listener_fd_ = ::evconnlistener_get_fd(listener.release());  // evhttp owns (and frees) it now
}

void HttpServer::request_trampoline(evhttp_request* req, void* ctx) {
    auto* self = static_cast<HttpServer*>(ctx);
    detail::run_guarded(self->base_.get(), [self, req] { self->handle(req); });
}

void HttpServer::handle(evhttp_request* req) {
    const evhttp_uri* uri = ::evhttp_request_get_evhttp_uri(req);
    const char* raw = uri == nullptr ? nullptr : ::evhttp_uri_get_path(uri);
    const std::string_view raw_path = raw == nullptr ? "" : raw;
    const std::optional<std::string> path = percent_decode(raw_path);
    if (!path) {
        send_text(req, 400, "malformed percent-encoding in the path\n");
        return;
    }
    if (*path == "/echo") {
        handle_echo(req);
        return;
    }
    if (::evhttp_request_get_command(req) == EVHTTP_REQ_POST) {
        add_header(req, "Allow", "GET, HEAD");
        send_text(req, 405, "only /echo takes POST\n");
        return;
    }
    if (const auto code = after(*path, "/status/")) {
        handle_status(req, *code);
    } else {
        handle_file(req, raw_path);
    }
}

void HttpServer::handle_file(evhttp_request* req, std::string_view raw_path) {
    const SanitizedPath path = sanitize_path(raw_path);
    if (path.verdict == PathVerdict::bad_request) {
        send_text(req, 400, "bad path\n");
        return;
    }
    if (path.verdict == PathVerdict::forbidden) {
        send_text(req, 403, "forbidden\n");
        return;
    }
    UniqueFd file(open_below(root_.get(), path.relative));
    if (!file) {
        const int error = errno;
        send_text(req, error == EXDEV || error == EACCES ? 403 : 404,
                  error == EXDEV || error == EACCES ? "forbidden\n" : "not found\n");
        return;
    }
    struct stat info {};
    if (::fstat(file.get(), &info) < 0) {
        send_text(req, 500, "cannot stat the file\n");
        return;
    }
    if (S_ISDIR(info.st_mode)) {  // "/docs": send the browser to "/docs/" so relative links work
        add_header(req, "Location", std::string(raw_path) + "/");
        send_text(req, 301, "see " + std::string(raw_path) + "/\n");
        return;
    }
    if (!S_ISREG(info.st_mode)) {
        send_text(req, 404, "not found\n");
        return;
    }
    const auto size = static_cast<ev_off_t>(info.st_size);
    if (::evhttp_request_get_command(req) == EVHTTP_REQ_HEAD) {
        add_header(req, "Content-Type", content_type_for(path.relative));
        add_header(req, "Content-Length", std::to_string(size));
        ::evhttp_send_reply(req, 200, nullptr, nullptr);
        return;
    }
    // The segment owns the descriptor from here (EVBUF_FS_CLOSE_ON_FREE); its bytes are not read
    // into memory but sent with sendfile() as the connection drains.
    evbuffer_file_segment* segment = ::evbuffer_file_segment_new(file.get(), 0, size, EVBUF_FS_CLOSE_ON_FREE);
    if (segment == nullptr) {
        send_text(req, 500, "cannot read the file\n");
        return;
    }
    [[maybe_unused]] const int handed_over = file.release();
    const EvBufferPtr body(::evbuffer_new());
    const int added = body ? ::evbuffer_add_file_segment(body.get(), segment, 0, size) : -1;
    ::evbuffer_file_segment_free(segment);  // the buffer holds its own reference
    if (added < 0) {
        send_text(req, 500, "cannot read the file\n");
        return;
    }
    send_reply(req, 200, content_type_for(path.relative), body.get());
}

void HttpServer::handle_echo(evhttp_request* req) {
    // BEGIN SOLUTION handle_echo
    if (::evhttp_request_get_command(req) != EVHTTP_REQ_POST) {
        add_header(req, "Allow", "POST");
        send_text(req, 405, "POST a body to /echo\n");
        return;
    }
    const char* type = ::evhttp_find_header(::evhttp_request_get_input_headers(req), "Content-Type");
    // evhttp moves the input buffer's chains into the reply: the body is never copied.
    send_reply(req, 200, type != nullptr ? type : "application/octet-stream",
               ::evhttp_request_get_input_buffer(req));
    // END SOLUTION
}

void HttpServer::handle_status(evhttp_request* req, std::string_view code) {
    // BEGIN SOLUTION handle_status
    const std::optional<std::uint64_t> status = parse_decimal(code, 100, 599);
    if (!status) {
        send_text(req, 400, "the status must be a number from 100 to 599\n");
        return;
    }
    if (*status < 200) {  // a 1xx is an interim answer: the client would wait for the real one
        send_text(req, 400, "1xx codes are interim responses and cannot end a request; use 200-599\n");
        return;
    }
    send_text(req, static_cast<int>(*status), "status " + std::to_string(*status) + "\n");
    // END SOLUTION
}

}  // namespace netlab::libevent
