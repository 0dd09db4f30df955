// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "runtime/message_events.h"

#include <QList>
#include <mutex>

namespace sluice::studio {

// Hands message events from the runtime's worker threads to the GUI thread: workers push()
// (a short critical section, no allocation beyond the list's growth), the GUI takes everything
// at once on a timer, so that the table gets one batch per tick instead of one signal per event.
// Bounded: when the GUI falls behind, the newest events are refused and counted.
class EventLogQueue {
public:
    explicit EventLogQueue(int capacity = 200000);

    // From any thread. False when the queue was full (the event is counted as dropped).
    bool push(const MessageEvent &event);

    struct Batch {
        QList<MessageEvent> events;
        quint64 dropped = 0; // refused since the previous take()
    };
    // Everything queued, oldest first; leaves the queue empty.
    Batch take();

    int capacity() const { return m_capacity; }

private:
    mutable std::mutex m_mutex;
    QList<MessageEvent> m_events;
    quint64 m_dropped = 0;
    int m_capacity;
};

} // namespace sluice::studio
