// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QBasicTimer>
#include <QDeadlineTimer>
#include <QObject>
#include <functional>

namespace sluice {

// A deadline that moves on often and expires rarely, such as a keep-alive connection's idle
// timeout, pushed back by every request. A QTimer restarted per request registers and
// unregisters a timer with the event dispatcher each time (about 3,500 instructions per HTTP
// request in W4, docs/performance.md); this one keeps the armed timer when the deadline moves
// later, and when that timer fires before the deadline, arms it again for the rest. Only a
// deadline earlier than the armed one restarts the timer.
class LazyDeadlineTimer : public QObject {
public:
    LazyDeadlineTimer(QObject *parent, std::function<void()> expired);

    // Calls `expired` once at `due`, unless moved or stopped before.
    void expireAt(QDeadlineTimer due);
    void expireIn(qint64 ms) { expireAt(QDeadlineTimer(ms)); }
    void stop() { m_due = QDeadlineTimer(QDeadlineTimer::Forever); }

protected:
    void timerEvent(QTimerEvent *event) override;

private:
    void arm(QDeadlineTimer at);

    std::function<void()> m_expired;
    QBasicTimer m_timer;
    QDeadlineTimer m_armed; // when m_timer fires, if active
    QDeadlineTimer m_due{QDeadlineTimer::Forever};
};

} // namespace sluice
