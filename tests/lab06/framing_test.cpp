// Lab 06, framing over readyRead, in-process: a real loopback connection whose Qt end is read by
// ChatChannel (lab 03's FrameDecoder) or DataStreamChannel (QDataStream transactions), and whose
// other end is a plain socket, so the test decides exactly where the byte stream is cut.

#include <QBuffer>
#include <QSignalSpy>
#include <QTcpSocket>
#include <QTest>

#include <functional>
#include <string>
#include <type_traits>
#include <vector>

#include "06_qt_network/chat_channel.hpp"
#include "06_qt_network/datastream_channel.hpp"
#include "deadline.hpp"
#include "graded.hpp"
#include "lab06_helpers.hpp"
#include "test_socket.hpp"

namespace netlab::testing {
namespace {

using core::ChatMessage;
using core::ChatType;

/// A QTcpSocket connected to a plain socket we write to.
struct Link {
    Link() {
        const UniqueFd listener = listen_loopback();
        socket.connectToHost(QStringLiteral("127.0.0.1"), bound_port(listener.get()));
        connected = QTest::qWaitFor([&] { return socket.state() == QAbstractSocket::ConnectedState; }, 5000);
        if (connected) {
            peer = accept_within(listener.get(), 5s);
        }
    }
    QTcpSocket socket;
    UniqueFd peer;
    bool connected = false;
};

const std::vector<ChatMessage> kMessages = {
    {ChatType::join, "ann", ""},
    {ChatType::say, "ann", "hello, framing"},
    {ChatType::say, "", ""},
    {ChatType::leave, "bob", ""},
};

std::string datastream_bytes(const ChatMessage& message) {
    QBuffer buffer;
    buffer.open(QIODevice::WriteOnly);
    netlab::qt::write_datastream_message(buffer, message);
    return buffer.data().toStdString();
}

/// The stream of all kMessages, and where each one ends in it.
struct Stream {
    std::string bytes;
    std::vector<std::size_t> ends;
};

template <typename Encode>
Stream stream_of(Encode encode) {
    Stream stream;
    for (const ChatMessage& message : kMessages) {
        stream.bytes += encode(message);
        stream.ends.push_back(stream.bytes.size());
    }
    return stream;
}

/// How many of the stream's messages end at or before offset.
std::size_t whole_before(const Stream& stream, std::size_t offset) {
    std::size_t whole = 0;
    while (whole < stream.ends.size() && stream.ends[whole] <= offset)
        ++whole;
    return whole;
}

/// Sends the stream cut at every offset. After the first part, waits until the Qt side has taken
/// all of it (first_part_read), then checks that exactly the whole messages in it are out.
template <typename Channel>
void check_every_cut(Link& link, Channel& channel, const Stream& stream,
                     const std::function<bool(std::size_t cut, std::size_t whole)>& first_part_read) {
    std::vector<ChatMessage> got;
    QObject::connect(&channel, &Channel::messageReceived,
                     [&](const ChatMessage& message) { got.push_back(message); });
    for (std::size_t cut = 1; cut < stream.bytes.size(); ++cut) {
        SCOPED_TRACE("the stream of " + std::to_string(stream.bytes.size()) + " bytes cut after byte " +
                     std::to_string(cut));
        got.clear();
        const std::size_t whole = whole_before(stream, cut);
        ASSERT_TRUE(send_within(link.peer.get(), stream.bytes.substr(0, cut), 5s));
        ASSERT_TRUE(QTest::qWaitFor(
            [&] { return (first_part_read(cut, whole) && got.size() >= whole) || channel.failed(); }, 5000))
            << "the first " << cut << " bytes were not all read; " << got.size() << " messages out, " << whole
            << " expected";
        ASSERT_FALSE(channel.failed());
        ASSERT_EQ(got.size(), whole) << "messages out after the first part";
        ASSERT_TRUE(send_within(link.peer.get(), stream.bytes.substr(cut), 5s));
        ASSERT_TRUE(QTest::qWaitFor([&] { return got.size() >= kMessages.size() || channel.failed(); }, 5000))
            << got.size() << " of " << kMessages.size() << " messages arrived";
        ASSERT_FALSE(channel.failed());
        ASSERT_EQ(got, kMessages);
    }
}

GRADED_TEST(Lab06Framing, FramesSplitAtEveryBoundary, 10) {
    {
        SCOPED_TRACE("ChatChannel: lab 03's frames through FrameDecoder");
        Link link;
        ASSERT_TRUE(link.connected && link.peer);
        netlab::qt::ChatChannel channel(link.socket);
        const Stream stream = stream_of(chat_frame);
        // Round `cut` starts after cut - 1 whole streams went through.
        check_every_cut(link, channel, stream, [&](std::size_t cut, std::size_t) {
            return channel.bytes_received() == (cut - 1) * stream.bytes.size() + cut;
        });
    }
    {
        SCOPED_TRACE("DataStreamChannel: QDataStream transactions");
        Link link;
        ASSERT_TRUE(link.connected && link.peer);
        netlab::qt::DataStreamChannel channel(link.socket);
        const Stream stream = stream_of(datastream_bytes);
        // A rolled-back transaction leaves the incomplete message unread in the socket.
        check_every_cut(link, channel, stream, [&](std::size_t cut, std::size_t whole) {
            const std::size_t consumed = whole == 0 ? 0 : stream.ends[whole - 1];
            return link.socket.bytesAvailable() == static_cast<qint64>(cut - consumed);
        });
    }
}

GRADED_TEST(Lab06Framing, SeveralFramesInOneReadyRead, 10) {
    std::vector<ChatMessage> many;
    for (int i = 0; i < 200; ++i) {
        many.push_back({ChatType::say, "n" + std::to_string(i % 7), "message " + std::to_string(i)});
    }
    const auto run = [&](auto& channel, Link& link,
                         const std::function<std::string(const ChatMessage&)>& encode) {
        std::string all;
        for (const ChatMessage& message : many)
            all += encode(message);
        std::vector<ChatMessage> got;
        using Channel = std::remove_reference_t<decltype(channel)>;
        QObject::connect(&channel, &Channel::messageReceived,
                         [&](const ChatMessage& message) { got.push_back(message); });
        QSignalSpy ready(&link.socket, &QTcpSocket::readyRead);
        ASSERT_TRUE(send_within(link.peer.get(), all, 5s)) << "one send of " << all.size() << " bytes";
        ASSERT_TRUE(QTest::qWaitFor([&] { return got.size() >= many.size() || channel.failed(); }, 5000))
            << got.size() << " of " << many.size() << " messages";
        EXPECT_FALSE(channel.failed());
        EXPECT_EQ(got, many);
        EXPECT_LT(ready.count(), static_cast<int>(many.size())) << "each readyRead carried several messages";
    };
    {
        SCOPED_TRACE("ChatChannel");
        Link link;
        ASSERT_TRUE(link.connected && link.peer);
        netlab::qt::ChatChannel channel(link.socket);
        run(channel, link, chat_frame);
    }
    {
        SCOPED_TRACE("DataStreamChannel");
        Link link;
        ASSERT_TRUE(link.connected && link.peer);
        netlab::qt::DataStreamChannel channel(link.socket);
        run(channel, link, datastream_bytes);
    }
}

GRADED_TEST(Lab06Framing, OversizedOrBadFramesCutThePeerOff, 4) {
    const std::vector<std::pair<std::string, std::string>> cases = {
        {"a prefix announcing 4 GiB - 1", std::string("\xff\xff\xff\xff", 4)},
        {"a prefix one byte over the chat maximum",
         std::string("\0\0", 2) + static_cast<char>((core::kMaxChatMessage + 1) >> 8) +
             static_cast<char>((core::kMaxChatMessage + 1) & 0xff)},
        {"a frame holding an unknown message type", std::string("\0\0\0\4\x09\0\0\0", 8)},
    };
    for (const auto& [what, bytes] : cases) {
        SCOPED_TRACE(what);
        Link link;
        ASSERT_TRUE(link.connected && link.peer);
        netlab::qt::ChatChannel channel(link.socket);
        QSignalSpy errors(&channel, &netlab::qt::ChatChannel::protocolError);
        int messages = 0;
        QObject::connect(&channel, &netlab::qt::ChatChannel::messageReceived, [&] { ++messages; });
        ASSERT_TRUE(send_within(link.peer.get(), chat_frame({ChatType::say, "ok", "before"}) + bytes, 5s));
        ASSERT_TRUE(errors.count() > 0 || errors.wait(5000)) << "no protocolError";
        EXPECT_EQ(errors.count(), 1);
        EXPECT_EQ(messages, 1) << "the good message before the bad bytes";
        EXPECT_TRUE(channel.failed());
        EXPECT_NE(link.socket.state(), QAbstractSocket::ConnectedState) << "the peer was not cut off";
        EXPECT_TRUE(read_to_eof(link.peer.get(), 5s).has_value()) << "the peer never saw the connection end";
    }
}

}  // namespace
}  // namespace netlab::testing
