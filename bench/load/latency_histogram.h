// SPDX-License-Identifier: Apache-2.0
// A log-linear latency histogram in the manner of HdrHistogram (Debian has no package of it):
// every power of two is split into 64 equal buckets, so a recorded value is known to within
// 1/64 (1.6 %) from 128 ns to hours, in a fixed array of counters. Recording is an index
// computation and an increment (no allocation, no lock: one histogram per load thread, merged at
// the end). Percentiles report the bucket's highest value, so they never understate a latency.
#pragma once

#include <algorithm>
#include <array>
#include <bit>
#include <cstdint>

namespace sluice_bench {

class LatencyHistogram {
public:
    static constexpr int kSubBucketBits = 6;
    static constexpr std::uint64_t kSubBuckets = std::uint64_t{1} << kSubBucketBits;
    // Values below 2 * kSubBuckets have a bucket each; above, 64 buckets per power of two.
    static constexpr std::uint64_t kLinearLimit = 2 * kSubBuckets;
    static constexpr std::size_t kBucketCount =
        kLinearLimit + (64 - kSubBucketBits - 1) * kSubBuckets;

    void record(std::uint64_t value)
    {
        ++m_counts[indexOf(value)];
        ++m_total;
        m_max = std::max(m_max, value);
        m_min = std::min(m_min, value);
    }

    void merge(const LatencyHistogram &other)
    {
        for (std::size_t i = 0; i < kBucketCount; ++i)
            m_counts[i] += other.m_counts[i];
        m_total += other.m_total;
        m_max = std::max(m_max, other.m_max);
        m_min = std::min(m_min, other.m_min);
    }

    std::uint64_t count() const { return m_total; }
    std::uint64_t max() const { return m_total ? m_max : 0; }
    std::uint64_t min() const { return m_total ? m_min : 0; }

    // The smallest recorded bucket's high end at or below which `fraction` of the values lie.
    std::uint64_t percentile(double fraction) const
    {
        if (m_total == 0)
            return 0;
        const auto rank = static_cast<std::uint64_t>(fraction * static_cast<double>(m_total) + 0.5);
        const std::uint64_t wanted = std::clamp<std::uint64_t>(rank, 1, m_total);
        std::uint64_t seen = 0;
        for (std::size_t i = 0; i < kBucketCount; ++i) {
            seen += m_counts[i];
            if (seen >= wanted)
                return std::min(highestValueOf(i), m_max);
        }
        return m_max;
    }

    static std::size_t indexOf(std::uint64_t value)
    {
        if (value < kLinearLimit)
            return static_cast<std::size_t>(value);
        const int msb = 63 - std::countl_zero(value);
        const int shift = msb - kSubBucketBits;   // >= 1 here
        const std::uint64_t top = value >> shift; // in [kSubBuckets, 2 * kSubBuckets)
        return static_cast<std::size_t>(kLinearLimit +
                                        static_cast<std::uint64_t>(shift - 1) * kSubBuckets +
                                        (top - kSubBuckets));
    }

    static std::uint64_t lowestValueOf(std::size_t index)
    {
        if (index < kLinearLimit)
            return index;
        const std::size_t rest = index - kLinearLimit;
        const int shift = static_cast<int>(rest / kSubBuckets) + 1;
        const std::uint64_t top = kSubBuckets + rest % kSubBuckets;
        return top << shift;
    }

    static std::uint64_t highestValueOf(std::size_t index)
    {
        if (index + 1 >= kBucketCount)
            return UINT64_MAX;
        return lowestValueOf(index + 1) - 1;
    }

private:
    std::array<std::uint64_t, kBucketCount> m_counts{};
    std::uint64_t m_total = 0;
    std::uint64_t m_max = 0;
    std::uint64_t m_min = UINT64_MAX;
};

} // namespace sluice_bench
