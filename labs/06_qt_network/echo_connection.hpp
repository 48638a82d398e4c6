#pragma once
// This file shows:
//  - one echo client served by a QTcpSocket, driven by two signals: readyRead ("bytes can be
//    read") and bytesWritten ("the kernel took some of what we wrote");
//  - Qt's missing half-close, and how to live with it: when a read meets the peer's FIN, Qt
//    closes the WHOLE socket and drops any echo still in its write buffer (a buffered QTcpSocket
//    reads ahead on its own, so that read can come at any time). So the socket is an unbuffered
//    QAbstractSocket (Qt reads only when we call read()) and we read only while nothing waits to
//    be written: every echoed byte is in the kernel before the read that can see the FIN;
//  - bounded memory: at most one read chunk is in flight per client, whatever the peer sends
//    (backpressure: while our echo is unsent we stop reading, the kernel window fills up).

#include <QAbstractSocket>
#include <QObject>

#include <array>

namespace netlab::qt {

/// Serves one accepted connection: every byte back, in order, then FIN after the client's FIN.
/// Lives and runs in the thread that constructed it; deletes itself (deleteLater) when done.
class EchoConnection : public QObject {
    Q_OBJECT

public:
    /// Takes the accepted descriptor; if Qt refuses it, closes it, logs and deletes itself later.
    /// Construct it in the thread that will serve the connection.
    EchoConnection(qintptr descriptor, QObject* parent);

signals:
    /// Emitted once, just before the object deletes itself.
    void closed();

private:
    /// Echoes what the kernel holds, for as long as the echo leaves the kernel at once.
    void pump();
    /// The peer ended the stream or reset it: close, then delete this object later.
    void finish();

    QAbstractSocket socket_;
    bool finished_ = false;
    std::array<char, 64 * 1024> chunk_{};
};

}  // namespace netlab::qt
