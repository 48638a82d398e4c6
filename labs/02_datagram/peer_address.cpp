#include "02_datagram/peer_address.hpp"

#include <netinet/in.h>

#include <cstring>
#include <stdexcept>

#include "common/endpoint.hpp"

namespace netlab::datagram {
namespace {

template <typename T>
void append(std::string& out, const T& value) {
    out.append(reinterpret_cast<const char*>(&value), sizeof value);
}

}  // namespace

std::string to_string(const PeerAddress& peer) {
    return peer.length == 0 ? "(no address)" : netlab::to_string(peer.get(), peer.length);
}

std::string identity(const PeerAddress& peer) {
    std::string key;
    append(key, peer.storage.ss_family);
    if (peer.storage.ss_family == AF_INET && peer.length >= sizeof(sockaddr_in)) {
        sockaddr_in v4{};
        std::memcpy(&v4, &peer.storage, sizeof v4);
        append(key, v4.sin_port);
        append(key, v4.sin_addr.s_addr);
        return key;
    }
    if (peer.storage.ss_family == AF_INET6 && peer.length >= sizeof(sockaddr_in6)) {
        sockaddr_in6 v6{};
        std::memcpy(&v6, &peer.storage, sizeof v6);
        append(key, v6.sin6_port);
        append(key, v6.sin6_addr.s6_addr);
        append(key, v6.sin6_scope_id);
        return key;
    }
    throw std::invalid_argument("identity: not an IPv4 or IPv6 socket address");
}

bool operator==(const PeerAddress& a, const PeerAddress& b) {
    return identity(a) == identity(b);
}

}  // namespace netlab::datagram
