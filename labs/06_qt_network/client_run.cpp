#include "06_qt_network/client_run.hpp"

#include <QCoreApplication>

namespace netlab::qt {

ClientRun::ClientRun(std::chrono::seconds timeout, std::function<std::string()> owed)
    : timeout_(timeout), owed_(std::move(owed)) {
    stall_.setSingleShot(true);
    stall_.setInterval(timeout_);
    QObject::connect(&stall_, &QTimer::timeout, [this] {
        finish(1, "no progress for " + std::to_string(timeout_.count()) + " s: " + owed_());
    });
}

void ClientRun::finish(int status, const std::string& error) {
    if (finished_) {
        return;
    }
    finished_ = true;
    error_ = error;
    stall_.stop();
    QCoreApplication::exit(status);
}

void ClientRun::watch(bool progress) {
    if (finished_ || timeout_.count() == 0 || owed_().empty()) {
        stall_.stop();
    } else if (progress || !stall_.isActive()) {
        stall_.start();
    }
}

}  // namespace netlab::qt
