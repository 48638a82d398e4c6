// Lab 09, interoperability with a WebSocket implementation we did not write: Qt WebSockets.
//  - Qt's client (QWebSocket) against our ws_echo_server: text, binary, fragmented and large
//    messages, ping/pong, and a close code that must come back;
//  - our ws_client against Qt's server (QWebSocketServer, in this process): fragmented and large
//    messages both ways, Qt's ping answered, and close codes in both directions.
// Qt needs a QCoreApplication: created once by the Environment below. Waits pump Qt's event loop
// with a deadline (QTest::qWaitFor); nothing sleeps a fixed time.

#include <QCoreApplication>
#include <QSignalSpy>
#include <QTest>
#include <QWebSocket>
#include <QWebSocketServer>

#include <memory>
#include <string>
#include <vector>

#include "graded.hpp"
#include "lab09_helpers.hpp"

namespace netlab::testing::lab09 {
namespace {

class QtEnvironment : public ::testing::Environment {
public:
    void SetUp() override {
        static int argc = 1;
        static char name[] = "lab09_tests";
        static char* argv[] = {name, nullptr};
        if (QCoreApplication::instance() == nullptr) {
            app_ = std::make_unique<QCoreApplication>(argc, argv);
        }
    }
    void TearDown() override { app_.reset(); }

private:
    std::unique_ptr<QCoreApplication> app_;
};

[[maybe_unused]] ::testing::Environment* const qt_environment =
    ::testing::AddGlobalTestEnvironment(new QtEnvironment);

constexpr int kWaitMs = 15000;

QUrl url_of(const ServerProcess& server, const char* path) {
    return QUrl(QString("ws://127.0.0.1:%1%2").arg(server.endpoint.port).arg(path));
}

/// A QWebSocket connected to our echo server (ASSERTs inside the caller's test on failure).
bool open_socket(QWebSocket& socket, const ServerProcess& server) {
    QSignalSpy connected(&socket, &QWebSocket::connected);
    socket.open(url_of(server, "/echo"));
    return connected.count() > 0 || connected.wait(kWaitMs);
}

GRADED_TEST(Lab09QtClient, TextBinaryAndFragmentedMessagesEchoed, 2) {
    ServerProcess server("ws_echo_server", listen_args());
    QWebSocket socket;
    ASSERT_TRUE(open_socket(socket, server)) << socket.errorString().toStdString();
    QSignalSpy texts(&socket, &QWebSocket::textMessageReceived);
    QSignalSpy binaries(&socket, &QWebSocket::binaryMessageReceived);

    socket.sendTextMessage(QString::fromUtf8("h\xC3\xA9llo, \xE4\xB8\x96\xE7\x95\x8C"));
    ASSERT_TRUE(QTest::qWaitFor([&] { return texts.count() == 1; }, kWaitMs));
    EXPECT_EQ(texts.at(0).at(0).toString().toStdString(), "h\xC3\xA9llo, \xE4\xB8\x96\xE7\x95\x8C");

    socket.setOutgoingFrameSize(7);  // Qt now sends every message as frames of 7 bytes
    socket.sendTextMessage(QString::fromUtf8("fragmented into many small frames \xE2\x82\xAC\xE2\x82\xAC"));
    const std::string blob = random_bytes(1000);
    socket.sendBinaryMessage(QByteArray(blob.data(), static_cast<qsizetype>(blob.size())));
    ASSERT_TRUE(QTest::qWaitFor([&] { return texts.count() == 2 && binaries.count() == 1; }, kWaitMs));
    EXPECT_EQ(texts.at(1).at(0).toString().toStdString(),
              "fragmented into many small frames \xE2\x82\xAC\xE2\x82\xAC");
    EXPECT_BYTES_EQ(blob, binaries.at(0).at(0).toByteArray().toStdString());
}

GRADED_TEST(Lab09QtClient, LargeMessagesBothWays, 2) {
    ServerProcess server("ws_echo_server", listen_args({"--max-message", "4194304"}));
    QWebSocket socket;
    ASSERT_TRUE(open_socket(socket, server)) << socket.errorString().toStdString();
    QSignalSpy binaries(&socket, &QWebSocket::binaryMessageReceived);
    QSignalSpy texts(&socket, &QWebSocket::textMessageReceived);
    const std::string big = random_bytes(3 << 20);
    socket.setOutgoingFrameSize(65536);
    socket.sendBinaryMessage(QByteArray(big.data(), static_cast<qsizetype>(big.size())));
    const QString text(200000, QChar(0x4E16));  // 200 000 x U+4E16: 600 000 bytes of UTF-8 in one frame
    socket.setOutgoingFrameSize(1 << 20);
    socket.sendTextMessage(text);
    ASSERT_TRUE(QTest::qWaitFor([&] { return binaries.count() == 1 && texts.count() == 1; }, kWaitMs));
    EXPECT_BYTES_EQ(big, binaries.at(0).at(0).toByteArray().toStdString());
    EXPECT_TRUE(texts.at(0).at(0).toString() == text);
}

GRADED_TEST(Lab09QtClient, PingPongAndTheCloseCodeComesBack, 3) {
    ServerProcess server("ws_echo_server", listen_args({"--max-message", "1000"}));
    QWebSocket socket;
    ASSERT_TRUE(open_socket(socket, server)) << socket.errorString().toStdString();
    QSignalSpy pongs(&socket, &QWebSocket::pong);
    socket.ping("are you alive?");
    ASSERT_TRUE(QTest::qWaitFor([&] { return pongs.count() == 1; }, kWaitMs));
    EXPECT_EQ(pongs.at(0).at(1).toByteArray().toStdString(), "are you alive?");

    QSignalSpy disconnected(&socket, &QWebSocket::disconnected);
    socket.close(QWebSocketProtocol::CloseCodePolicyViolated,
                 "bye from Qt");  // 1008: any code but 1000 proves the echo
    ASSERT_TRUE(QTest::qWaitFor([&] { return disconnected.count() == 1; }, kWaitMs));
    EXPECT_EQ(static_cast<int>(socket.closeCode()), 1008) << "the server echoes the client's code";

    QWebSocket second;  // a message over --max-message: the server closes with 1009
    ASSERT_TRUE(open_socket(second, server));
    QSignalSpy gone(&second, &QWebSocket::disconnected);
    second.sendBinaryMessage(QByteArray(2000, 'x'));
    ASSERT_TRUE(QTest::qWaitFor([&] { return gone.count() == 1; }, kWaitMs));
    EXPECT_EQ(static_cast<int>(second.closeCode()), 1009);
}

/// A Qt server in this process that records what arrives and echoes text back as "qt: TEXT".
class QtPeer {
public:
    QtPeer() : server_("lab09", QWebSocketServer::NonSecureMode) {
        if (!server_.listen(QHostAddress::LocalHost, 0)) {
            throw std::runtime_error("QWebSocketServer::listen: " + server_.errorString().toStdString());
        }
        QObject::connect(&server_, &QWebSocketServer::newConnection, [this] {
            socket_.reset(
                server_.nextPendingConnection());  // we delete it (left to Qt, ASan reports it leaked)
            socket_->setOutgoingFrameSize(1000);   // our client must reassemble Qt's fragments
            QObject::connect(socket_.get(), &QWebSocket::textMessageReceived, [this](const QString& text) {
                texts.push_back(text.toStdString());
                socket_->sendTextMessage("qt: " + text);
            });
            QObject::connect(socket_.get(), &QWebSocket::binaryMessageReceived,
                             [this](const QByteArray& data) { binaries.push_back(data.toStdString()); });
            QObject::connect(socket_.get(), &QWebSocket::pong, [this](quint64, const QByteArray& payload) {
                pongs.push_back(payload.toStdString());
            });
            QObject::connect(socket_.get(), &QWebSocket::disconnected, [this] {
                close_code = static_cast<int>(socket_->closeCode());
                close_reason = socket_->closeReason().toStdString();
                disconnected = true;
            });
        });
    }
    [[nodiscard]] std::string endpoint() const { return "127.0.0.1:" + std::to_string(server_.serverPort()); }
    [[nodiscard]] QWebSocket* socket() const { return socket_.get(); }

