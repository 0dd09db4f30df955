// SPDX-License-Identifier: Apache-2.0
#include "event_clock.h"

#ifdef SLUICE_EVENT_CLOCK_TSC
#include <cpuid.h>
#endif

namespace sluice {

namespace {

#ifdef SLUICE_EVENT_CLOCK_TSC
// An invariant TSC ticks at one rate in every power state and on every core, so it can stand
// in for the steady clock; without it (old CPUs, some hypervisors) the steady clock is used.
bool hasInvariantTsc()
{
    unsigned eax = 0, ebx = 0, ecx = 0, edx = 0;
    // The cast: clang's cpuid.h returns int where GCC's returns unsigned (-Wsign-compare).
    if (static_cast<unsigned>(__get_cpuid_max(0x80000000, nullptr)) < 0x80000007)
        return false;
    __cpuid(0x80000007, eax, ebx, ecx, edx);
    return (edx & (1u << 8)) != 0;
}
#endif

} // namespace

EventClock::EventClock()
{
#ifdef SLUICE_EVENT_CLOCK_TSC
    m_useTsc = hasInvariantTsc();
#endif
    m_anchorNs = steadyNs();
    m_anchorTicks = ticks();
}

double EventClock::nsPerTick() const
{
    if (!m_useTsc)
        return 1.0;
    const qint64 nowNs = steadyNs();
    const quint64 nowTicks = ticks();
    // Right after the anchor the rate is unknown: 1 tick per ns is off by the few ns passed.
    if (nowTicks <= m_anchorTicks || nowNs <= m_anchorNs)
        return 1.0;
    return double(nowNs - m_anchorNs) / double(nowTicks - m_anchorTicks);
}

qint64 EventClock::toSteadyNs(quint64 value, double nsPerTick) const
{
    if (!m_useTsc)
        return qint64(value);
    return m_anchorNs + qint64(double(qint64(value - m_anchorTicks)) * nsPerTick);
}

} // namespace sluice
