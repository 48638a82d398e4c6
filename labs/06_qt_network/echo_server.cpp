#include "06_qt_network/echo_server.hpp"

#include <sys/socket.h>

#include <QMetaObject>

#include "06_qt_network/echo_connection.hpp"
#include "06_qt_network/echo_worker.hpp"

namespace netlab::qt {

EchoServer::EchoServer(std::size_t threads, QObject* parent) : QTcpServer(parent) {
    // Qt's listen() backlog is 50; a burst of 1000 connects overflows it, the kernel drops the
    // handshakes' last ACKs, and those clients wait seconds for a retransmit. Ask for the system's.
    setListenBacklogSize(SOMAXCONN);
    for (std::size_t i = 0; i < threads; ++i) {
        Worker entry{std::make_unique<QThread>(), new EchoWorker};  // no parent: it changes thread
        entry.thread->setObjectName(QStringLiteral("echo worker %1").arg(i));
        entry.worker->moveToThread(entry.thread.get());
        // finished is emitted by the finishing thread; the deferred delete runs there too.
        connect(entry.thread.get(), &QThread::finished, entry.worker, &QObject::deleteLater);
        entry.thread->start();
        workers_.push_back(std::move(entry));
    }
}

EchoServer::~EchoServer() {
    close();
    for (Worker& entry : workers_) {
        entry.thread->quit();
        entry.thread->wait();
    }
}

void EchoServer::incomingConnection(qintptr descriptor) {
    // BEGIN SOLUTION EchoServer::incomingConnection
    if (workers_.empty()) {
        new EchoConnection(descriptor, this);  // this thread: the main loop serves it
        return;
    }
    EchoWorker* worker = workers_[next_].worker;
    next_ = (next_ + 1) % workers_.size();
    // The worker as context: the lambda is queued to, and runs in, the worker's thread.
    QMetaObject::invokeMethod(
        worker, [worker, descriptor] { worker->adopt(descriptor); }, Qt::QueuedConnection);
    // END SOLUTION
}

}  // namespace netlab::qt
