// This lab shows:
//  - a bounded cache in two containers: a map to find a reply, a queue of keys in
//    insertion order to know which entry to forget first (FIFO eviction);
//  - keys built from what identifies a peer (address and port), plus the sequence number.

#include "02_datagram/dedup_cache.hpp"

#include <stdexcept>

namespace netlab::datagram {

DedupCache::DedupCache(std::size_t capacity) : capacity_(capacity) {
    if (capacity_ == 0) {
        throw std::invalid_argument("DedupCache: capacity must be at least 1");
    }
}

std::optional<std::vector<std::byte>> DedupCache::find(const PeerAddress& peer,
                                                       std::uint32_t sequence) const {
    // BEGIN SOLUTION DedupCache::find
    const auto entry = replies_.find(Key{identity(peer), sequence});
    if (entry == replies_.end()) {
        return std::nullopt;
    }
    return entry->second;
    // END SOLUTION
}

void DedupCache::insert(const PeerAddress& peer, std::uint32_t sequence, std::vector<std::byte> reply) {
    // BEGIN SOLUTION DedupCache::insert
    Key key{identity(peer), sequence};
    if (const auto entry = replies_.find(key); entry != replies_.end()) {
        entry->second = std::move(reply);
        return;
    }
    if (replies_.size() == capacity_) {
        replies_.erase(oldest_first_.front());
        oldest_first_.pop_front();
    }
    oldest_first_.push_back(key);
    replies_.emplace(std::move(key), std::move(reply));
    // END SOLUTION
}

}  // namespace netlab::datagram
