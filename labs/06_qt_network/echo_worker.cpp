#include "06_qt_network/echo_worker.hpp"

#include <QThread>

#include "06_qt_network/echo_connection.hpp"

namespace netlab::qt {

void EchoWorker::adopt(qintptr descriptor) {
    // BEGIN SOLUTION EchoWorker::adopt
    Q_ASSERT(QThread::currentThread() == thread());
    // Parented to the worker: both live in this thread, and the connection is deleted with it.
    new EchoConnection(descriptor, this);
    // END SOLUTION
}

}  // namespace netlab::qt
