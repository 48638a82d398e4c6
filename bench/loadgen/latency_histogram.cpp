#include "latency_histogram.hpp"

#include <algorithm>
#include <bit>
#include <cmath>

namespace netlab::bench {

std::size_t LatencyHistogram::bucket_of(std::uint64_t nanos) noexcept {
    if (nanos < kExact) {
        return static_cast<std::size_t>(nanos);
    }
    // Keep the top 7 bits (64..127) and the shift: bucket = 64 per octave above 128.
    const auto shift = static_cast<unsigned>(std::bit_width(nanos)) - 7;
    const std::uint64_t top = nanos >> shift;
    return kExact + (shift - 1) * kPerOctave + static_cast<std::size_t>(top - kPerOctave);
}

std::uint64_t LatencyHistogram::upper_bound_of(std::size_t bucket) noexcept {
    if (bucket < kExact) {
        return bucket;
    }
    const std::size_t shift = (bucket - kExact) / kPerOctave + 1;
    const std::uint64_t top = (bucket - kExact) % kPerOctave + kPerOctave;
    return ((top + 1) << shift) - 1;
}

void LatencyHistogram::record(std::chrono::nanoseconds sample) noexcept {
    const auto nanos = static_cast<std::uint64_t>(std::max<std::int64_t>(sample.count(), 0));
    ++buckets_[bucket_of(nanos)];
    ++count_;
    max_ = std::max(max_, nanos);
}

void LatencyHistogram::clear() noexcept {
    buckets_.fill(0);
    count_ = 0;
    max_ = 0;
}

std::chrono::nanoseconds LatencyHistogram::percentile(double fraction) const noexcept {
    if (count_ == 0) {
        return std::chrono::nanoseconds(0);
    }
    const double wanted = std::ceil(std::clamp(fraction, 0.0, 1.0) * static_cast<double>(count_));
    const auto rank = std::max<std::uint64_t>(1, static_cast<std::uint64_t>(wanted));
    std::uint64_t seen = 0;
    for (std::size_t bucket = 0; bucket < kBuckets; ++bucket) {
        seen += buckets_[bucket];
        if (seen >= rank) {
            return std::chrono::nanoseconds(std::min(upper_bound_of(bucket), max_));
        }
    }
    return max();
}

}  // namespace netlab::bench
