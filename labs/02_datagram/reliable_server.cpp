// This lab shows:
//  - the order that makes "exactly once" work: decode, look up (peer, sequence),
//    and only on a miss run the handler, then remember the encoded reply before sending it;
//  - caching the whole encoded reply, so a duplicate gets byte-for-byte the same answer.

#include "02_datagram/reliable_server.hpp"

#include <utility>

#include "02_datagram/wire_format.hpp"

namespace netlab::datagram {

ReliableServer::ReliableServer(RequestHandler handler, std::size_t cache_capacity)
    : handler_(std::move(handler)), cache_(cache_capacity) {}

std::optional<std::vector<std::byte>> ReliableServer::handle(std::span<const std::byte> datagram,
                                                             const PeerAddress& peer) {
    // BEGIN SOLUTION ReliableServer::handle
    DecodeResult decoded = decode_message(datagram);
    if (!decoded || decoded.message.type != MessageType::request) {
        ++stats_.dropped;
        return std::nullopt;
    }
    const std::uint32_t sequence = decoded.message.sequence;
    if (auto cached = cache_.find(peer, sequence)) {
        ++stats_.duplicates;
        return cached;
    }
    Message response{MessageType::response, sequence, handler_(decoded.message.payload)};
    std::vector<std::byte> reply = encode_message(response);
    ++stats_.executed;
    cache_.insert(peer, sequence, reply);
    return reply;
    // END SOLUTION
}

}  // namespace netlab::datagram
