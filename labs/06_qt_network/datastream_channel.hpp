#pragma once
// This file shows:
//  - the Qt-to-Qt answer to framing: QDataStream transactions. startTransaction() remembers the
//    read position; if a >> runs out of bytes, commitTransaction() returns false and rewinds, so
//    the next readyRead retries the whole message from its start; nothing is framed by hand;
//  - its costs: both ends must be Qt with the same QDataStream version (the wire format is
//    Qt's: a QString is a u32 byte count and UTF-16), and an incomplete message is re-parsed
//    on every readyRead, so the bytes it may pin must be capped (kMaxPending below).
//
// One message on the wire (QDataStream, version Qt_6_0, big-endian):  quint8 type | QString name | QString
// text

#include <QDataStream>
#include <QIODevice>
#include <QObject>
#include <QString>

#include <cstddef>

#include "03_encapsulation/framing/chat_message.hpp"

namespace netlab::qt {

/// Writes one message in the QDataStream format above to device (e.g. a QTcpSocket).
void write_datastream_message(QIODevice& device, const core::ChatMessage& message);

/// Chat messages from a QIODevice (typically a QTcpSocket) in the QDataStream format above.
/// Does not own the device; runs in the device's thread.
class DataStreamChannel : public QObject {
    Q_OBJECT

public:
    /// Incomplete bytes we agree to hold: beyond this the peer is cut off.
    static constexpr std::size_t kMaxPending = 64 * 1024;

    /// Starts reading device; the device must outlive the channel.
    explicit DataStreamChannel(QIODevice& device, QObject* parent = nullptr);

    /// True once the stream broke; nothing more is read.
    [[nodiscard]] bool failed() const noexcept { return failed_; }

signals:
    /// One whole, valid message, in arrival order.
    void messageReceived(const netlab::core::ChatMessage& message);
    /// The peer broke the protocol (bad data, or over kMaxPending unread). Emitted once.
    void protocolError(const QString& what);

private:
    /// Reads every whole message the device holds (the readyRead slot).
    void on_ready_read();
    void fail(const QString& what);

    QIODevice& device_;
    QDataStream in_;
    bool failed_ = false;
};

}  // namespace netlab::qt
