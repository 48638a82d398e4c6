#pragma once
// This file shows:
//  - framing over readyRead: the signal means "some bytes arrived", never "a message arrived".
//    One readyRead may carry half a frame, or three frames and the start of a fourth;
//  - the buffer-and-pure-decoder answer: lab 03's FrameDecoder, fed straight from the socket
//    (read() into decoder.writable(), then pop() every whole frame), and decode_chat on each;
//  - the same protocol bytes as lab 04's poll_chat_server: two stacks, one protocol.

#include <QObject>
#include <QString>
#include <QTcpSocket>

#include <cstdint>

#include "03_encapsulation/framing/chat_message.hpp"
#include "03_encapsulation/framing/frame_decoder.hpp"

namespace netlab::qt {

/// Chat messages over a connected (or connecting) QTcpSocket it does not own. Runs in the
/// socket's thread. A slot connected to its signals must not delete the channel or the socket
/// (use deleteLater).
class ChatChannel : public QObject {
    Q_OBJECT

public:
    /// Starts reading socket; the socket must outlive the channel.
    explicit ChatChannel(QTcpSocket& socket, QObject* parent = nullptr);

    /// Queues one message (framed) on the socket. Throws std::length_error if a field is too long.
    void send(const core::ChatMessage& message);
    /// Bytes read off the socket so far (what the decoder has seen).
    [[nodiscard]] std::uint64_t bytes_received() const noexcept { return received_; }
    /// True once the stream broke (an oversized frame or a bad message): nothing more is read.
    [[nodiscard]] bool failed() const noexcept { return failed_; }

signals:
    /// One whole, valid message, in arrival order.
    void messageReceived(const netlab::core::ChatMessage& message);
    /// The peer broke the protocol; the channel has aborted the socket. Emitted once.
    void protocolError(const QString& what);

private:
    /// Drains the socket into the decoder and emits every whole message (the readyRead slot).
    void on_ready_read();
    /// Marks the stream broken, aborts the socket and reports what.
    void fail(const QString& what);

    QTcpSocket& socket_;
    core::FrameDecoder decoder_{core::kMaxChatMessage};
    std::uint64_t received_ = 0;
    bool failed_ = false;
};

}  // namespace netlab::qt
