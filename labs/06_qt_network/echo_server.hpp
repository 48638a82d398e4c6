#pragma once
// This file shows:
//  - QTcpServer as the listener of an event loop: incomingConnection(descriptor) runs on the
//    server's thread for every accepted connection, before any QTcpSocket exists;
//  - two ways to serve: everything on the main thread (the default, what ./lab bench measures),
//    or one QThread per worker, the descriptor handed to a worker round-robin;
//  - shutting threads down in order: quit each loop, wait for it, and let each worker be deleted
//    in its own thread (deleteLater on QThread::finished).

#include <QTcpServer>
#include <QThread>

#include <cstddef>
#include <memory>
#include <vector>

namespace netlab::qt {

class EchoWorker;

/// A TCP echo server (echo_connection.hpp for the semantics). Lives in the main thread.
class EchoServer : public QTcpServer {
    Q_OBJECT

public:
    /// threads == 0 serves every client on this thread; otherwise starts that many workers.
    explicit EchoServer(std::size_t threads, QObject* parent = nullptr);
    /// Stops listening, then stops and joins the workers (their connections close).
    ~EchoServer() override;
    EchoServer(const EchoServer&) = delete;
    EchoServer& operator=(const EchoServer&) = delete;

protected:
    /// Runs on the server's thread for each accepted connection.
    void incomingConnection(qintptr descriptor) override;

private:
    struct Worker {
        std::unique_ptr<QThread> thread;
        EchoWorker* worker = nullptr;  // lives in *thread; deleted there when it finishes
    };
    std::vector<Worker> workers_;
    std::size_t next_ = 0;
};

}  // namespace netlab::qt
