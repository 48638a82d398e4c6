#pragma once
// This file shows:
//  - one HTTP/1.1 connection served start to end on its own thread: read a head, read its body,
//    answer, and go round again while the client keeps the connection alive;
//  - the reading buffer bounded by the head and body limits, whatever the client sends.

#include <chrono>
#include <string>

#include "peer_stream.hpp"
#include "reply.hpp"
#include "request_head.hpp"

namespace netlab::http_peer {

/// One accepted connection. Its socket stays owned by the caller, who may shut it down from
/// another thread to end run() early; everything else happens on the thread that calls run().
class Connection final : public ReplyChannel {
public:
    /// Serves fd, through TLS when tls is not null; idle is how long a read or write may stall.
    Connection(int fd, const TlsContext* tls, std::chrono::seconds idle, HeadLimits limits = {});

    /// Serves requests until the client leaves, asks to close, stalls, or breaks the protocol.
    /// Logs one line per request ("GET /path"), per refusal, and for a connection that closes
    /// before its first request (a client that gave up after the TLS handshake, say).
    void run();

    bool send(std::string_view bytes) override;
    bool pause(std::chrono::milliseconds duration) override;

private:
    /// After a refusal: FIN, then drop what the client still sends (briefly), so it reads our reply.
    void linger();
    /// Appends what the client sends next to buffer_; false at EOF, on an error or a timeout.
    bool read_more();

    PeerStream stream_;
    HeadLimits limits_;
    std::string buffer_;
};

}  // namespace netlab::http_peer
