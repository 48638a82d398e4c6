// This lab shows:
//  - stop-and-wait with a timeout: send, wait for the matching reply, resend if none;
//  - two clocks at once: the wait of one attempt (doubling, "backoff") and the deadline
//    of the whole request, whichever comes first;
//  - after the deadline no reply is taken; a late one will be dropped as stale by
//    the next request, because its sequence number no longer matches.

#include "02_datagram/reliable_client.hpp"

#include <algorithm>
#include <optional>
#include <random>
#include <system_error>
#include <utility>

#include "02_datagram/datagram_io.hpp"
#include "02_datagram/wire_format.hpp"

namespace netlab::datagram {

std::uint32_t random_sequence() {
    std::random_device entropy;
    return entropy();
}

ReliableClient::ReliableClient(UniqueFd socket, RetryPolicy policy, std::uint32_t first_sequence)
    : socket_(std::move(socket)), policy_(policy), next_sequence_(first_sequence), buffer_(kMaxUdpPayload) {}

std::optional<std::vector<std::byte>> ReliableClient::await_reply(
    std::uint32_t sequence, std::chrono::steady_clock::time_point until) {
    // BEGIN SOLUTION ReliableClient::await_reply
    using std::chrono::milliseconds;
    for (;;) {
        const auto left = std::chrono::ceil<milliseconds>(until - std::chrono::steady_clock::now());
        if (left <= milliseconds(0)) {
            return std::nullopt;  // checked first, so even a flood of stale replies cannot hold us past it
        }
        const auto received = receive_datagram_within(socket_.get(), buffer_, left);
        if (!received) {
            return std::nullopt;
        }
        const std::span<const std::byte> bytes(buffer_.data(), std::min(received->size, buffer_.size()));
        DecodeResult decoded = decode_message(bytes);
        if (received->truncated || !decoded || decoded.message.type != MessageType::response) {
            ++stats_.bad_datagrams;
        } else if (decoded.message.sequence != sequence) {
            ++stats_.stale_replies;
        } else {
            return std::move(decoded.message.payload);
        }
    }
    // END SOLUTION
}

RequestResult ReliableClient::request(std::span<const std::byte> payload) {
    // BEGIN SOLUTION ReliableClient::request
    using Clock = std::chrono::steady_clock;
    using std::chrono::milliseconds;
    RequestResult result;
    result.sequence = next_sequence_++;  // wraps around after 2^32 requests, which is fine
    const std::vector<std::byte> datagram =
        encode_message(Message{MessageType::request, result.sequence, {payload.begin(), payload.end()}});
    const auto start = Clock::now();
    const auto deadline = start + policy_.deadline;
    milliseconds wait = policy_.timeout;
    auto finish = [&](RequestStatus status) {
        result.status = status;
        result.elapsed = std::chrono::duration_cast<milliseconds>(Clock::now() - start);
        return result;
    };
    try {
        while (result.attempts < policy_.attempts && Clock::now() < deadline) {
            send_datagram(socket_.get(), datagram);
            ++stats_.sent;
            stats_.retransmissions += result.attempts > 0 ? 1 : 0;
            ++result.attempts;
            if (auto reply = await_reply(result.sequence, std::min(Clock::now() + wait, deadline))) {
                result.reply = std::move(*reply);
                return finish(RequestStatus::answered);
            }
            wait = std::min(wait * 2, policy_.max_timeout);
        }
    } catch (const std::system_error& error) {
        if (error.code() != std::errc::connection_refused) {
            throw;
        }
        return finish(RequestStatus::refused);
    }
    return finish(RequestStatus::no_reply);
    // END SOLUTION
}

}  // namespace netlab::datagram
