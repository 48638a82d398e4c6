#include "06_qt_network/datastream_channel.hpp"

#include <QPointer>

namespace netlab::qt {
namespace {

constexpr auto kVersion = QDataStream::Qt_6_0;

}  // namespace

void write_datastream_message(QIODevice& device, const core::ChatMessage& message) {
    QDataStream out(&device);
    out.setVersion(kVersion);
    out << static_cast<quint8>(message.type) << QString::fromStdString(message.name)
        << QString::fromStdString(message.text);
}

DataStreamChannel::DataStreamChannel(QIODevice& device, QObject* parent)
    : QObject(parent), device_(device), in_(&device) {
    in_.setVersion(kVersion);
    connect(&device_, &QIODevice::readyRead, this, &DataStreamChannel::on_ready_read);
}

void DataStreamChannel::on_ready_read() {
    // BEGIN SOLUTION DataStreamChannel::on_ready_read
    const QPointer<DataStreamChannel> alive(this);
    while (!failed_) {
        in_.startTransaction();
        quint8 type = 0;
        QString name;
        QString text;
        in_ >> type >> name >> text;
        if (!in_.commitTransaction()) {
            // Rolled back: ReadPastEnd means "not all here yet"; anything else is corrupt data.
            if (in_.status() == QDataStream::ReadCorruptData) {
                fail(QStringLiteral("corrupt QDataStream message"));
            } else if (static_cast<std::size_t>(device_.bytesAvailable()) > kMaxPending) {
                fail(QStringLiteral("over %1 bytes without a whole message").arg(kMaxPending));
            }
            return;
        }
        core::ChatMessage message{static_cast<core::ChatType>(type), name.toStdString(), text.toStdString()};
        if (!core::is_known(message.type) || message.name.size() > core::kMaxChatName ||
            message.text.size() > core::kMaxChatText) {
            fail(QStringLiteral("invalid message: type %1, name %2 bytes, text %3 bytes")
                     .arg(type)
                     .arg(message.name.size())
                     .arg(message.text.size()));
            return;
        }
        emit messageReceived(message);
        if (!alive) {
            return;
        }
    }
    // END SOLUTION
}

void DataStreamChannel::fail(const QString& what) {
    failed_ = true;
    in_.abortTransaction();
    device_.close();
    emit protocolError(what);
}

}  // namespace netlab::qt
