#include "http_client.hpp"

#include <poll.h>
#include <sys/socket.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <cstring>

#include "deadline.hpp"
#include "test_socket.hpp"

namespace netlab::testing {
namespace {

bool same_name(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) ==
                      std::tolower(static_cast<unsigned char>(y));
           });
}

/// Buffered reads from a socket, every wait bounded by one deadline.
class Reader {
public:
    Reader(int fd, Clock::time_point deadline) : fd_(fd), deadline_(deadline) {}

    /// Reads more into the buffer; false on EOF, error or deadline (problem() says which).
    bool fill() {
        for (;;) {
            pollfd entry{fd_, POLLIN, 0};
            const int ready = ::poll(&entry, 1, millis_left(deadline_));
            if (ready < 0 && errno == EINTR)
                continue;
            if (ready <= 0) {
                problem_ = "timed out";
                return false;
            }
            char chunk[65536];
            const ssize_t n = ::recv(fd_, chunk, sizeof chunk, MSG_DONTWAIT);
            if (n < 0 && (errno == EINTR || errno == EAGAIN))
                continue;
            if (n < 0) {
                problem_ = std::string("recv: ") + std::strerror(errno);
                return false;
            }
            if (n == 0) {
                eof_ = true;
                problem_ = "connection closed";
                return false;
            }
            buffer_.append(chunk, static_cast<std::size_t>(n));
            return true;
        }
    }
    /// One line without its CRLF; nullopt if it does not arrive.
    std::optional<std::string> line() {
        for (;;) {
            const auto end = buffer_.find("\r\n");
            if (end != std::string::npos) {
                std::string text = buffer_.substr(0, end);
                buffer_.erase(0, end + 2);
                return text;
            }
            if (buffer_.size() > 64 * 1024 || !fill())
                return std::nullopt;
        }
    }
    /// Passes up to n bytes to sink as they arrive; returns how many came before EOF/error/deadline.
    std::size_t take(std::size_t n, const std::function<void(std::string_view)>& sink) {
        std::size_t done = 0;
        while (done < n) {
            if (buffer_.empty() && !fill())
                break;
            const std::size_t size = std::min(n - done, buffer_.size());
            sink(std::string_view(buffer_).substr(0, size));
            buffer_.erase(0, size);
            done += size;
        }
        return done;
    }
    [[nodiscard]] bool eof() const { return eof_; }
    [[nodiscard]] const std::string& problem() const { return problem_; }

private:
    int fd_;
    Clock::time_point deadline_;
    std::string buffer_;
    bool eof_ = false;
    std::string problem_;
};

std::optional<std::size_t> parse_size(std::string_view text, int base) {
    std::size_t value = 0;
    const auto end = text.data() + text.size();
    auto [ptr, ec] = std::from_chars(text.data(), end, value, base);
    if (text.empty() || ec != std::errc{} || (ptr != end && *ptr != ';' && *ptr != ' '))
        return std::nullopt;
    return value;
}

}  // namespace

std::optional<std::string> HttpResponse::header(std::string_view name) const {
    for (const auto& [key, value] : headers) {
        if (same_name(key, name))
            return value;
    }
    return std::nullopt;
}

std::string http_request(std::string_view method, std::string_view target, const Headers& headers,
                         std::string_view body) {
    std::string text = std::string(method) + " " + std::string(target) + " HTTP/1.1\r\nHost: 127.0.0.1\r\n";
    for (const auto& [key, value] : headers) {
        text += key + ": " + value + "\r\n";
    }
    if (!body.empty() || method == "POST") {
        text += "Content-Length: " + std::to_string(body.size()) + "\r\n";
    }
    return text + "\r\n" + std::string(body);
}

HttpResult read_response(int fd, const ReadOptions& options) {
    Reader reader(fd, Clock::now() + options.timeout);
    HttpResult result;
    const auto fail = [&](const std::string& what) {
        result.problem = what + (reader.problem().empty() ? "" : " (" + reader.problem() + ")");
        result.response.reset();
        return result;
    };
    const auto status_line = reader.line();
    if (!status_line)
        return fail("no status line");
    HttpResponse response;
    // "HTTP/1.1 200 OK"
    if (!status_line->starts_with("HTTP/1.") || status_line->size() < 12)
        return fail("bad status line '" + *status_line + "'");
    const auto code = parse_size(std::string_view(*status_line).substr(9, 3), 10);
    if (!code)
        return fail("bad status code in '" + *status_line + "'");
    response.status = static_cast<int>(*code);
    response.reason = status_line->size() > 13 ? status_line->substr(13) : "";
    for (;;) {
        const auto line = reader.line();
        if (!line)
            return fail("headers did not end");
        if (line->empty())
            break;
        const auto colon = line->find(':');
        if (colon == std::string::npos)
            return fail("bad header line '" + *line + "'");
        std::string value = line->substr(colon + 1);
        value.erase(0, value.find_first_not_of(' '));
        response.headers.emplace_back(line->substr(0, colon), value);
    }
    const auto sink = [&](std::string_view bytes) {
        response.body_size += bytes.size();
        if (options.body_sink) {
            options.body_sink(bytes);
        } else {
            response.body.append(bytes);
        }
    };
    const bool bodiless = options.head || response.status == 204 || response.status == 304 ||
                          (response.status >= 100 && response.status < 200);
    const auto encoding = response.header("Transfer-Encoding");
    const auto length = response.header("Content-Length");
    if (bodiless) {
        // no body, whatever the headers announce
    } else if (encoding && same_name(*encoding, "chunked")) {
        response.chunked = true;
        for (;;) {
            const auto size_line = reader.line();
            if (!size_line)
                return fail("chunk size line missing after " + std::to_string(response.chunks.size()) +
                            " chunks");
            const auto size = parse_size(*size_line, 16);
            if (!size)
                return fail("bad chunk size line '" + *size_line + "'");
            if (*size == 0) {
                while (true) {  // trailers, then the empty line
                    const auto trailer = reader.line();
                    if (!trailer)
                        return fail("chunked body did not end with an empty line");
                    if (trailer->empty())
                        break;
                }
                break;
            }
            if (reader.take(*size, sink) != *size)
                return fail("chunk cut short");
            response.chunks.push_back(*size);
            const auto crlf = reader.line();
            if (!crlf || !crlf->empty())
                return fail("chunk not followed by CRLF");
        }
    } else if (length) {
        const auto size = parse_size(*length, 10);
        if (!size)
            return fail("bad Content-Length '" + *length + "'");
        if (reader.take(*size, sink) != *size) {
            if (!reader.eof())
                return fail("body of " + *length + " bytes did not arrive");
            response.cut_short = true;
        }
    } else {
        reader.take(SIZE_MAX, sink);
        if (!reader.eof())
            return fail("body without length did not end with the connection");
    }
    result.response = std::move(response);
    return result;
}

HttpResult http_exchange(const HostPort& server, const std::string& request, const ReadOptions& options) {
    const UniqueFd fd = connect_to(server.host, server.port);
    if (!send_within(fd.get(), request, options.timeout)) {
        return {std::nullopt, "could not send the request"};
    }
    return read_response(fd.get(), options);
}

HttpResult http_get(const HostPort& server, std::string_view target, const ReadOptions& options) {
    return http_exchange(server, http_request("GET", target, {{"Connection", "close"}}), options);
}

}  // namespace netlab::testing
