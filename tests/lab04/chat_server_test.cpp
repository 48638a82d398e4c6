// Lab 04, poll_chat_server end to end: the real program as a child process, with chat participants
// written on the test side (lab 03's reference framing and messages). Joins, broadcast order,
// the sender's name, a slow client, malformed input, departures and signals. Every wait has a deadline.

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cstring>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <thread>

#include "03_encapsulation/framing/frame_codec.hpp"
#include "bytes.hpp"
#include "common/check.hpp"
#include "deadline.hpp"
#include "graded.hpp"
#include "lab04_helpers.hpp"
#include "test_socket.hpp"

namespace netlab::testing {
namespace {

using core::ChatMessage;
using core::ChatType;

GRADED_TEST(Lab04Chat, JoinIsWelcomedAndAnnounced, 2) {
    ChatServer server;
    ChatPeer ann(server.endpoint);
    {
        SCOPED_TRACE("ann joins: the server welcomes her with her own join");
        ASSERT_EQ(ann.join("ann"), "") << "stderr: " << server.log();
    }
    ChatPeer bob(server.endpoint);
    {
        SCOPED_TRACE("bob joins: he is welcomed, and ann hears that bob joined");
        ASSERT_EQ(bob.join("bob"), "");
        EXPECT_TRUE(next_is(ann, join_of("bob")));
    }
    SCOPED_TRACE("nothing else in between: each one's next message is the other's say");
    ASSERT_TRUE(bob.send(say_of("", "hi ann")));
    EXPECT_TRUE(next_is(ann, say_of("bob", "hi ann")));
    ASSERT_TRUE(ann.send(say_of("", "hi bob")));
    EXPECT_TRUE(next_is(bob, say_of("ann", "hi bob")));
}

GRADED_TEST(Lab04Chat, EveryMessageReachesEveryoneElseOnceInOrder, 5) {
    constexpr int kMessages = 300;
    const std::array<std::string, 4> names = {"ann", "bob", "cat", "dan"};
    ChatServer server;
    std::vector<std::unique_ptr<ChatPeer>> peers;
    {
        SCOPED_TRACE("four clients join one after the other; each hears of everyone who joins after it");
        for (std::size_t i = 0; i < names.size(); ++i) {
            peers.push_back(std::make_unique<ChatPeer>(server.endpoint));
            ASSERT_EQ(peers[i]->join(names[i]), "") << "stderr: " << server.log();
            for (std::size_t earlier = 0; earlier < i; ++earlier) {
                ASSERT_TRUE(next_is(*peers[earlier], join_of(names[i])))
                    << names[earlier] << " about " << names[i];
            }
        }
    }
    SCOPED_TRACE(
        "all four send 300 says at once (some byte by byte, some three frames per send); each client "
        "must get the other three's 900, each exactly once, each sender's in its order, none of its own");
    std::atomic<int> send_failures{0};
    std::vector<std::jthread> senders;
    for (std::size_t i = 0; i < names.size(); ++i) {
        senders.emplace_back([&, i] {
            ChatPeer& peer = *peers[i];
            const int on = 1;
            ::setsockopt(peer.get(), IPPROTO_TCP, TCP_NODELAY, &on,
                         sizeof on);  // let the pieces go out as pieces
            for (int k = 0; k < kMessages; ++k) {
                const std::string frame =
                    frame_of(say_of(k % 5 == 0 ? names[i] : "", names[i] + " " + std::to_string(k)));
                bool ok = true;
                if (k % 10 == 3) {
                    for (const char byte : frame) {
                        ok = ok && peer.send_raw(std::string(1, byte));
                    }
                } else if (k % 10 == 6 && k + 2 < kMessages) {
                    ok = peer.send_raw(frame + frame_of(say_of("", names[i] + " " + std::to_string(k + 1))) +
                                       frame_of(say_of("", names[i] + " " + std::to_string(k + 2))));
                    k += 2;
                } else {
                    ok = peer.send_raw(frame);
                }
                if (!ok) {
                    ++send_failures;
                    return;
                }
            }
        });
    }
    std::vector<std::vector<ChatMessage>> received(names.size());
    const auto deadline = Clock::now() + 30s;
    const auto complete = [&] {
        return std::all_of(received.begin(), received.end(),
                           [&](const auto& list) { return list.size() >= 3 * kMessages; });
    };
    while (!complete() && Clock::now() < deadline) {
        std::vector<pollfd> entries;
        for (const auto& peer : peers) {
            entries.push_back({peer->get(), POLLIN, 0});
        }
        ::poll(entries.data(), entries.size(), std::min(100, millis_left(deadline)));
        for (std::size_t i = 0; i < peers.size(); ++i) {
            if (entries[i].revents != 0) {
                while (auto message = peers[i]->next(0ms)) {
                    received[i].push_back(std::move(*message));
                }
            }
        }
    }
    for (auto& sender : senders) {
        sender.join();
    }
    EXPECT_EQ(send_failures.load(), 0) << "a sender could not send; stderr: " << server.log();
    for (std::size_t r = 0; r < names.size(); ++r) {
        SCOPED_TRACE("what " + names[r] + " received");
        EXPECT_EQ(received[r].size(), 3u * kMessages)
            << "ended: " << peers[r]->ended() << "; stderr: " << server.log();
        std::map<std::string, int> next_number;
        for (const ChatMessage& message : received[r]) {
            ASSERT_EQ(message.type, ChatType::say) << describe(message);
            ASSERT_NE(message.name, names[r]) << "a client got its own message back: " << describe(message);
            const std::string expected_text =
                message.name + " " + std::to_string(next_number[message.name]++);
            ASSERT_EQ(message.text, expected_text)
                << "from " << message.name << ": lost, doubled or out of order";
        }
    }
    SCOPED_TRACE(
        "and every two clients saw the other two's messages interleaved the same way (one server order)");
    for (std::size_t a = 0; a < names.size(); ++a) {
        for (std::size_t b = a + 1; b < names.size(); ++b) {
            const auto third_parties = [&](const std::vector<ChatMessage>& list) {
                std::vector<std::string> texts;
                for (const ChatMessage& message : list) {
                    if (message.name != names[a] && message.name != names[b]) {
                        texts.push_back(message.text);
                    }
                }
                return texts;
            };
            EXPECT_EQ(third_parties(received[a]), third_parties(received[b]))
                << names[a] << " and " << names[b];
        }
    }
}

GRADED_TEST(Lab04Chat, TheServerSetsTheSender, 2) {
    ChatServer server;
    ChatPeer ann(server.endpoint);
    ASSERT_EQ(ann.join("ann"), "") << "stderr: " << server.log();
    ChatPeer bob(server.endpoint);
    ASSERT_EQ(bob.join("bob"), "");
    ASSERT_TRUE(next_is(ann, join_of("bob")));
    {
        SCOPED_TRACE("bob's say with an empty name field reaches ann as from bob; so does one naming bob");
        ASSERT_TRUE(bob.send(say_of("", "first")));
        ASSERT_TRUE(bob.send(say_of("bob", "second")));
        EXPECT_TRUE(next_is(ann, say_of("bob", "first")));
        EXPECT_TRUE(next_is(ann, say_of("bob", "second")));
    }
    SCOPED_TRACE(
        "bob's say claiming to be ann: bob gets an error and is disconnected; ann hears bob left, "
        "never the forged say");
    ASSERT_TRUE(bob.send(say_of("ann", "I am ann")));
    EXPECT_TRUE(refused(bob, "ann"));
    EXPECT_TRUE(next_is(ann, leave_of("bob")));
    EXPECT_NE(server.log().find("bob"), std::string::npos)
        << "the refusal should be logged; stderr: " << server.log();
}

/// The most a socket's send buffer may grow to (net.ipv4.tcp_wmem's third field; 4 MiB by default).
std::size_t largest_send_buffer() {
    std::ifstream file("/proc/sys/net/ipv4/tcp_wmem");
    std::size_t low = 0;
    std::size_t normal = 0;
    std::size_t largest = 4 * 1024 * 1024;
    file >> low >> normal >> largest;
    return largest;
}

GRADED_TEST(Lab04Chat, SlowClientDoesNotStallOthersAndIsDropped, 4) {
    // The kernel's send buffer toward the slow client grows (autotuning) up to tcp_wmem's maximum, and
    // the server's queue comes after it: send twice that much so the queue must overflow.
    const int kMessages = static_cast<int>(std::max<std::size_t>(3000, 2 * largest_send_buffer() / 1000));
    ChatServer server({"--max-queue", "65536"});
    ChatPeer ann(server.endpoint);
    ASSERT_EQ(ann.join("ann"), "") << "stderr: " << server.log();
    ChatPeer bob(server.endpoint);
    ASSERT_EQ(bob.join("bob"), "");
    ChatPeer slow(server.endpoint, 4096);  // a small receive window, and it will stop reading
    ASSERT_EQ(slow.join("slow"), "");
    ASSERT_TRUE(next_is(ann, join_of("bob")));
    ASSERT_TRUE(next_is(ann, join_of("slow")));
    ASSERT_TRUE(next_is(bob, join_of("slow")));
    SCOPED_TRACE("ann sends " + std::to_string(kMessages) +
                 " says of 1000 bytes while slow reads nothing; --max-queue is 64 KiB");
    const std::string filler(990, '.');
    // ann stays at most 100 messages (100 KB) ahead of bob: bob's own buffers always hold that much, so
    // bob keeps up even when this machine is busy; the slow client's buffers fill all the same.
    constexpr int kWindow = 100;
    std::atomic<int> says{0};
    std::atomic<bool> sent_all{false};
    std::atomic<bool> stop{false};
    std::jthread sender([&] {
        for (int k = 0; k < kMessages; ++k) {
            if (!wait_until([&] { return k - says.load() <= kWindow || stop.load(); }, 20s) || stop.load() ||
                !ann.send(say_of("", std::to_string(k) + " " + filler))) {
                return;
            }
        }
        sent_all = true;
    });
    const auto start = Clock::now();
    int slow_left = 0;
    std::string problem;
    while (says < kMessages && problem.empty()) {
        const auto message = bob.next(20s);
        if (!message) {
            problem = "bob got " + std::to_string(says.load()) + " of " + std::to_string(kMessages) +
                      " says, then " + describe(message, bob);
        } else if (*message == leave_of("slow")) {
            ++slow_left;
        } else if (*message != say_of("ann", std::to_string(says.load()) + " " + filler)) {
            problem = "bob's message " + std::to_string(says.load()) +
                      " is wrong: " + describe(*message).substr(0, 40);
        } else {
            ++says;
        }
    }
    const auto took = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start);
    stop = true;
    sender.join();
    std::cout << "[   INFO   ] bob got " << says.load() << " says of 1000 B in " << took.count()
              << " ms beside a client that does not read" << std::endl;
    {
        SCOPED_TRACE("bob got all of them in order, without waiting for the slow client");
        EXPECT_EQ(problem, "") << "stderr: " << server.log();
        EXPECT_TRUE(sent_all) << "ann could not send everything";
    }
    {
        SCOPED_TRACE(
            "the slow client was dropped with a log line naming it, and everyone heard it left, once");
        const auto logged_drop = [&] {
            std::istringstream lines(server.log());
            for (std::string line; std::getline(lines, line);) {
                if (line.find("slow") != std::string::npos && line.find("joined") == std::string::npos) {
                    return true;
                }
            }
            return false;
        };
        EXPECT_TRUE(wait_until(logged_drop, 10s)) << "no line about dropping slow; stderr: " << server.log();
        if (slow_left == 0) {
            EXPECT_TRUE(next_is(bob, leave_of("slow")));
        } else {
            EXPECT_EQ(slow_left, 1);
        }
        EXPECT_TRUE(next_is(ann, leave_of("slow")));
        EXPECT_TRUE(slow.wait_closed(10s))
            << "the slow client's connection should end; " << describe(std::nullopt, slow);
    }
    SCOPED_TRACE("and the chat goes on");
    ASSERT_TRUE(bob.send(say_of("", "still here")));
    EXPECT_TRUE(next_is(ann, say_of("bob", "still here")));
}

GRADED_TEST(Lab04Chat, OversizedFrameDisconnectsOnlyThatClient, 1) {
    ChatServer server;
    ChatPeer ann(server.endpoint);
    ASSERT_EQ(ann.join("ann"), "") << "stderr: " << server.log();
    const std::string longest_name(core::kMaxChatName, 'x');
    ChatPeer bob(server.endpoint);
    ASSERT_EQ(bob.join(longest_name), "");
    ASSERT_TRUE(next_is(ann, join_of(longest_name)));
    {
        SCOPED_TRACE("the largest valid message (4 + 32 + 4096 bytes) passes");
        const ChatMessage largest = say_of(longest_name, std::string(core::kMaxChatText, 'y'));
        ASSERT_TRUE(bob.send(largest));
        EXPECT_TRUE(next_is(ann, largest));
    }
    {
        SCOPED_TRACE(
            "mallory joins, then announces a frame of 4 GiB and sends junk: an error, then disconnected");
        ChatPeer mallory(server.endpoint);
        ASSERT_EQ(mallory.join("mallory"), "");
        EXPECT_TRUE(next_is(ann, join_of("mallory")));
        EXPECT_TRUE(next_is(bob, join_of("mallory")));
        ASSERT_TRUE(mallory.send_raw(std::string(4, '\xff') + std::string(100, 'j')));
        EXPECT_TRUE(refused(mallory, "maximum"));
        EXPECT_TRUE(next_is(ann, leave_of("mallory")));
        EXPECT_TRUE(next_is(bob, leave_of("mallory")));
    }
    {
        SCOPED_TRACE(
            "a client that has not joined sends a frame one byte over the maximum: error, disconnected");
        ChatPeer eve(server.endpoint);
        ASSERT_TRUE(eve.send_raw(frame_of(std::string(core::kMaxChatMessage + 1, 'e'))));
        EXPECT_TRUE(refused(eve, "maximum"));
    }
    SCOPED_TRACE("ann and bob go on chatting, and heard nothing else");
    ASSERT_TRUE(ann.send(say_of("", "still here")));
    EXPECT_TRUE(next_is(bob, say_of("ann", "still here")));
    EXPECT_FALSE(server.process.wait_exit(0ms)) << "the server exited: " << server.log();
}

GRADED_TEST(Lab04Chat, BadMessagesDisconnectOnlyThatClient, 2) {
    ChatServer server;
    ChatPeer ann(server.endpoint);
    ASSERT_EQ(ann.join("ann"), "") << "stderr: " << server.log();
    ChatPeer bob(server.endpoint);
    ASSERT_EQ(bob.join("bob"), "");
    ASSERT_TRUE(next_is(ann, join_of("bob")));
    struct Case {
        std::string what;
        std::string join_first;  // joins with this name before the bad message ("" = not joined)
        std::string bytes;       // the bad message, framed
        std::string reason_part;
    };
    const std::vector<Case> cases = {
        {"an unknown message type 9", "", frame_of(std::string("\x09\x00\x00\x00", 4)), "type"},
        {"a message cut short (1 byte)", "", frame_of(std::string("\x02", 1)), "truncated"},
        {"trailing bytes after the text", "", frame_of(text_of(core::encode_chat(join_of("tom"))) + "!"),
         "trailing"},
        {"a say before any join", "", frame_of(say_of("", "hello?")), "join"},
        {"a join with an empty name", "", frame_of(join_of("")), "name"},
        {"a join with a control character in the name", "", frame_of(join_of("a\nb")), "control"},
        {"a join with a name already taken", "", frame_of(join_of("ann")), "taken"},
        {"a second join", "zed", frame_of(join_of("zed2")), "zed"},
        {"an error message from a client", "yan", frame_of(ChatMessage{ChatType::error, "", "boo"}), "error"},
    };
    for (const Case& bad : cases) {
        SCOPED_TRACE(bad.what + ": an error message, then the connection closes");
        ChatPeer offender(server.endpoint);
        if (!bad.join_first.empty()) {
            ASSERT_EQ(offender.join(bad.join_first), "");
            EXPECT_TRUE(next_is(ann, join_of(bad.join_first)));
            EXPECT_TRUE(next_is(bob, join_of(bad.join_first)));
        }
        ASSERT_TRUE(offender.send_raw(bad.bytes));
        EXPECT_TRUE(refused(offender, bad.reason_part)) << "stderr: " << server.log();
        if (!bad.join_first.empty()) {
            EXPECT_TRUE(next_is(ann, leave_of(bad.join_first)));
            EXPECT_TRUE(next_is(bob, leave_of(bad.join_first)));
        }
    }
    SCOPED_TRACE("ann and bob go on chatting, and heard nothing else");
    ASSERT_TRUE(bob.send(say_of("", "after all that")));
    EXPECT_TRUE(next_is(ann, say_of("bob", "after all that")));
    ASSERT_TRUE(ann.send(say_of("", "indeed")));
    EXPECT_TRUE(next_is(bob, say_of("ann", "indeed")));
    SCOPED_TRACE(
        "each refusal is logged in a line saying 'refused' (stderr is read by another thread: wait)");
    const auto logged_all = [&] { return times_logged(server, "refused") >= cases.size(); };
    EXPECT_TRUE(wait_until(logged_all, 10s)) << "each refusal should be logged; stderr: " << server.log();
}

GRADED_TEST(Lab04Chat, LeavesResetsAndVanishingAreAnnounced, 1) {
    ChatServer server;
    ChatPeer ann(server.endpoint);
    ASSERT_EQ(ann.join("ann"), "") << "stderr: " << server.log();
    ChatPeer bob(server.endpoint);
    ASSERT_EQ(bob.join("bob"), "");
    ChatPeer cat(server.endpoint);
    ASSERT_EQ(cat.join("cat"), "");
    ASSERT_TRUE(next_is(ann, join_of("bob")));
    ASSERT_TRUE(next_is(ann, join_of("cat")));
    ASSERT_TRUE(next_is(bob, join_of("cat")));
    {
        SCOPED_TRACE("cat sends leave: the server closes cat's connection; ann and bob hear cat left");
        ASSERT_TRUE(cat.send(leave_of("")));
        EXPECT_TRUE(cat.wait_closed(10s)) << describe(std::nullopt, cat);
        EXPECT_TRUE(next_is(ann, leave_of("cat")));
        EXPECT_TRUE(next_is(bob, leave_of("cat")));
    }
    {
        SCOPED_TRACE("bob's connection is reset (SO_LINGER 0): ann hears bob left");
        reset_connection(bob.take());
        EXPECT_TRUE(next_is(ann, leave_of("bob")));
    }
    {
        SCOPED_TRACE("dan joins and just closes his socket, no leave: ann hears dan joined, then left");
        auto dan = std::make_unique<ChatPeer>(server.endpoint);
        ASSERT_EQ(dan->join("dan"), "");
        EXPECT_TRUE(next_is(ann, join_of("dan")));
        dan.reset();
        EXPECT_TRUE(next_is(ann, leave_of("dan")));
    }
    SCOPED_TRACE("the name cat is free again");
    ChatPeer cat_again(server.endpoint);
    EXPECT_EQ(cat_again.join("cat"), "");
    EXPECT_TRUE(next_is(ann, join_of("cat")));
}

GRADED_TEST(Lab04Chat, SigintAndSigtermExitZeroWithClientsConnected, 1) {
    for (const int signal_number : {SIGINT, SIGTERM}) {
        SCOPED_TRACE(std::string("send ") + strsignal(signal_number) + " with two clients chatting");
        ChatServer server;
        ChatPeer ann(server.endpoint);
        ASSERT_EQ(ann.join("ann"), "") << "stderr: " << server.log();
        ChatPeer bob(server.endpoint);
        ASSERT_EQ(bob.join("bob"), "");
        ASSERT_TRUE(ann.send(say_of("", "bye soon")));
        ASSERT_TRUE(next_is(bob, say_of("ann", "bye soon")));
        server.process.send_signal(signal_number);
        const auto status = server.process.wait_exit(10s);
        EXPECT_EQ(status, 0) << describe_exit(status) << "; stderr: " << server.log();
        EXPECT_TRUE(bob.wait_closed(5s)) << "bob's connection should end; " << describe(std::nullopt, bob);
    }
}

}  // namespace
}  // namespace netlab::testing
