#pragma once
// This file shows:
//  - the client half of a reliable request/response over UDP: a sequence number per
//    request, a timeout, retransmission with backoff, a bounded number of attempts and
//    a total deadline;
//  - why the sequence number matters: after a retransmission two replies may come back,
//    and a late reply to an earlier request may arrive now; only the reply carrying
//    this request's number is taken, exactly once;
//  - "no reply" and "refused" as values the caller must look at, not exceptions.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "common/unique_fd.hpp"

namespace netlab::datagram {

/// How hard request() tries before it gives up.
struct RetryPolicy {
    std::chrono::milliseconds timeout{200};       ///< wait for a reply after the first send
    std::chrono::milliseconds max_timeout{2000};  ///< the wait doubles after each send, up to this
    int attempts = 5;                             ///< sends of one request, at most (>= 1)
    std::chrono::milliseconds deadline{5000};     ///< total time for one request, all attempts
};

/// How a request ended.
enum class RequestStatus {
    answered,  ///< reply holds the server's answer
    no_reply,  ///< every attempt timed out or the deadline passed (server down, or the network lost them)
    refused,   ///< ICMP port unreachable: no one is listening at the server's address
};

/// The outcome of one request(); true only when it was answered.
struct RequestResult {
    RequestStatus status = RequestStatus::no_reply;
    std::vector<std::byte> reply;          ///< the response payload when answered
    std::uint32_t sequence = 0;            ///< the sequence number this request used
    int attempts = 0;                      ///< how many times the request was sent
    std::chrono::milliseconds elapsed{0};  ///< from the first send to the outcome
    /// True when the request was answered.
    explicit operator bool() const noexcept { return status == RequestStatus::answered; }
};

/// What a ReliableClient saw so far, beyond its own answers.
struct ClientStats {
    std::uint64_t sent = 0;             ///< request datagrams sent, retransmissions included
    std::uint64_t retransmissions = 0;  ///< sends after the first one of a request
    std::uint64_t stale_replies = 0;    ///< valid responses with another sequence number (late or duplicate)
    std::uint64_t bad_datagrams = 0;    ///< datagrams that were not a valid response
};

/// A sequence number to start from that a restarted client is unlikely to have used recently,
/// so the server's dedup cache does not mistake its new requests for old ones.
std::uint32_t random_sequence();

/// Sends requests to one server and waits for their replies, one request at a time.
/// Not thread-safe.
class ReliableClient {
public:
    /// socket is a UDP socket connected to the server (connect_udp).
    ReliableClient(UniqueFd socket, RetryPolicy policy, std::uint32_t first_sequence = random_sequence());

    /// Sends payload (at most kMaxPayload bytes, else std::length_error) and returns its reply,
    /// retransmitting on timeout. Ignores stale replies and garbage. Throws std::system_error
    /// only for a broken socket.
    RequestResult request(std::span<const std::byte> payload);

    /// One attempt's wait: takes datagrams until the response numbered sequence comes (returns its
    /// payload) or until passes (nullopt; checked before each receive). Counts every other
    /// datagram in stats(): a valid response with another number as stale, the rest as bad.
    /// Throws std::system_error as receive_datagram_within does (ECONNREFUSED included).
    std::optional<std::vector<std::byte>> await_reply(std::uint32_t sequence,
                                                      std::chrono::steady_clock::time_point until);

    /// Counts of what request() did and saw.
    [[nodiscard]] const ClientStats& stats() const noexcept { return stats_; }

private:
    UniqueFd socket_;
    RetryPolicy policy_;
    std::uint32_t next_sequence_;
    ClientStats stats_;
    std::vector<std::byte> buffer_;  // one receive buffer, reused
};

}  // namespace netlab::datagram
