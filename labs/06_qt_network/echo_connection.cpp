#include "06_qt_network/echo_connection.hpp"

#include <QDebug>
#include <QVariant>

#include <unistd.h>

namespace netlab::qt {
namespace {

constexpr int kChunksPerTurn = 16;

}  // namespace

EchoConnection::EchoConnection(qintptr descriptor, QObject* parent)
    : QObject(parent), socket_(QAbstractSocket::TcpSocket, this) {
    // Unbuffered: read() goes to the kernel and Qt reads nothing ahead of us (see the header). The
    // flag alone is not enough: a QTcpSocket is buffered whatever the open mode (its constructor
    // says so), which is why socket_ is a plain QAbstractSocket of type TcpSocket.
    if (!socket_.setSocketDescriptor(descriptor, QAbstractSocket::ConnectedState,
                                     QIODevice::ReadWrite | QIODevice::Unbuffered)) {
        qWarning().noquote() << "qt_echo: cannot adopt the connection:" << socket_.errorString();
        ::close(static_cast<int>(descriptor));
        finish();
        return;
    }
    socket_.setSocketOption(QAbstractSocket::LowDelayOption, QVariant(1));
    // Both slots run in this object's thread: the socket lives here too (AutoConnection = direct).
    connect(&socket_, &QAbstractSocket::readyRead, this, &EchoConnection::pump);
    connect(&socket_, &QAbstractSocket::bytesWritten, this, &EchoConnection::pump);
    // errorOccurred (Qt 6; Qt 5's error() is gone): a reset, or a write into a closed connection.
    connect(&socket_, &QAbstractSocket::errorOccurred, this, [this](QAbstractSocket::SocketError error) {
        if (error != QAbstractSocket::RemoteHostClosedError) {
            qWarning().noquote() << "qt_echo: client dropped:" << socket_.errorString();
        }
        finish();
    });
    connect(&socket_, &QAbstractSocket::disconnected, this, &EchoConnection::finish);
    pump();  // bytes may have arrived before the signals were connected
}

void EchoConnection::pump() {
    // BEGIN SOLUTION EchoConnection::pump
    // Read only while the previous echo has left Qt's write buffer entirely (see the header), and
    // a few chunks per turn at most, so one fast client cannot starve the others on this thread.
    for (int turn = 0; turn < kChunksPerTurn && !finished_ && socket_.bytesToWrite() == 0; ++turn) {
        const qint64 got = socket_.read(chunk_.data(), static_cast<qint64>(chunk_.size()));
        if (got < 0) {  // the peer's FIN (or a reset): everything echoed is already in the kernel
            finish();
            return;
        }
        if (got == 0) {
            return;  // nothing more for now: readyRead will come again
        }
        if (socket_.write(chunk_.data(), got) < 0) {
            finish();
            return;
        }
    }
    // END SOLUTION
}

void EchoConnection::finish() {
    if (finished_) {
        return;
    }
    finished_ = true;
    socket_.disconnect(this);  // no slot of ours may run during the teardown below
    socket_.abort();           // the kernel still delivers what it holds, then sends FIN
    emit closed();
    deleteLater();  // never delete a QObject inside one of its own signals: let the loop do it
}

}  // namespace netlab::qt
