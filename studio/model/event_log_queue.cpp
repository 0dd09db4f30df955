// SPDX-License-Identifier: Apache-2.0
#include "event_log_queue.h"

#include <algorithm>
#include <utility>

namespace sluice::studio {

EventLogQueue::EventLogQueue(int capacity)
    : m_capacity(std::max(1, capacity))
{
}

bool EventLogQueue::push(const MessageEvent &event)
{
    const std::lock_guard lock(m_mutex);
    if (m_events.size() >= m_capacity) {
        ++m_dropped;
        return false;
    }
    m_events.append(event);
    return true;
}

EventLogQueue::Batch EventLogQueue::take()
{
    Batch batch;
    const std::lock_guard lock(m_mutex);
    batch.events = std::exchange(m_events, {});
    batch.dropped = std::exchange(m_dropped, 0);
    return batch;
}

} // namespace sluice::studio
