// SPDX-License-Identifier: Apache-2.0
#include "connection_registry.h"

#include <QMetaObject>
#include <QObject>
#include <algorithm>

namespace sluice {

ConnectionRegistry::Handle
ConnectionRegistry::add(const ConnectionInfo &info, QObject *context,
                        std::function<void(int code, const QString &reason)> close)
{
    auto entry = std::make_shared<Entry>();
    entry->info = info;
    entry->context = context;
    entry->close = std::move(close);
    if (info.peer == EventPeer::Client)
        m_clientsAccepted.fetch_add(1, std::memory_order_relaxed);
    std::lock_guard lock(m_mutex);
    m_entries.insert(info.id, entry);
    return entry;
}

void ConnectionRegistry::remove(Handle &handle)
{
    if (!handle)
        return;
    std::lock_guard lock(m_mutex);
    const auto it = m_entries.constFind(handle->info.id);
    if (it != m_entries.constEnd() && it.value() == handle)
        m_entries.erase(it);
    m_closedFramesIn += handle->framesIn.load(std::memory_order_relaxed);
    m_closedFramesOut += handle->framesOut.load(std::memory_order_relaxed);
    handle.reset();
}

QList<ConnectionInfo> ConnectionRegistry::snapshot() const
{
    QList<ConnectionInfo> result;
    std::lock_guard lock(m_mutex);
    result.reserve(m_entries.size());
    for (const Handle &entry : m_entries) {
        ConnectionInfo info = entry->info;
        info.framesIn = entry->framesIn.load(std::memory_order_relaxed);
        info.framesOut = entry->framesOut.load(std::memory_order_relaxed);
        result.append(info);
    }
    // Oldest first, then by id: a stable order for views and for the management API.
    std::sort(result.begin(), result.end(), [](const ConnectionInfo &a, const ConnectionInfo &b) {
        return a.openedMs != b.openedMs ? a.openedMs < b.openedMs : a.id < b.id;
    });
    return result;
}

bool ConnectionRegistry::close(const QString &id, int code, const QString &reason) const
{
    std::lock_guard lock(m_mutex);
    const Handle entry = m_entries.value(id);
    if (!entry || !entry->context)
        return false;
    // Under the mutex the context is alive (it unregisters before it goes); a posted call to an
    // object deleted before it runs is discarded by Qt.
    QMetaObject::invokeMethod(
        entry->context, [close = entry->close, code, reason] { close(code, reason); },
        Qt::QueuedConnection);
    return true;
}

int ConnectionRegistry::count(EventPeer peer) const
{
    std::lock_guard lock(m_mutex);
    int n = 0;
    for (const Handle &entry : m_entries)
        n += entry->info.peer == peer ? 1 : 0;
    return n;
}

quint64 ConnectionRegistry::totalFramesIn() const
{
    std::lock_guard lock(m_mutex);
    quint64 total = m_closedFramesIn;
    for (const Handle &entry : m_entries)
        total += entry->framesIn.load(std::memory_order_relaxed);
    return total;
}

quint64 ConnectionRegistry::totalFramesOut() const
{
    std::lock_guard lock(m_mutex);
    quint64 total = m_closedFramesOut;
    for (const Handle &entry : m_entries)
        total += entry->framesOut.load(std::memory_order_relaxed);
    return total;
}

} // namespace sluice
