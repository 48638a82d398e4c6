// Lab 03 Part A, the pcap_decode program on the committed captures: every packet's layers in
// its output, bad checksums flagged with both numbers, and a damaged file reported as an error
// (exit 1) after the packets that could be read, never a crash. Then the command-line contract.

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "child_process.hpp"
#include "graded.hpp"
#include "layers_helpers.hpp"

namespace {

using namespace std::chrono_literals;
using netlab::testing::ChildProcess;
using namespace netlab::testing::layers_test;

struct Outcome {
    std::optional<int> status;
    std::string out;
    std::string err;
};

Outcome run(const std::vector<std::string>& args) {
    ChildProcess child("pcap_decode", args);
    child.close_stdin();
    Outcome result;
    result.out = child.read_all_stdout(20s).value_or("<stdout still open after 20 s>");
    result.status = child.wait_exit(20s);
    result.err = child.stderr_text();
    return result;
}

std::string describe(const Outcome& outcome) {
    return "exit " + (outcome.status ? std::to_string(*outcome.status) : std::string("(still running)")) +
           "\n--- stdout ---\n" + outcome.out.substr(0, 3000) + "\n--- stderr ---\n" + outcome.err;
}

/// The text of one packet's block: from "Frame N:" to the next "Frame" (or the end).
std::string block_of(const std::string& out, const std::string& number) {
    const auto start = out.find("Frame " + number + ":");
    if (start == std::string::npos) {
        return "";
    }
    const auto end = out.find("\nFrame ", start + 1);
    return out.substr(start, end == std::string::npos ? std::string::npos : end - start);
}

void expect_contains(const std::string& text, const std::string& part) {
    EXPECT_NE(text.find(part), std::string::npos) << "expected \"" << part << "\" in:\n" << text;
}

GRADED_TEST(Lab03PcapDecode, PrintsEveryLayer, 1) {
    for (const std::string name : {"lab01_lo", "lab02_any_sll"}) {
        SCOPED_TRACE("pcap_decode " + name + ".pcap");
        const Outcome result = run({data_path(name + ".pcap")});
        ASSERT_EQ(result.status, 0) << describe(result);
        const auto rows = read_tsv(data_path(name + ".tsv"));
        for (const TsharkRow& row : rows) {
            SCOPED_TRACE("frame " + row.at("frame.number"));
            const std::string block = block_of(result.out, row.at("frame.number"));
            ASSERT_FALSE(block.empty()) << "no \"Frame " << row.at("frame.number") << ":\" block\n"
                                        << describe(result);
            expect_contains(block, row.at("ip.src") + " -> " + row.at("ip.dst"));
            expect_contains(block, "ttl " + row.at("ip.ttl"));
            expect_contains(block, "header checksum " + row.at("ip.checksum") + " [good]");
            if (row.at("ip.proto") == "6") {
                expect_contains(block, "TCP: port " + row.at("tcp.srcport") + " -> " + row.at("tcp.dstport"));
                expect_contains(block, "seq " + row.at("tcp.seq_raw") + ", ack " + row.at("tcp.ack_raw"));
                expect_contains(block, "window " + row.at("tcp.window_size_value"));
                expect_contains(block, "checksum " + row.at("tcp.checksum") + " [unverified (offloaded)");
                expect_contains(block, "Payload: " + row.at("tcp.len") + " byte(s)");
            } else if (row.at("ip.proto") == "17") {
                expect_contains(block, "UDP: port " + row.at("udp.srcport") + " -> " + row.at("udp.dstport") +
                                           ", length " + row.at("udp.length"));
                expect_contains(block, "checksum " + row.at("udp.checksum") + " [unverified (offloaded)");
            } else {
                expect_contains(block, "not decoded further");
                expect_contains(block, "ICMP");
            }
        }
        if (name == "lab01_lo") {
            expect_contains(result.out,
                            "Ethernet II: 00:00:00:00:00:00 -> 00:00:00:00:00:00, type 0x0800 (IPv4)");
            expect_contains(result.out, "flags 0x012 (SYN, ACK)");
            expect_contains(block_of(result.out, "4"), "hello from lab 0");  // the hex/ASCII preview
        } else {
            expect_contains(result.out, "Linux cooked v1");
            expect_contains(block_of(result.out, "1"), "68 65 6c 6c 6f");  // "hello" in hex
        }
    }
}

GRADED_TEST(Lab03PcapDecode, FlagsBadChecksums, 1) {
    // lab02_lo.pcap with frame 1's IPv4 checksum field changed and frame 3's UDP checksum wrong.
    auto file = read_file(data_path("lab02_lo.pcap"));
    const auto records = raw_records(file);
    const std::size_t frame1 = records.at(0).offset + 16;  // where the captured bytes start
    const std::size_t frame3 = records.at(2).offset + 16;
    file[frame1 + 24] = std::byte{0x12};
    file[frame1 + 25] = std::byte{0x34};
    file[frame3 + 40] = std::byte{0xab};
    file[frame3 + 41] = std::byte{0xcd};
    const auto rows = read_tsv(data_path("lab02_lo.tsv"));
    const TempFile damaged("bad_checksums.pcap", file);
    const Outcome result = run({damaged.path()});
    ASSERT_EQ(result.status, 0) << "bad packets are data, not a failure of the tool: " << describe(result);
    expect_contains(block_of(result.out, "1"),
                    "[BAD CHECKSUM: got 0x1234, expected " + rows.at(0).at("ip.checksum") + "]");
    expect_contains(block_of(result.out, "3"),
                    "[BAD CHECKSUM: got 0xabcd, expected " + rows.at(2).at("udp.checksum_calculated") + "]");
    expect_contains(block_of(result.out, "2"), "[good]");
    EXPECT_EQ(block_of(result.out, "2").find("BAD"), std::string::npos) << "frame 2 is untouched";
}

GRADED_TEST(Lab03PcapDecode, DamagedFilesAreErrors, 1) {
    const auto file = read_file(data_path("lab01_lo.pcap"));
    const auto records = raw_records(file);
    {
        SCOPED_TRACE("the capture cut in the middle of record 3's data");
        const std::vector<std::byte> cut(
            file.begin(), file.begin() + static_cast<std::ptrdiff_t>(records.at(2).offset + 16 + 30));
        const TempFile cut_file("cut.pcap", cut);
        const Outcome result = run({cut_file.path()});
        EXPECT_EQ(result.status, 1) << describe(result);
        expect_contains(result.out, "Frame 2:");
        EXPECT_EQ(result.out.find("Frame 3:"), std::string::npos) << describe(result);
        expect_contains(result.err, "error: ");
        expect_contains(result.err, "record 3");
    }
    {
        SCOPED_TRACE("record 2's captured length overwritten with 0x7fffffff");
        auto corrupt = file;
        const std::size_t at = records.at(1).offset + 8;
        corrupt[at] = corrupt[at + 1] = corrupt[at + 2] = std::byte{0xff};
        corrupt[at + 3] = std::byte{0x7f};
        const TempFile corrupt_file("corrupt.pcap", corrupt);
        const Outcome result = run({corrupt_file.path()});
        EXPECT_EQ(result.status, 1) << describe(result);
        expect_contains(result.out, "Frame 1:");
        expect_contains(result.err, "record 2");
    }
    for (const auto& [what, bytes] :
         {std::pair{"a text file", bytes_of("these are not the packets you are looking for\n")},
          std::pair{"an empty file", std::vector<std::byte>{}},
          std::pair{"10 bytes of a pcap header", std::vector<std::byte>(file.begin(), file.begin() + 10)}}) {
        SCOPED_TRACE(what);
        const TempFile garbage("garbage.pcap", bytes);
        const Outcome result = run({garbage.path()});
        EXPECT_EQ(result.status, 1) << describe(result);
        expect_contains(result.err, "not a pcap file");
    }
    SCOPED_TRACE("a file that does not exist");
    const Outcome result = run({"/nonexistent/capture.pcap"});
    EXPECT_EQ(result.status, 1) << describe(result);
    expect_contains(result.err, "open /nonexistent/capture.pcap");
}

GRADED_TEST(Lab03PcapDecode, HelpAndBadArguments, 1) {
    {
        SCOPED_TRACE("pcap_decode --help");
        const Outcome result = run({"--help"});
        EXPECT_EQ(result.status, 0) << describe(result);
        EXPECT_EQ(result.out.rfind("usage: pcap_decode", 0), 0u) << describe(result);
        EXPECT_EQ(result.err, "");
    }
    for (const auto& args :
         std::vector<std::vector<std::string>>{{}, {"a.pcap", "b.pcap"}, {"--bogus", "a.pcap"}}) {
        std::string line = "pcap_decode";
        for (const auto& arg : args) {
            line += " " + arg;
        }
        SCOPED_TRACE(line);
        const Outcome result = run(args);
        EXPECT_EQ(result.status, 2) << describe(result);
        expect_contains(result.err, "error: ");
        expect_contains(result.err, "usage: pcap_decode");
        EXPECT_EQ(result.out, "");
    }
}

}  // namespace
