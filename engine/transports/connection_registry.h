// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "runtime/runtime_status.h"

#include <QHash>
#include <QList>
#include <QString>
#include <atomic>
#include <functional>
#include <memory>
#include <mutex>

class QObject;

namespace sluice {

// The open client and backend connections of a runtime, with their frame counts, readable from
// any thread (the management API, the studio's connections view). Connections live on worker
// threads: they register when they open and leave when they close (both rare, under a mutex);
// on the hot path they only bump their own relaxed atomic counters, never a shared one.
class ConnectionRegistry {
public:
    struct Entry {
        ConnectionInfo info; // fixed when registered; the frame counts below are live
        std::atomic<quint64> framesIn{0};
        std::atomic<quint64> framesOut{0};
        QObject *context = nullptr; // lives on the connection's thread; close() runs there
        std::function<void(int code, const QString &reason)> close;

        // Only the connection's own thread counts, others only read: a relaxed load and store
        // (no locked read-modify-write instruction) cannot lose a count.
        void countIn() { bump(framesIn); }
        void countOut() { bump(framesOut); }

    private:
        static void bump(std::atomic<quint64> &count)
        {
            count.store(count.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
        }
    };
    using Handle = std::shared_ptr<Entry>;

    // `close` is called on `context`'s thread; `context` must unregister before it is deleted.
    Handle add(const ConnectionInfo &info, QObject *context,
               std::function<void(int code, const QString &reason)> close);
    // Idempotent; keeps the connection's frame counts in the totals.
    void remove(Handle &handle);

    QList<ConnectionInfo> snapshot() const;
    // Posts a close to the connection's thread; false when no connection has this id.
    bool close(const QString &id, int code, const QString &reason) const;

    int count(EventPeer peer) const;
    quint64 clientsAccepted() const { return m_clientsAccepted.load(std::memory_order_relaxed); }
    // Frames over every connection, open and closed.
    quint64 totalFramesIn() const;
    quint64 totalFramesOut() const;

private:
    mutable std::mutex m_mutex;
    QHash<QString, Handle> m_entries;
    quint64 m_closedFramesIn = 0;
    quint64 m_closedFramesOut = 0;
    std::atomic<quint64> m_clientsAccepted{0};
};

} // namespace sluice
