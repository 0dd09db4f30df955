// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QAbstractEventDispatcher>
#include <QHash>
#include <QSocketNotifier>
#include <atomic>
#include <map>
#include <sys/epoll.h>
#include <unordered_map>
#include <vector>

namespace sluice {

// An event dispatcher for the runtime's worker threads on Linux epoll(7). Qt 6.4's own
// dispatchers (GLib and UNIX) hand every socket of the thread to poll(2) on every wake-up: with
// thousands of connections per worker, each message pays for all of them (bench/compare.py W3
// paired 169 connections per second at 9,500 pairs; docs/performance.md). epoll keeps the
// interest list in the kernel and returns only the sockets that are ready, as nginx does.
//
// It keeps Qt's semantics: level-triggered socket notifiers (QEvent::SockAct), timers delivered
// as QTimerEvent in deadline order (a zero-interval timer fires once per pass), posted events
// first, wakeUp() from any thread through an eventfd, interrupt() ending a blocking pass.
class EpollEventDispatcher final : public QAbstractEventDispatcher {
    Q_OBJECT
public:
    // Told directly when its descriptor is readable (or failed, or hung up): no QSocketNotifier,
    // no QEvent, no signal. For the WebSocket data path, where Qt's notifier, its readyRead and
    // re-arming it after every read cost about a tenth of a proxied message (docs/performance.md).
    class Reader {
    public:
        virtual void descriptorReadable() = 0;

    protected:
        ~Reader() = default;
    };

    explicit EpollEventDispatcher(QObject *parent = nullptr);
    ~EpollEventDispatcher() override;

    // The calling thread's dispatcher when it is one of these, else null.
    static EpollEventDispatcher *ofCurrentThread();

    // False when the kernel refused epoll or eventfd: use Qt's own dispatcher then.
    bool isValid() const { return m_epoll >= 0 && m_wake >= 0; }

    bool processEvents(QEventLoop::ProcessEventsFlags flags) override;
    void registerSocketNotifier(QSocketNotifier *notifier) override;
    void unregisterSocketNotifier(QSocketNotifier *notifier) override;
    void registerTimer(int timerId, qint64 interval, Qt::TimerType timerType,
                       QObject *object) override;
    bool unregisterTimer(int timerId) override;
    bool unregisterTimers(QObject *object) override;
    QList<TimerInfo> registeredTimers(QObject *object) const override;
    int remainingTime(int timerId) override;
    void wakeUp() override;
    void interrupt() override;

    // Watches `fd` for input on behalf of `reader` (one per descriptor, beside Qt's notifiers).
    // The reader must remove itself before the descriptor is closed, or right after, before
    // control returns to the event loop.
    void addReader(qintptr fd, Reader *reader);
    void removeReader(qintptr fd, Reader *reader);

protected:
    void connectNotify(const QMetaMethod &signal) override;
    void disconnectNotify(const QMetaMethod &signal) override;

private:
    struct Watch {
        QSocketNotifier *read = nullptr;
        QSocketNotifier *write = nullptr;
        QSocketNotifier *exception = nullptr;
        Reader *reader = nullptr;
        bool empty() const { return !read && !write && !exception && !reader; }
    };
    // A notifier or reader to tell, found in one pass's batch.
    struct Activation {
        qintptr fd;
        QSocketNotifier::Type type;
        QSocketNotifier *notifier; // null: the descriptor's reader
        Reader *reader = nullptr;
    };
    struct Timer {
        int id = 0;
        qint64 intervalMs = 0;
        Qt::TimerType type = Qt::CoarseTimer;
        QObject *object = nullptr;
        qint64 deadlineNs = 0;
        bool firing = false; // in its timerEvent: not fired again by a nested loop
        std::multimap<qint64, int>::iterator queued;
    };

    static quint32 interestOf(const Watch &watch);
    void markChanged(qintptr fd);
    void syncInterest();
    // Erases a descriptor nothing watches any more, and takes it off the kernel's list now: a
    // descriptor reused with the same number must be registered anew.
    void forget(qintptr fd);
    // The descriptor's watch when anything watches it, else null. Inline: once per ready
    // descriptor, and again before each notifier's delivery.
    Watch *watchOf(qintptr fd)
    {
        if (fd < 0 || size_t(fd) >= m_watches.size())
            return nullptr;
        Watch &watch = m_watches[size_t(fd)];
        return watch.empty() ? nullptr : &watch;
    }
    // The descriptor's watch, made room for.
    Watch &watchFor(qintptr fd);
    bool dispatchSockets(const std::vector<epoll_event> &batch, int ready);
    void drainWakeUp();
    void signalAwake();
    bool dispatchTimers();
    int msUntilNextTimer() const;
    void schedule(Timer &timer, qint64 deadlineNs);

    int m_epoll = -1;
    int m_wake = -1; // eventfd: wakeUp() from any thread
    // Set by the wakeUp() that writes the eventfd, cleared once the loop has read it: the
    // wake-ups in between have nothing to add (see wakeUp()).
    std::atomic<bool> m_wakePending{false};
    std::atomic<bool> m_interrupted{false};
    // By descriptor number (small and dense, as the kernel hands them out): each ready
    // descriptor of a pass costs an index instead of two hash lookups. An empty Watch: none.
    std::vector<Watch> m_watches;
    // What the kernel's interest list holds per descriptor, and the descriptors whose notifiers
    // changed since it was last brought up to date (just before each epoll_wait). Qt enables a
    // socket's write notifier for every write and disables it once the data is out; within one
    // pass that is no change at all, and costs no system call.
    QHash<qintptr, quint32> m_kernel;
    std::vector<qintptr> m_changed;
    std::unordered_map<int, Timer> m_timers;
    std::multimap<qint64, int> m_queue; // deadline (steady ns) -> timer id
    std::vector<epoll_event> m_ready;
    // A pass is walking m_ready (telling readers, delivering activations).
    bool m_walking = false;
    std::vector<Activation> m_activations;
    // Receivers of awake() and aboutToBlock(), counted as they connect and disconnect: a pass
    // tests two integers instead of asking the meta-object system three times (a tenth of the
    // user time of a pass that carries one message). Connections may be made from any thread.
    // A disconnect that does not name its signal (all of them at once) is not counted down:
    // the signal is then emitted to nobody, which is what an unconnected signal costs anyway.
    std::atomic<int> m_awakeReceivers{0};
    std::atomic<int> m_aboutToBlockReceivers{0};
};

} // namespace sluice
