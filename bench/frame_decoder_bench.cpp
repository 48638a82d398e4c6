// This file shows:
//  - what framing costs, measured beside the cheapest thing that touches the same bytes: memcpy;
//  - decode_frame on a contiguous buffer: no per-byte work, so its cost is per frame, not per byte;
//  - FrameDecoder, the path of a real server (lab 04): each read is copied in once (feed(), as
//    recv() would), frames come out as views; its goal is >= 0.5x memcpy at 16 KiB frames;
//  - a custom main whose reporter keeps every result and prints the ratios at the end, all
//    measured in the same run (run it pinned: taskset -c 1 build/bin/bench_frame_decoder).

#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <map>
#include <string>
#include <vector>

#include "03_encapsulation/framing/frame_decoder.hpp"

namespace {

using netlab::core::FrameDecoder;
using netlab::core::FrameResult;

/// Bytes per benchmark iteration: back-to-back frames filling about 1 MiB.
constexpr std::size_t kStreamBytes = 1024 * 1024;
/// The size of one simulated read for FrameDecoder and memcpy: a large recv().
constexpr std::size_t kReadSize = 64 * 1024;
/// The payload sizes measured.
constexpr std::int64_t kSmall = 64;
constexpr std::int64_t kLarge = 16 * 1024;

/// Back-to-back frames of payload_size bytes each, about kStreamBytes in all.
std::vector<std::byte> make_stream(std::size_t payload_size) {
    std::vector<std::byte> stream;
    const std::vector<std::byte> payload(payload_size, std::byte{0x5a});
    while (stream.size() + netlab::core::kLengthPrefixSize + payload_size <= kStreamBytes) {
        netlab::core::append_frame(stream, payload);
    }
    return stream;
}

void decode_frame(benchmark::State& state) {
    const std::vector<std::byte> stream = make_stream(static_cast<std::size_t>(state.range(0)));
    for (auto _ : state) {
        std::span<const std::byte> rest = stream;
        while (const FrameResult frame = netlab::core::decode_frame(rest)) {
            benchmark::DoNotOptimize(frame.payload.data());
            rest = rest.subspan(frame.consumed);
        }
    }
    state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(stream.size()));
}

void frame_decoder(benchmark::State& state) {
    const std::vector<std::byte> stream = make_stream(static_cast<std::size_t>(state.range(0)));
    FrameDecoder decoder;
    for (auto _ : state) {
        for (std::size_t at = 0; at < stream.size(); at += kReadSize) {
            auto read = std::span(stream).subspan(at, std::min(kReadSize, stream.size() - at));
            while (!read.empty()) {
                read = read.subspan(decoder.feed(read));
                while (const FrameResult frame = decoder.pop()) {
                    benchmark::DoNotOptimize(frame.payload.data());
                }
            }
        }
    }
    if (decoder.buffered() != 0 || decoder.failed()) {
        state.SkipWithError("the stream did not decode into whole frames");
    }
    state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(stream.size()));
}

void copy_bytes(benchmark::State& state) {
    const std::vector<std::byte> stream = make_stream(static_cast<std::size_t>(state.range(0)));
    std::vector<std::byte> destination(kReadSize);
    for (auto _ : state) {
        for (std::size_t at = 0; at < stream.size(); at += kReadSize) {
            const std::size_t n = std::min(kReadSize, stream.size() - at);
            std::memcpy(destination.data(), stream.data() + at, n);
            benchmark::ClobberMemory();
        }
    }
    state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(stream.size()));
}

BENCHMARK(decode_frame)->Name("decode_frame")->Arg(kSmall)->Arg(kLarge);
BENCHMARK(frame_decoder)->Name("FrameDecoder")->Arg(kSmall)->Arg(kLarge);
BENCHMARK(copy_bytes)->Name("memcpy")->Arg(kSmall)->Arg(kLarge);

/// The console output as usual, and every bytes_per_second kept by name (the median, with repetitions).
class RatioReporter : public benchmark::ConsoleReporter {
public:
    void ReportRuns(const std::vector<Run>& runs) override {
        ConsoleReporter::ReportRuns(runs);
        for (const Run& run : runs) {
            const bool median = run.run_type == Run::RT_Aggregate && run.aggregate_name == "median";
            if (run.error_occurred || (run.run_type == Run::RT_Aggregate && !median)) {
                continue;
            }
            const auto rate = run.counters.find("bytes_per_second");
            if (rate != run.counters.end()) {
                rates_[run.run_name.str()] = rate->second.value;
            }
        }
    }

    /// The closing table: throughput of each, and each decoder's ratio to memcpy of the same bytes.
    void print_ratios() const {
        std::printf("\nframe decoding vs memcpy of the same bytes (same run)\n");
        std::printf("%-9s %14s %14s %14s %16s %16s\n", "payload", "decode_frame", "FrameDecoder", "memcpy",
                    "decode/memcpy", "Decoder/memcpy");
        for (const std::int64_t size : {kSmall, kLarge}) {
            const std::string arg = "/" + std::to_string(size);
            const double decode = rate("decode_frame" + arg);
            const double buffered = rate("FrameDecoder" + arg);
            const double copy = rate("memcpy" + arg);
            std::printf("%-9s %9.2f GB/s %9.2f GB/s %9.2f GB/s %15.2fx %15.2fx\n",
                        size == kSmall ? "64 B" : "16 KiB", decode / 1e9, buffered / 1e9, copy / 1e9,
                        copy > 0 ? decode / copy : 0.0, copy > 0 ? buffered / copy : 0.0);
        }
        const double goal = rate("memcpy/" + std::to_string(kLarge));
        const double measured = goal > 0 ? rate("FrameDecoder/" + std::to_string(kLarge)) / goal : 0.0;
        std::printf("goal: 16 KiB frames through FrameDecoder at >= 0.50x memcpy: %.2fx, %s\n", measured,
                    measured >= 0.5 ? "met" : "NOT met");
    }

private:
    [[nodiscard]] double rate(const std::string& name) const {
        const auto found = rates_.find(name);
        return found == rates_.end() ? 0.0 : found->second;
    }

    std::map<std::string, double> rates_;
};

}  // namespace

int main(int argc, char** argv) {
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv)) {
        return 2;
    }
    RatioReporter reporter;
    benchmark::RunSpecifiedBenchmarks(&reporter);
    reporter.print_ratios();
    benchmark::Shutdown();
    return 0;
}
