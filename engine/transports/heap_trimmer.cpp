// SPDX-License-Identifier: Apache-2.0
#include "heap_trimmer.h"

#include "per_thread_instance.h"
#include "runtime/logger.h"

#include <QElapsedTimer>
#include <QTimerEvent>
#ifdef __GLIBC__
#include <malloc.h>
#endif

namespace sluice {

namespace {

// A burst is over when no connection opened or closed for this long.
constexpr int kSettleMs = 300;
// Fewer connections than this leave too little behind to be worth a trim (it walks the heap).
constexpr int kMinChurn = 256;

thread_local HeapTrimmer *t_trimmer = nullptr;

} // namespace

void HeapTrimmer::noteChurn()
{
    perThreadInstance(t_trimmer, [] { return new HeapTrimmer; }).churn();
}

void HeapTrimmer::churn()
{
    ++m_churn;
    // Armed once per quiet period, not restarted per connection.
    if (!m_settle.isActive()) {
        m_churnAtCheck = m_churn;
        m_settle.start(kSettleMs, this);
    }
}

void HeapTrimmer::timerEvent(QTimerEvent *event)
{
    if (event->timerId() != m_settle.timerId()) {
        QObject::timerEvent(event);
        return;
    }
    if (m_churn != m_churnAtCheck) {
        m_churnAtCheck = m_churn; // still busy: look again later
        return;
    }
    m_settle.stop();
    if (m_churn < kMinChurn)
        return;
    m_churn = 0;
#ifdef __GLIBC__
    QElapsedTimer clock;
    clock.start();
    malloc_trim(0);
    Logger::instance().log(
        LogLevel::Debug, QStringLiteral("memory"),
        QStringLiteral("heap trimmed after a burst of connections in %1 ms").arg(clock.elapsed()));
#endif
}

} // namespace sluice
