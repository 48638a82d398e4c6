// This file shows:
//  - the receive loop of a WebSocket endpoint as a pure state machine: header, then payload,
//    then the rules that depend on history (a continuation needs a message in progress, a new
//    message must not start inside one), then the rules on content (UTF-8, the close payload);
//  - the close payload: empty (no code), or a 2-byte code that may be sent on the wire, then a
//    UTF-8 reason; 1 byte, or a code such as 1005 or 999, is a protocol error.

#include "09_websocket/protocol/message_decoder.hpp"

#include <endian.h>

#include <algorithm>
#include <cstring>
#include <stdexcept>

#include "09_websocket/protocol/close_code.hpp"

namespace netlab::websocket {

MessageDecoder::MessageDecoder(Role receiver, std::size_t max_message)
    : receiver_(receiver), max_message_(max_message) {}

std::span<std::byte> MessageDecoder::writable(std::size_t min_room) {
    if (begin_ == end_) {
        begin_ = end_ = 0;
    } else if (begin_ > 0 && in_.size() - end_ < min_room) {
        std::memmove(in_.data(), in_.data() + begin_, end_ - begin_);  // may overlap: memmove
        end_ -= begin_;
        begin_ = 0;
    }
    if (in_.size() - end_ < min_room) {
        in_.resize(end_ + min_room);
    }
    offered_ = in_.size() - end_;
    return {in_.data() + end_, offered_};
}

void MessageDecoder::commit(std::size_t n) {
    if (n > offered_) {
        throw std::out_of_range("MessageDecoder::commit: " + std::to_string(n) +
                                " bytes, but writable() offered " + std::to_string(offered_));
    }
    end_ += n;
    offered_ -= n;
}

void MessageDecoder::feed(std::span<const std::byte> bytes) {
    const std::span<std::byte> room = writable(bytes.size());
    std::copy(bytes.begin(), bytes.end(), room.begin());
    commit(bytes.size());
}

Event MessageDecoder::fail(std::uint16_t code, std::string error) {
    failed_ = true;
    failure_.kind = EventKind::error;
    failure_.code = code;
    failure_.error = std::move(error);
    return failure_;
}

Event MessageDecoder::next() {
    // BEGIN SOLUTION MessageDecoder::next
    if (deliver_pending_) {
        message_.clear();
        deliver_pending_ = false;
    }
    for (;;) {
        if (failed_) {
            return failure_;
        }
        if (close_received_) {
            return {};
        }
        const std::span<const std::byte> held(in_.data() + begin_, end_ - begin_);
        const HeaderResult parsed = decode_frame_header(held, receiver_, max_message_);
        if (parsed.status == ParseStatus::error) {
            return fail(parsed.close_code, parsed.error);
        }
        if (parsed.status == ParseStatus::need_more) {
            return {};
        }
        const FrameHeader& header = parsed.header;
        if (held.size() - header.size < header.length) {
            return {};  // the payload is still on its way; its size was checked, so buffering it is safe
        }
        const std::span<std::byte> payload(in_.data() + begin_ + header.size,
                                           static_cast<std::size_t>(header.length));
        begin_ += header.size + payload.size();
        if (header.masked) {
            apply_mask(payload, header.mask);
        }
        Event event = is_control(header.opcode) ? on_control(header, payload) : on_data(header, payload);
        if (event.kind != EventKind::need_more) {
            return event;
        }
    }
    // END SOLUTION
}

Event MessageDecoder::on_control(const FrameHeader& header, std::span<std::byte> payload) {
    // BEGIN SOLUTION MessageDecoder::on_control
    Event event;
    event.payload = payload;
    if (header.opcode == Opcode::ping) {
        event.kind = EventKind::ping;
        return event;
    }
    if (header.opcode == Opcode::pong) {
        event.kind = EventKind::pong;
        return event;
    }
    event.kind = EventKind::close;
    if (payload.empty()) {
        event.code = close_code::kNoStatus;
    } else if (payload.size() == 1) {
        return fail(close_code::kProtocolError, "close frame with a 1-byte payload");
    } else {
        std::uint16_t be = 0;
        std::memcpy(&be, payload.data(), 2);
        event.code = be16toh(be);
        event.payload = payload.subspan(2);
        if (!is_sendable_close_code(event.code)) {
            return fail(close_code::kProtocolError,
                        "close code " + std::to_string(event.code) + " may not be sent");
        }
        if (!is_valid_utf8(event.payload)) {
            return fail(close_code::kInvalidPayload, "close reason is not valid UTF-8");
        }
    }
    close_received_ = true;
    return event;
    // END SOLUTION
}

Event MessageDecoder::on_data(const FrameHeader& header, std::span<std::byte> payload) {
    // BEGIN SOLUTION MessageDecoder::on_data
    Event event;
    if (header.opcode == Opcode::continuation) {
        if (!in_message_) {
            return fail(close_code::kProtocolError, "continuation frame without a message in progress");
        }
        if (payload.size() > max_message_ - message_.size()) {
            return fail(close_code::kMessageTooBig,
                        "message over " + std::to_string(max_message_) + " bytes across its fragments");
        }
    } else {
        if (in_message_) {
            return fail(close_code::kProtocolError, "new data frame before the fragmented message ended");
        }
        message_opcode_ = header.opcode;
        utf8_.reset();
        if (header.fin) {  // the common case: one frame, one message, delivered in place
            if (header.opcode == Opcode::text && !is_valid_utf8(payload)) {
                return fail(close_code::kInvalidPayload, "text message is not valid UTF-8");
            }
            event.kind = header.opcode == Opcode::text ? EventKind::text : EventKind::binary;
            event.payload = payload;
            return event;
        }
        in_message_ = true;
    }
    if (message_opcode_ == Opcode::text && !utf8_.feed(payload)) {
        return fail(close_code::kInvalidPayload,
                    "text message is not valid UTF-8");  // fail fast, mid-message
    }
    message_.insert(message_.end(), payload.begin(), payload.end());
    if (!header.fin) {
        return event;  // need_more: keep collecting fragments
    }
    if (message_opcode_ == Opcode::text && !utf8_.complete()) {
        return fail(close_code::kInvalidPayload, "text message ends inside a UTF-8 character");
    }
    in_message_ = false;
    deliver_pending_ = true;
    event.kind = message_opcode_ == Opcode::text ? EventKind::text : EventKind::binary;
    event.payload = message_;
    return event;
    // END SOLUTION
}

}  // namespace netlab::websocket
