#pragma once
// This file shows:
//  - the one line every lab server prints first, so scripts and tests can learn
//    the real port after binding port 0.

namespace netlab {

/// Prints exactly "listening on HOST:PORT" (the bound address) on stdout and flushes it.
void announce_listening(int fd);

}  // namespace netlab
