#include "06_qt_network/udp_discovery.hpp"

#include <QNetworkDatagram>
#include <QNetworkInterface>
#include <QVariant>

#include <stdexcept>

namespace netlab::qt {
namespace {

const QByteArray kPrefix = QByteArrayLiteral("netlab-discovery 1 ");
constexpr qsizetype kMaxName = 32;
/// The loopback broadcast address: lo is 127.0.0.1/8.
const QHostAddress kLoopbackBroadcast{QStringLiteral("127.255.255.255")};

}  // namespace

QByteArray make_announcement(const QString& name) {
    return kPrefix + name.toUtf8();
}

std::optional<QString> parse_announcement(const QByteArray& datagram) {
    if (!datagram.startsWith(kPrefix)) {
        return std::nullopt;
    }
    const QByteArray name = datagram.mid(kPrefix.size());
    if (name.isEmpty() || name.size() > kMaxName) {
        return std::nullopt;
    }
    for (const char c : name) {
        if (c <= ' ' || c == 0x7f) {
            return std::nullopt;  // no spaces, no control bytes: a name prints on one line
        }
    }
    return QString::fromUtf8(name);
}

Discovery::Discovery(QString name, Mode mode, std::chrono::milliseconds interval, QObject* parent)
    : QObject(parent), name_(std::move(name)), mode_(mode), socket_(this), timer_(this) {
    timer_.setInterval(interval);
    connect(&timer_, &QTimer::timeout, this, &Discovery::announce);
    connect(&socket_, &QUdpSocket::readyRead, this, &Discovery::on_ready_read);
}

void Discovery::start(std::uint16_t port) {
    // BEGIN SOLUTION Discovery::start
    // Any IPv4 address: a socket bound to 127.0.0.1 would not receive datagrams sent to the group
    // or the broadcast address. ShareAddress lets every instance on this host bind the same port.
    if (!socket_.bind(QHostAddress::AnyIPv4, port,
                      QAbstractSocket::ShareAddress | QAbstractSocket::ReuseAddressHint)) {
        throw std::runtime_error("bind port " + std::to_string(port) + ": " +
                                 socket_.errorString().toStdString());
    }
    port_ = socket_.localPort();
    if (mode_ == Mode::multicast) {
        const QNetworkInterface lo = QNetworkInterface::interfaceFromName(QStringLiteral("lo"));
        if (lo.isValid() && socket_.joinMulticastGroup(kDiscoveryGroup, lo)) {
            socket_.setMulticastInterface(lo);  // IP_MULTICAST_IF: send on lo
            socket_.setSocketOption(QAbstractSocket::MulticastLoopbackOption,
                                    QVariant(1));  // deliver to this host
            socket_.setSocketOption(QAbstractSocket::MulticastTtlOption, QVariant(1));
        } else {
            mode_ = Mode::broadcast;  // e.g. a kernel without multicast on lo
        }
    }
    timer_.start();
    announce();
    // END SOLUTION
}

void Discovery::announce() {
    const QHostAddress to = mode_ == Mode::multicast ? kDiscoveryGroup : kLoopbackBroadcast;
    // A datagram is sent whole or not at all: a short write does not exist for UDP.
    if (socket_.writeDatagram(make_announcement(name_), to, port_) < 0) {
        qWarning("qt_udp_discovery: sending the announcement failed: %s", qPrintable(socket_.errorString()));
    }
}

void Discovery::on_ready_read() {
    // BEGIN SOLUTION Discovery::on_ready_read
    // One readyRead may stand for many datagrams: read until none is pending, or the rest wait
    // for the next arrival (and with a quiet peer, forever).
    while (socket_.hasPendingDatagrams()) {
        const QNetworkDatagram datagram = socket_.receiveDatagram(512);  // longer ones are cut: not ours
        const std::optional<QString> name = parse_announcement(datagram.data());
        if (!name || *name == name_ || known_.contains(*name)) {
            continue;  // garbage, our own echo (multicast loop), or someone we know
        }
        known_.insert(*name);
        emit peerFound(*name, datagram.senderAddress(), static_cast<quint16>(datagram.senderPort()));
        announce();  // answer at once, so the newcomer need not wait a whole interval for us
    }
    // END SOLUTION
}

}  // namespace netlab::qt
