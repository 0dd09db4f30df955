// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QtGlobal>
#include <chrono>

#if defined(__x86_64__) || defined(__i386__)
#include <x86intrin.h>
#define SLUICE_EVENT_CLOCK_TSC 1
#endif

namespace sluice {

// The timestamp every message event takes on the hot path. On x86 with an invariant TSC it is
// the raw time-stamp counter (a few cycles, no system call, no vDSO page); elsewhere the steady
// clock in ns. Ticks become steady-clock ns only when an event is read (toSteadyNs).
class EventClock {
public:
    EventClock();

    quint64 ticks() const
    {
#ifdef SLUICE_EVENT_CLOCK_TSC
        if (m_useTsc)
            return __rdtsc();
#endif
        return quint64(steadyNs());
    }

    // The TSC rate, from the anchor taken when the clock was made and a sample taken now: the
    // error of toSteadyNs stays within one clock read however long the runtime has been up.
    // Take it once per batch of events read.
    double nsPerTick() const;
    // Steady-clock ns of a tick value.
    qint64 toSteadyNs(quint64 ticks, double nsPerTick) const;
    bool usesTsc() const
    {
        return m_useTsc;
    }

    static qint64 steadyNs()
    {
        return std::chrono::duration_cast<std::chrono::nanoseconds>(
                   std::chrono::steady_clock::now().time_since_epoch())
            .count();
    }

private:
    bool m_useTsc = false;
    quint64 m_anchorTicks = 0;
    qint64 m_anchorNs = 0;
};

} // namespace sluice
