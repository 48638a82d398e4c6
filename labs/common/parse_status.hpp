#pragma once
// This file shows:
//  - the one vocabulary of every incremental parser in the course (frames, pcap records,
//    WebSocket headers, HTTP heads): given the bytes received so far, a parser finds a whole
//    item, needs more bytes, or knows the bytes can never become valid.

#include <cstdint>

namespace netlab {

/// What an incremental parser made of the bytes it was given.
enum class ParseStatus : std::uint8_t {
    complete,   ///< a whole item was at the start of the bytes; the result says how many it used
    need_more,  ///< the bytes are a valid beginning (or empty): read more, append, call again
    error,      ///< the bytes can never become valid: the stream is unusable, more will not help
};

}  // namespace netlab
