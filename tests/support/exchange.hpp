#pragma once
// The echo test's workhorse: send a payload while reading everything back, both with deadlines,
// so a server that stalls, drops bytes or never sends FIN fails with a message instead of a hang.

#include <chrono>
#include <cstddef>
#include <string>
#include <vector>

namespace netlab::testing {

using namespace std::chrono_literals;

/// How exchange() drives a connection.
struct ExchangeOptions {
    std::vector<std::size_t> send_sizes{65536};  ///< payload goes out in pieces of these sizes, cycling
    std::vector<std::size_t> read_sizes{65536};  ///< each recv asks for the next of these, cycling
    std::size_t pause_every = 0;  ///< after this many bytes read, stop reading until the sender is stuck
    std::chrono::milliseconds timeout = 30s;  ///< for the whole exchange
};

/// What exchange() saw.
struct ExchangeResult {
    std::string received;
    bool eof = false;       ///< the peer ended the stream (FIN)
    bool sent_all = false;  ///< every byte went out, then SHUT_WR
    std::string problem;    ///< why it stopped early, "" otherwise
    /// One line for failure messages: sizes, EOF, problem.
    [[nodiscard]] std::string summary(std::size_t expected) const;
};

/// Sends payload on fd from a second thread (then SHUT_WR) while this thread reads to EOF. With
/// pause_every, the reader repeatedly stops until the sender has found the socket unwritable for
/// 20 ms (its poll deadline ran out), so the peer meets a client that reads slowly and in bursts.
ExchangeResult exchange(int fd, const std::string& payload, const ExchangeOptions& options = {});

}  // namespace netlab::testing
