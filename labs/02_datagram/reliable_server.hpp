#pragma once
// This file shows:
//  - the server half of a reliable request/response over UDP: every request is run
//    exactly once, because a retransmitted request (same peer, same sequence number)
//    is answered from the DedupCache instead of running the handler again;
//  - garbage is dropped, not answered: a reply to a datagram we cannot parse would
//    only feed a reflection attack;
//  - the logic is pure (bytes in, bytes out), so it is tested without a socket.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <vector>

#include "02_datagram/dedup_cache.hpp"
#include "02_datagram/peer_address.hpp"

namespace netlab::datagram {

/// Computes the reply payload (at most kMaxPayload bytes) to one request payload.
using RequestHandler = std::function<std::vector<std::byte>(std::span<const std::byte> request)>;

/// What a ReliableServer did so far.
struct ServerStats {
    std::uint64_t executed = 0;    ///< requests the handler ran for
    std::uint64_t duplicates = 0;  ///< retransmitted requests answered from the cache
    std::uint64_t dropped = 0;     ///< datagrams that were not a valid request
};

/// Turns request datagrams into response datagrams, running the handler once per (peer, sequence).
/// Not thread-safe: one server loop owns it.
class ReliableServer {
public:
    /// handler runs on the caller's thread, inside handle(). cache_capacity bounds the memory.
    explicit ReliableServer(RequestHandler handler, std::size_t cache_capacity = kDefaultCacheCapacity);

    /// The datagram to send back to peer, or std::nullopt when the datagram is to be dropped.
    /// Throws what the handler throws, and std::length_error if its reply is too long.
    std::optional<std::vector<std::byte>> handle(std::span<const std::byte> datagram,
                                                 const PeerAddress& peer);

    /// Counts of what handle() did.
    [[nodiscard]] const ServerStats& stats() const noexcept { return stats_; }

    /// Replies remembered by default: many more than the clients can have in flight.
    static constexpr std::size_t kDefaultCacheCapacity = 4096;

private:
    RequestHandler handler_;
    DedupCache cache_;
    ServerStats stats_;
};

}  // namespace netlab::datagram
