#pragma once
// This file shows:
//  - SIGINT/SIGTERM in a Qt program without touching Qt from a signal handler: the signals
//    become a readable signalfd (common/shutdown_signal), and a QSocketNotifier watches that
//    descriptor from the event loop like any socket, so the "stop" arrives as an ordinary slot;
//  - the order in main: the ShutdownSignal first (threads started later, QThread workers and
//    Qt's own, inherit the blocked signal mask), then QCoreApplication (a QSocketNotifier needs
//    the thread's event dispatcher), then this.

#include <QObject>
#include <QSocketNotifier>

#include "common/shutdown_signal.hpp"

namespace netlab::qt {

/// Quits the application's event loop (exit code 0) on SIGINT or SIGTERM. Main thread only,
/// after QCoreApplication; signal must outlive it.
class QuitOnSignal : public QObject {
    Q_OBJECT

public:
    /// Starts watching signal's descriptor.
    explicit QuitOnSignal(const ShutdownSignal& signal, QObject* parent = nullptr);

private:
    QSocketNotifier notifier_;
};

}  // namespace netlab::qt
