// SPDX-License-Identifier: Apache-2.0
#include "write_coalescer.h"

#include "per_thread_instance.h"

#include <QTimerEvent>
#include <algorithm>

namespace sluice {

namespace {

thread_local WriteCoalescer *t_writeCoalescer = nullptr;

} // namespace

void WriteCoalescer::queue(CoalescedWriter *writer)
{
    WriteCoalescer &self = perThreadInstance(t_writeCoalescer, [] { return new WriteCoalescer; });
    self.m_queued.push_back(writer);
    if (!self.m_passEnd.isActive())
        self.m_passEnd.start(0, Qt::PreciseTimer, &self);
}

void WriteCoalescer::forget(CoalescedWriter *writer)
{
    if (!t_writeCoalescer)
        return; // the thread's loop has ended: nothing will be written any more
    auto &queued = t_writeCoalescer->m_queued;
    std::replace(queued.begin(), queued.end(), writer, static_cast<CoalescedWriter *>(nullptr));
}

void WriteCoalescer::timerEvent(QTimerEvent *event)
{
    if (event->timerId() != m_passEnd.timerId()) {
        QObject::timerEvent(event);
        return;
    }
    m_passEnd.stop();
    // A writer may queue again (or others may be queued) while this runs: those wait for the
    // next pass end, which the timer started by queue() brings. Index-based, as the vector grows.
    const size_t count = m_queued.size();
    for (size_t i = 0; i < count; ++i) {
        if (CoalescedWriter *writer = m_queued[i]) {
            m_queued[i] = nullptr;
            writer->writeCoalesced();
        }
    }
    m_queued.erase(m_queued.begin(), m_queued.begin() + qsizetype(count));
}

} // namespace sluice
