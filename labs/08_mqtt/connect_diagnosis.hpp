#pragma once
// This file shows:
//  - turning paho's one word for every failed handshake ("TCP connect completion failure") into
//    what the server actually did: refused the TCP connection, closed it before CONNACK, sent
//    something else, or said nothing;
//  - the classifying as a pure function of the reply's first bytes, the probing as a small I/O step.

#include <chrono>
#include <string>
#include <string_view>

namespace netlab::mqtt {

/// What the first bytes a server sent after our CONNECT say about it.
enum class ConnackCheck {
    connack,              ///< 0x20 0x02 flags code (3.1.1) or 0x20 with a longer MQTT 5 CONNACK
    need_more,            ///< fewer than 2 bytes so far, the connection still open
    closed_before_reply,  ///< the connection closed before any byte
    not_connack,          ///< a first byte that is not CONNACK (0x20)
    short_connack,        ///< a CONNACK whose remaining length (0 or 1) cannot hold its two fields
};

/// Pure: classifies reply (the bytes read so far); closed says the server has closed its end.
ConnackCheck check_connack_reply(std::string_view reply, bool closed) noexcept;

/// Connects to uri ("tcp://HOST:PORT"), sends an MQTT 3.1.1 CONNECT and reads the reply within
/// timeout. Returns one sentence saying what the server did ("the broker at HOST:PORT closed the
/// connection before CONNACK"), for the error of a connect paho could not complete. Never throws.
std::string diagnose_connect(const std::string& uri, std::chrono::milliseconds timeout);

}  // namespace netlab::mqtt
