// SPDX-License-Identifier: Apache-2.0
#include "epoll_event_dispatcher.h"

#include <QCoreApplication>
#include <QMetaMethod>
#include <QSocketNotifier>
#include <QTimerEvent>
#include <algorithm>
#include <cerrno>
#include <chrono>
#include <climits>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <utility>

namespace sluice {

namespace {

qint64 nowNs()
{
    return std::chrono::duration_cast<std::chrono::nanoseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

constexpr qint64 kNsPerMs = 1000000;
// Ready descriptors taken per epoll_wait: this many at first, doubled after a full batch.
constexpr size_t kFirstBatch = 256;
constexpr size_t kLargestBatch = 8192;

} // namespace

EpollEventDispatcher::EpollEventDispatcher(QObject *parent)
    : QAbstractEventDispatcher(parent)
    , m_epoll(epoll_create1(EPOLL_CLOEXEC))
    , m_wake(eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK))
    , m_ready(kFirstBatch)
{
    if (isValid()) {
        epoll_event event{};
        event.events = EPOLLIN;
        event.data.fd = -1; // the wake-up eventfd; sockets carry their own descriptor
        if (epoll_ctl(m_epoll, EPOLL_CTL_ADD, m_wake, &event) != 0) {
            close(m_wake);
            m_wake = -1;
        }
    }
}

EpollEventDispatcher::~EpollEventDispatcher()
{
    if (m_wake >= 0)
        close(m_wake);
    if (m_epoll >= 0)
        close(m_epoll);
}

EpollEventDispatcher *EpollEventDispatcher::ofCurrentThread()
{
    return qobject_cast<EpollEventDispatcher *>(QAbstractEventDispatcher::instance());
}

namespace {

const QMetaMethod &awakeSignal()
{
    static const QMetaMethod method = QMetaMethod::fromSignal(&QAbstractEventDispatcher::awake);
    return method;
}

const QMetaMethod &aboutToBlockSignal()
{
    static const QMetaMethod method =
        QMetaMethod::fromSignal(&QAbstractEventDispatcher::aboutToBlock);
    return method;
}

} // namespace

// Emitted only when connected: an unconnected signal still costs a meta-object call, twice
// or three times per pass, that is per message or two under load.
void EpollEventDispatcher::signalAwake()
{
    if (m_awakeReceivers.load(std::memory_order_relaxed) > 0)
        emit awake();
}

void EpollEventDispatcher::connectNotify(const QMetaMethod &signal)
{
    if (signal == awakeSignal())
        m_awakeReceivers.fetch_add(1, std::memory_order_relaxed);
    else if (signal == aboutToBlockSignal())
        m_aboutToBlockReceivers.fetch_add(1, std::memory_order_relaxed);
}

void EpollEventDispatcher::disconnectNotify(const QMetaMethod &signal)
{
    if (signal == awakeSignal())
        m_awakeReceivers.fetch_sub(1, std::memory_order_relaxed);
    else if (signal == aboutToBlockSignal())
        m_aboutToBlockReceivers.fetch_sub(1, std::memory_order_relaxed);
}

quint32 EpollEventDispatcher::interestOf(const Watch &watch)
{
    // A descriptor only a Reader watches is edge-triggered: a reader reads until the kernel
    // has nothing more (a short read or EAGAIN, WsStream::readPlain), and every byte the kernel
    // queues later reports it again. Level-triggered, each report put it back on the ready list
    // for the next epoll_wait to poll it once more and find it empty: kernel time per message
    // nginx, which registers its sockets edge-triggered, does not spend (docs/performance.md,
    // "The kernel's part again"). Qt's notifiers expect level-triggered reports.
    const bool edge = watch.reader && !watch.read && !watch.write && !watch.exception;
    return (watch.read || watch.reader ? EPOLLIN | EPOLLRDHUP : 0u) |
           (watch.write ? EPOLLOUT : 0u) | (watch.exception ? EPOLLPRI : 0u) |
           (edge ? quint32(EPOLLET) : 0u);
}

void EpollEventDispatcher::markChanged(qintptr fd)
{
    m_changed.push_back(fd);
}

void EpollEventDispatcher::syncInterest()
{
    for (const qintptr fd : m_changed) {
        const Watch *watch = watchOf(fd);
        const quint32 wanted = watch ? interestOf(*watch) : 0u;
        const auto kernel = m_kernel.find(fd);
        const bool known = kernel != m_kernel.end();
        if (known && kernel.value() == wanted)
            continue;
        const int descriptor = int(fd);
        epoll_event event{};
        event.events = wanted;
        event.data.fd = descriptor;
        if (wanted == 0) {
            // The descriptor may be closed already (the kernel then forgot it): nothing to undo.
            if (known) {
                epoll_ctl(m_epoll, EPOLL_CTL_DEL, descriptor, &event);
                m_kernel.erase(kernel);
            }
            continue;
        }
        // A descriptor closed and reused without unregistering is unknown to the kernel though
        // known here, and the reverse: each operation falls back to the other.
        if (known) {
            if (epoll_ctl(m_epoll, EPOLL_CTL_MOD, descriptor, &event) != 0 && errno == ENOENT)
                epoll_ctl(m_epoll, EPOLL_CTL_ADD, descriptor, &event);
        } else if (epoll_ctl(m_epoll, EPOLL_CTL_ADD, descriptor, &event) != 0 && errno == EEXIST) {
            epoll_ctl(m_epoll, EPOLL_CTL_MOD, descriptor, &event);
        }
        m_kernel.insert(fd, wanted);
    }
    m_changed.clear();
}

void EpollEventDispatcher::registerSocketNotifier(QSocketNotifier *notifier)
{
    const qintptr fd = notifier->socket();
    Watch &watch = watchFor(fd);
    QSocketNotifier *&slot = notifier->type() == QSocketNotifier::Read    ? watch.read
                             : notifier->type() == QSocketNotifier::Write ? watch.write
                                                                          : watch.exception;
    if (slot && slot != notifier) {
        // Another notifier still holds this descriptor: it was closed without being
        // unregistered and the number reused. The kernel forgot the old one; register anew.
        m_kernel.remove(fd);
    }
    slot = notifier;
    markChanged(fd);
}

void EpollEventDispatcher::unregisterSocketNotifier(QSocketNotifier *notifier)
{
    const qintptr fd = notifier->socket();
    Watch *found = watchOf(fd);
    if (!found)
        return;
    Watch &watch = *found;
    if (watch.read == notifier)
        watch.read = nullptr;
    if (watch.write == notifier)
        watch.write = nullptr;
    if (watch.exception == notifier)
        watch.exception = nullptr;
    if (!watch.empty()) {
        markChanged(fd); // e.g. the write notifier, off again once the data is out
        return;
    }
    // The last notifier of a descriptor goes before the descriptor is closed (Qt's sockets do
    // it in that order).
    forget(fd);
}

void EpollEventDispatcher::forget(qintptr fd)
{
    m_watches[size_t(fd)] = Watch{};
    if (const auto kernel = m_kernel.find(fd); kernel != m_kernel.end()) {
        epoll_event event{};
        epoll_ctl(m_epoll, EPOLL_CTL_DEL, int(fd), &event);
        m_kernel.erase(kernel);
    }
}

void EpollEventDispatcher::addReader(qintptr fd, Reader *reader)
{
    watchFor(fd).reader = reader;
    markChanged(fd);
}

void EpollEventDispatcher::removeReader(qintptr fd, Reader *reader)
{
    Watch *watch = watchOf(fd);
    if (!watch || watch->reader != reader)
        return;
    watch->reader = nullptr;
    if (watch->empty())
        forget(fd);
    else
        markChanged(fd);
}

EpollEventDispatcher::Watch &EpollEventDispatcher::watchFor(qintptr fd)
{
    Q_ASSERT(fd >= 0);
    if (size_t(fd) >= m_watches.size())
        m_watches.resize(size_t(fd) + 1); // the vector grows its capacity geometrically
    return m_watches[size_t(fd)];
}

void EpollEventDispatcher::schedule(Timer &timer, qint64 deadlineNs)
{
    if (timer.queued != m_queue.end())
        m_queue.erase(timer.queued);
    timer.deadlineNs = deadlineNs;
    timer.queued = m_queue.emplace(deadlineNs, timer.id);
}

void EpollEventDispatcher::registerTimer(int timerId, qint64 interval, Qt::TimerType timerType,
                                         QObject *object)
{
    Timer timer;
    timer.id = timerId;
    timer.intervalMs = interval;
    timer.type = timerType;
    timer.object = object;
    timer.queued = m_queue.end();
    Timer &stored = m_timers.insert_or_assign(timerId, timer).first->second;
    schedule(stored, nowNs() + interval * kNsPerMs);
}

bool EpollEventDispatcher::unregisterTimer(int timerId)
{
    const auto it = m_timers.find(timerId);
    if (it == m_timers.end())
        return false;
    m_queue.erase(it->second.queued);
    m_timers.erase(it);
    return true;
}

bool EpollEventDispatcher::unregisterTimers(QObject *object)
{
    bool any = false;
    for (auto it = m_timers.begin(); it != m_timers.end();) {
        if (it->second.object == object) {
            m_queue.erase(it->second.queued);
            it = m_timers.erase(it);
            any = true;
        } else {
            ++it;
        }
    }
    return any;
}

QList<QAbstractEventDispatcher::TimerInfo>
EpollEventDispatcher::registeredTimers(QObject *object) const
{
    QList<TimerInfo> timers;
    for (const auto &[id, timer] : m_timers) {
        if (timer.object == object)
            timers.append(TimerInfo(id, int(timer.intervalMs), timer.type));
    }
    return timers;
}

int EpollEventDispatcher::remainingTime(int timerId)
{
    const auto it = m_timers.find(timerId);
    if (it == m_timers.end())
        return -1;
    const qint64 left = (it->second.deadlineNs - nowNs() + kNsPerMs - 1) / kNsPerMs;
    return int(std::clamp<qint64>(left, 0, INT_MAX));
}

void EpollEventDispatcher::wakeUp()
{
    // One write until the loop has read the eventfd, as Qt's own dispatchers do: while the
    // write is pending the eventfd stays readable, so the loop cannot block, and the next
    // pass's sendPostedEvents() sends every event posted meanwhile. Qt wakes the loop once per
    // posted event: six writes per connection pair without this (docs/performance.md).
    if (m_wakePending.exchange(true, std::memory_order_acq_rel))
        return;
    const quint64 one = 1;
    // A full counter (it cannot be, short of 2^64 wake-ups) still wakes the loop.
    [[maybe_unused]] const auto written = write(m_wake, &one, sizeof one);
}

void EpollEventDispatcher::drainWakeUp()
{
    quint64 count = 0;
    [[maybe_unused]] const auto got = read(m_wake, &count, sizeof count);
    // Cleared after the read, never before: a wake-up between the two writes nothing, and its
    // event goes out with the next pass's sendPostedEvents(), which runs before the loop can
    // block. Cleared before the read, a wake-up in between would be read away with the flag
    // left set, and every later one would be lost.
    m_wakePending.store(false, std::memory_order_release);
}

void EpollEventDispatcher::interrupt()
{
    m_interrupted.store(true, std::memory_order_release);
    wakeUp();
}

int EpollEventDispatcher::msUntilNextTimer() const
{
    for (auto it = m_queue.begin(); it != m_queue.end(); ++it) {
        const Timer &timer = m_timers.at(it->second);
        if (timer.firing)
            continue; // not again inside its own timerEvent
        const qint64 left = (it->first - nowNs() + kNsPerMs - 1) / kNsPerMs;
        return int(std::clamp<qint64>(left, 0, INT_MAX));
    }
    return -1;
}

bool EpollEventDispatcher::processEvents(QEventLoop::ProcessEventsFlags flags)
{
    m_interrupted.store(false, std::memory_order_relaxed);
    signalAwake();
    // Events posted to this thread first (including deleteLater), as Qt's dispatchers do.
    QCoreApplication::sendPostedEvents();

    const bool wait = flags.testFlag(QEventLoop::WaitForMoreEvents) &&
                      !m_interrupted.load(std::memory_order_acquire);
    int timeout = 0;
    if (wait) {
        timeout = flags.testFlag(QEventLoop::X11ExcludeTimers) ? -1 : msUntilNextTimer();
        if (m_aboutToBlockReceivers.load(std::memory_order_relaxed) > 0)
            emit aboutToBlock();
    }
    bool dispatched = false;
    int ready = 0;
    if (flags.testFlag(QEventLoop::ExcludeSocketNotifiers)) {
        // Sockets stay out of this pass: wait for a wake-up or the next timer only (a ready
        // socket in the epoll set would end every wait at once).
        pollfd wake{m_wake, POLLIN, 0};
        if (poll(&wake, 1, timeout) > 0)
            drainWakeUp();
        if (wait)
            signalAwake();
    } else {
        if (!m_changed.empty())
            syncInterest();
        // This pass's batch. Readers are told while it is walked, so a nested pass (a slot that
        // runs an event loop) must not write over it: it gets a batch of its own.
        const bool nested = m_walking;
        std::vector<epoll_event> own;
        std::vector<epoll_event> &batch = nested ? own : m_ready;
        if (batch.empty())
            batch.resize(kFirstBatch);
        // The bare system call: glibc's epoll_wait is a cancellation point (direct_socket_calls.h).
        ready = std::max(
            0, int(::syscall(SYS_epoll_wait, m_epoll, batch.data(), int(batch.size()), timeout)));
        if (wait)
            signalAwake(); // ready < 0 is EINTR: a signal; the caller's loop comes back
        m_walking = true;
        dispatched = dispatchSockets(batch, ready);
        m_walking = nested;
        // A full batch: more sockets may be ready; a bigger batch next time.
        if (ready == int(batch.size()) && batch.size() < kLargestBatch)
            batch.resize(batch.size() * 2);
    }
    if (!flags.testFlag(QEventLoop::X11ExcludeTimers) && dispatchTimers())
        dispatched = true;
    return dispatched;
}

bool EpollEventDispatcher::dispatchSockets(const std::vector<epoll_event> &batch, int ready)
{
    // Activations of Qt's notifiers are collected first: a notifier's slot may close sockets
    // (and unregister notifiers) whose events are still in this batch. Each one is looked up
    // again before it is delivered.
    // A member, kept between passes: no allocation per pass. Taken over when the batch has a
    // notifier to tell (a pass of readers alone does without it); a nested pass (a slot that
    // runs an event loop) takes it over in turn, so this pass works on its own copy.
    std::vector<Activation> activations;
    bool taken = false;
    const auto activate = [&](const Activation &activation) {
        if (!taken) {
            activations = std::exchange(m_activations, {});
            activations.clear();
            taken = true;
        }
        activations.push_back(activation);
    };
    bool toldReaders = false;
    for (int i = 0; i < ready; ++i) {
        const epoll_event &event = batch[size_t(i)];
        if (event.data.fd == -1) {
            drainWakeUp();
            continue;
        }
        const Watch *found = watchOf(event.data.fd);
        if (!found)
            continue;
        const Watch &watch = *found;
        if (watch.reader && !watch.read && !watch.write && !watch.exception) {
            // Watched by a reader alone (a WebSocket stream's socket, the common case): told at
            // once. The lookup above is this moment's, so a reader that an earlier one in the
            // batch removed is not told; at worst a descriptor closed and reused meanwhile is
            // reported readable once without input, which a reader finds out with EAGAIN.
            watch.reader->descriptorReadable();
            toldReaders = true;
            continue;
        }
        // Errors and hang-ups wake readers and writers, which then find out what happened.
        const bool failed = event.events & (EPOLLERR | EPOLLHUP);
        const bool readable = failed || event.events & (EPOLLIN | EPOLLRDHUP);
        if (watch.reader && readable)
            activate({event.data.fd, QSocketNotifier::Read, nullptr, watch.reader});
        if (watch.read && readable)
            activate({event.data.fd, QSocketNotifier::Read, watch.read});
        if (watch.write && (failed || event.events & EPOLLOUT))
            activate({event.data.fd, QSocketNotifier::Write, watch.write});
        if (watch.exception && event.events & EPOLLPRI)
            activate({event.data.fd, QSocketNotifier::Exception, watch.exception});
    }
    for (const Activation &activation : activations) {
        // Looked up again: a slot before may have changed it, or grown the table.
        const Watch *found = watchOf(activation.fd);
        if (!found)
            continue;
        const Watch &watch = *found;
        if (activation.reader) {
            if (watch.reader == activation.reader)
                activation.reader->descriptorReadable();
            continue; // or removed meanwhile (and perhaps deleted)
        }
        QSocketNotifier *current = activation.type == QSocketNotifier::Read    ? watch.read
                                   : activation.type == QSocketNotifier::Write ? watch.write
                                                                               : watch.exception;
        if (current != activation.notifier)
            continue; // unregistered (and perhaps deleted) meanwhile
        QEvent event(QEvent::SockAct);
        QCoreApplication::sendEvent(current, &event);
    }
    const bool any = toldReaders || !activations.empty();
    if (taken)
        m_activations = std::move(activations);
    return any;
}

bool EpollEventDispatcher::dispatchTimers()
{
    if (m_queue.empty())
        return false; // no clock read for no timer
    const qint64 now = nowNs();
    std::vector<int> due;
    for (auto it = m_queue.begin(); it != m_queue.end() && it->first <= now; ++it)
        due.push_back(it->second);
    bool fired = false;
    for (const int id : due) {
        auto it = m_timers.find(id);
        if (it == m_timers.end() || it->second.firing)
            continue; // unregistered by an earlier timer of this pass, or in its own event
        Timer &timer = it->second;
        // The next deadline follows the previous one (no drift), but never lies in the past:
        // a timer that fell behind fires once, not once per missed interval.
        qint64 next = timer.deadlineNs + timer.intervalMs * kNsPerMs;
        if (next <= now)
            next = now + timer.intervalMs * kNsPerMs;
        schedule(timer, next);
        timer.firing = true;
        QObject *object = timer.object;
        QTimerEvent event(id);
        QCoreApplication::sendEvent(object, &event);
        fired = true;
        // The event may have unregistered the timer (single-shot timers do) or registered a
        // new one with the same id.
        if (auto again = m_timers.find(id); again != m_timers.end())
            again->second.firing = false;
    }
    return fired;
}

} // namespace sluice
