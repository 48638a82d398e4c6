#pragma once
// This file shows:
//  - how a server makes a retransmitted request harmless: it remembers the reply it
//    sent for each (peer, sequence) and sends that again instead of running the request twice;
//  - why the memory must be bounded: a peer can send any number of sequence numbers,
//    so the cache forgets its oldest entry when it is full.
// Its limit: a duplicate older than the last `capacity` requests is no longer recognised.
// Size the cache for every request a client may still retransmit.

#include <cstddef>
#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "02_datagram/peer_address.hpp"

namespace netlab::datagram {

/// Replies to recent requests, keyed by (peer, sequence); holds at most capacity of them.
/// Not thread-safe: one server loop owns it.
class DedupCache {
public:
    /// capacity must be at least 1; throws std::invalid_argument otherwise.
    explicit DedupCache(std::size_t capacity);

    /// The reply remembered for (peer, sequence), or std::nullopt.
    [[nodiscard]] std::optional<std::vector<std::byte>> find(const PeerAddress& peer,
                                                             std::uint32_t sequence) const;
    /// Remembers reply for (peer, sequence), replacing an older reply for the same key;
    /// when the cache is full, the entry inserted longest ago is forgotten first.
    void insert(const PeerAddress& peer, std::uint32_t sequence, std::vector<std::byte> reply);

    /// How many replies are remembered (never more than capacity()).
    [[nodiscard]] std::size_t size() const noexcept { return replies_.size(); }
    /// The most replies the cache keeps.
    [[nodiscard]] std::size_t capacity() const noexcept { return capacity_; }

private:
    using Key = std::pair<std::string, std::uint32_t>;  // (identity(peer), sequence)

    std::size_t capacity_;
    std::map<Key, std::vector<std::byte>> replies_;
    std::deque<Key> oldest_first_;  // insertion order, for eviction
};

}  // namespace netlab::datagram