    std::vector<std::string> texts;
    std::vector<std::string> binaries;
    std::vector<std::string> pongs;
    int close_code = -1;
    std::string close_reason;
    bool disconnected = false;

private:
    QWebSocketServer server_;
    std::unique_ptr<QWebSocket> socket_;  // declared after server_: deleted first
};

/// Waits (pumping Qt's loop) until the client printed a line containing needle; collects lines.
bool wait_for_line(ChildProcess& client, std::vector<std::string>& lines, const std::string& needle) {
    return QTest::qWaitFor(
        [&] {
            while (auto line = client.read_line(std::chrono::milliseconds(1)))
                lines.push_back(*line);
            for (const auto& line : lines) {
                if (line.find(needle) != std::string::npos)
                    return true;
            }
            return false;
        },
        kWaitMs);
}

GRADED_TEST(Lab09OurClient, FragmentedAndLargeMessagesWithQtServer, 1) {
    QtPeer qt;
    ChildProcess client("ws_client", {"--connect", qt.endpoint(), "--path", "/lab09", "--fragment", "1000"});
    ASSERT_TRUE(QTest::qWaitFor([&] { return qt.socket() != nullptr; }, kWaitMs)) << client.stderr_text();
    std::vector<std::string> lines;
    client.write_stdin("hello Qt\n");
    ASSERT_TRUE(wait_for_line(client, lines, "qt: hello Qt")) << client.stderr_text();
    const std::string large(200000, 'L');  // 200 frames of 1000 bytes from us, then 200 from Qt
    client.write_stdin(large + "\n/binary raw bytes\n");
    ASSERT_TRUE(QTest::qWaitFor([&] { return qt.binaries.size() == 1; }, kWaitMs)) << client.stderr_text();
    ASSERT_EQ(qt.texts.size(), 2u);
    EXPECT_EQ(qt.texts[1], large);
    EXPECT_EQ(qt.binaries[0], "raw bytes");
    ASSERT_TRUE(wait_for_line(client, lines, "qt: LLLL")) << client.stderr_text();
    EXPECT_EQ(lines.back(), "qt: " + large);
    client.close_stdin();  // end of input: the client closes with 1000
    ASSERT_TRUE(QTest::qWaitFor([&] { return qt.disconnected; }, kWaitMs));
    EXPECT_EQ(qt.close_code, 1000);
    std::optional<int> status;
    ASSERT_TRUE(QTest::qWaitFor(
        [&] { return (status = client.wait_exit(std::chrono::milliseconds(1))).has_value(); }, kWaitMs));
    EXPECT_EQ(status, 0) << client.stderr_text();
}

GRADED_TEST(Lab09OurClient, PingsAndCloseCodesWithQtServer, 1) {
    {
        SCOPED_TRACE("our ping, Qt's ping, our close code");
        QtPeer qt;
        ChildProcess client("ws_client", {"--connect", qt.endpoint()});
        ASSERT_TRUE(QTest::qWaitFor([&] { return qt.socket() != nullptr; }, kWaitMs)) << client.stderr_text();
        std::vector<std::string> lines;
        client.write_stdin("/ping marco\n");
        ASSERT_TRUE(wait_for_line(client, lines, "[pong] marco")) << client.stderr_text();
        qt.socket()->ping("polo");
        ASSERT_TRUE(QTest::qWaitFor([&] { return !qt.pongs.empty(); }, kWaitMs))
            << "our client must answer Qt's ping";
        EXPECT_EQ(qt.pongs[0], "polo");
        client.write_stdin("/close 4002 see you\n");
        ASSERT_TRUE(QTest::qWaitFor([&] { return qt.disconnected; }, kWaitMs));
        EXPECT_EQ(qt.close_code, 4002);
        EXPECT_EQ(qt.close_reason, "see you");
        ASSERT_TRUE(wait_for_line(client, lines, "[close 4002")) << client.stderr_text();
    }
    {
        SCOPED_TRACE("Qt closes with 1001");
        QtPeer qt;
        ChildProcess client("ws_client", {"--connect", qt.endpoint()});
        ASSERT_TRUE(QTest::qWaitFor([&] { return qt.socket() != nullptr; }, kWaitMs)) << client.stderr_text();
        qt.socket()->close(QWebSocketProtocol::CloseCodeGoingAway, "server going away");
        std::vector<std::string> lines;
        ASSERT_TRUE(wait_for_line(client, lines, "[close 1001 server going away]"))
            << client.stderr_text() << (lines.empty() ? "no line" : lines.back());
        std::optional<int> status;
        ASSERT_TRUE(QTest::qWaitFor(
            [&] { return (status = client.wait_exit(std::chrono::milliseconds(1))).has_value(); }, kWaitMs));
        EXPECT_EQ(status, 0) << client.stderr_text();
    }
}

}  // namespace
}  // namespace netlab::testing::lab09
