#include "06_qt_network/chat_channel.hpp"

#include <QPointer>

#include "03_encapsulation/framing/frame_codec.hpp"

namespace netlab::qt {

ChatChannel::ChatChannel(QTcpSocket& socket, QObject* parent) : QObject(parent), socket_(socket) {
    connect(&socket_, &QTcpSocket::readyRead, this, &ChatChannel::on_ready_read);
}

void ChatChannel::send(const core::ChatMessage& message) {
    const std::vector<std::byte> frame =
        core::encode_frame(core::encode_chat(message), core::kMaxChatMessage);
    // QTcpSocket::write never blocks: what the kernel does not take now waits in Qt's write
    // buffer and leaves from the loop (bytesWritten reports it).
    socket_.write(reinterpret_cast<const char*>(frame.data()), static_cast<qint64>(frame.size()));
}

void ChatChannel::on_ready_read() {
    // BEGIN SOLUTION ChatChannel::on_ready_read
    const QPointer<ChatChannel> alive(this);  // a slot of messageReceived may close the socket
    while (!failed_) {
        const std::span<std::byte> room = decoder_.writable();  // never empty: we pop after each read
        const qint64 got =
            socket_.read(reinterpret_cast<char*>(room.data()), static_cast<qint64>(room.size()));
        if (got <= 0) {
            return;  // 0: everything Qt had is consumed; -1: closed (disconnected tells the owner)
        }
        received_ += static_cast<std::uint64_t>(got);
        decoder_.commit(static_cast<std::size_t>(got));
        while (const core::FrameResult frame = decoder_.pop()) {
            const core::ChatDecodeResult decoded = core::decode_chat(frame.payload);
            if (!decoded) {
                fail(QStringLiteral("bad chat message: %1").arg(QString::fromStdString(decoded.error)));
                return;
            }
            emit messageReceived(decoded.message);
            if (!alive || failed_) {
                return;
            }
        }
        if (decoder_.failed()) {
            fail(QStringLiteral("a frame announced %1 bytes, over the chat maximum of %2")
                     .arg(decoder_.pop().length)
                     .arg(core::kMaxChatMessage));
            return;
        }
    }
    // END SOLUTION
}

void ChatChannel::fail(const QString& what) {
    failed_ = true;
    socket_.abort();
    emit protocolError(what);
}

}  // namespace netlab::qt
