// SPDX-License-Identifier: Apache-2.0
#include "lazy_deadline_timer.h"

#include <QTimerEvent>
#include <algorithm>
#include <climits>

namespace sluice {

LazyDeadlineTimer::LazyDeadlineTimer(QObject *parent, std::function<void()> expired)
    : QObject(parent)
    , m_expired(std::move(expired))
{
}

void LazyDeadlineTimer::expireAt(QDeadlineTimer due)
{
    m_due = due;
    if (m_timer.isActive() && !(due < m_armed))
        return; // the armed timer comes first and arms itself again for the rest
    arm(due);
}

void LazyDeadlineTimer::arm(QDeadlineTimer at)
{
    m_armed = at;
    m_timer.start(int(std::clamp<qint64>(at.remainingTime(), 0, INT_MAX)), this);
}

void LazyDeadlineTimer::timerEvent(QTimerEvent *event)
{
    if (event->timerId() != m_timer.timerId()) {
        QObject::timerEvent(event);
        return;
    }
    m_timer.stop();
    if (m_due.isForever())
        return; // stopped since it was armed
    if (!m_due.hasExpired()) {
        arm(m_due); // moved later since it was armed (or a coarse timer came early)
        return;
    }
    m_due = QDeadlineTimer(QDeadlineTimer::Forever);
    m_expired();
}

} // namespace sluice
