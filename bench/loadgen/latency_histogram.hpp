#pragma once
// This file shows:
//  - recording millions of latencies without allocating per sample: a fixed array of
//    log-linear buckets (exact below 128 ns, then 64 buckets per power of two, <= 1.6% error);
//  - percentiles read back from bucket counts, the way HdrHistogram does it.

#include <array>
#include <chrono>
#include <cstdint>

namespace netlab::bench {

/// Counts durations in nanosecond buckets; fixed size, never allocates. Not thread-safe.
class LatencyHistogram {
public:
    /// Adds one sample; negative durations count as 0.
    void record(std::chrono::nanoseconds sample) noexcept;
    /// Forgets every sample.
    void clear() noexcept;
    /// How many samples were recorded.
    [[nodiscard]] std::uint64_t count() const noexcept { return count_; }
    /// The smallest value v with at least fraction (0..1] of the samples <= v; 0 when empty.
    [[nodiscard]] std::chrono::nanoseconds percentile(double fraction) const noexcept;
    /// The largest sample, exactly.
    [[nodiscard]] std::chrono::nanoseconds max() const noexcept { return std::chrono::nanoseconds(max_); }

private:
    static constexpr std::size_t kExact = 128;
    static constexpr std::size_t kPerOctave = 64;
    static constexpr std::size_t kBuckets = kExact + 57 * kPerOctave;

    static std::size_t bucket_of(std::uint64_t nanos) noexcept;
    static std::uint64_t upper_bound_of(std::size_t bucket) noexcept;

    std::array<std::uint64_t, kBuckets> buckets_{};
    std::uint64_t count_ = 0;
    std::uint64_t max_ = 0;
};

}  // namespace netlab::bench
