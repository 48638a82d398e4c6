#pragma once
// This file shows:
//  - the worker-per-thread shape: a plain QObject moved to a QThread with moveToThread; its
//    slots, and every socket it creates, run in that thread's event loop;
//  - the socket is CREATED in the worker's thread (adopt() runs there), from the bare descriptor
//    that QTcpServer::incomingConnection handed over: a QTcpSocket's notifiers belong to the
//    thread it was created in, so it must never be built in one thread and used in another.

#include <QObject>
#include <QtGlobal>

namespace netlab::qt {

/// Owns the connections of one thread. Never parent it to its QThread object: the QThread object
/// lives in the thread that created it (main), not in the thread it starts.
class EchoWorker : public QObject {
    Q_OBJECT

public:
    EchoWorker() = default;

    /// Serves an accepted descriptor. Runs in the worker's thread: call it through a queued
    /// invocation (QMetaObject::invokeMethod with the worker as context), never directly.
    void adopt(qintptr descriptor);
};

}  // namespace netlab::qt
