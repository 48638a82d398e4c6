#include "06_qt_network/quit_on_signal.hpp"

#include <QCoreApplication>

namespace netlab::qt {

QuitOnSignal::QuitOnSignal(const ShutdownSignal& signal, QObject* parent)
    : QObject(parent), notifier_(signal.get(), QSocketNotifier::Read) {
    // The slot runs on the main thread, from the loop, after the signal arrived: quitting here is
    // safe (a real signal handler may call almost nothing, and certainly no Qt function).
    connect(&notifier_, &QSocketNotifier::activated, this, [this] {
        notifier_.setEnabled(false);  // the signal stays pending: stop reporting it
        QCoreApplication::quit();
    });
}

}  // namespace netlab::qt
