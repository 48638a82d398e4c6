#pragma once
// This file shows:
//  - QUdpSocket for peer discovery: every instance binds the same port (ShareAddress, i.e.
//    SO_REUSEADDR, so several processes on one host can), announces itself to a group now and
//    then, and reads what the others announce;
//  - multicast on loopback: join 239.255.43.21 on `lo`, send with IP_MULTICAST_IF = lo and
//    multicast loop on, so announcements never leave the host; broadcast to 127.255.255.255
//    where joining a group on lo is refused;
//  - reading a datagram socket: one readyRead may stand for several datagrams, so read with a
//    hasPendingDatagrams() loop, one whole datagram per receiveDatagram().
//
// One announcement (one datagram, ASCII):  "netlab-discovery 1 NAME"  (NAME 1-32 bytes, no spaces)

#include <QHostAddress>
#include <QObject>
#include <QSet>
#include <QString>
#include <QTimer>
#include <QUdpSocket>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

namespace netlab::qt {

/// The group announcements go to (administratively scoped: never routed off the site).
inline const QHostAddress kDiscoveryGroup{QStringLiteral("239.255.43.21")};

/// The announcement datagram for name.
QByteArray make_announcement(const QString& name);
/// The name in an announcement; nullopt for anything else (wrong prefix, bad name). Pure.
std::optional<QString> parse_announcement(const QByteArray& datagram);

/// Announces name on port every interval and reports every other name heard. Main thread.
class Discovery : public QObject {
    Q_OBJECT

public:
    /// How announcements travel.
    enum class Mode { multicast, broadcast };

    /// Does nothing until start().
    Discovery(QString name, Mode mode, std::chrono::milliseconds interval, QObject* parent = nullptr);

    /// Binds port (0 = any) on every IPv4 address, joins the group, starts announcing. If the
    /// group cannot be joined on lo, falls back to broadcast. Throws std::runtime_error("bind ...").
    void start(std::uint16_t port);
    /// The bound socket (for announce_listening).
    [[nodiscard]] int descriptor() const { return static_cast<int>(socket_.socketDescriptor()); }
    /// How announcements travel now (after a fallback, broadcast).
    [[nodiscard]] Mode mode() const noexcept { return mode_; }

signals:
    /// A name heard for the first time, from the address and port it was sent from.
    void peerFound(const QString& name, const QHostAddress& address, quint16 port);

private:
    /// Sends one announcement to the group (or the broadcast address).
    void announce();
    /// Reads every pending datagram (the readyRead slot).
    void on_ready_read();

    QString name_;
    Mode mode_;
    QUdpSocket socket_;
    QTimer timer_;
    QSet<QString> known_;
    quint16 port_ = 0;
};

}  // namespace netlab::qt
