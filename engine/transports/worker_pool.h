// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QObject>
#include <QThread>
#include <functional>
#include <memory>
#include <vector>

namespace sluice {

// The event-loop threads that serve connections. A connection, and every backend connection it
// opens, lives on one worker for its whole life, so the hot path takes no locks; work for
// another worker is posted to its event loop.
class WorkerPool {
public:
    // threads <= 0: one per core.
    explicit WorkerPool(int threads);
    ~WorkerPool();
    WorkerPool(const WorkerPool &) = delete;
    WorkerPool &operator=(const WorkerPool &) = delete;

    int size() const { return int(m_threads.size()); }
    QThread *thread(int index) const { return m_threads[size_t(index)].get(); }
    // Index of the worker that should take the next connection (round robin).
    int nextIndex();
    // Runs `work` on the worker's event loop and waits for it (for setup and teardown only).
    void runAndWait(int index, const std::function<void()> &work) const;
    void stop();

private:
    std::vector<std::unique_ptr<QThread>> m_threads;
    std::vector<QObject *> m_contexts; // one QObject living in each worker, to post work to
    int m_next = 0;
};

// OpenSSL keeps state per thread (a thread's random generators, the error queue of a thread that
// saw a TLS error) and frees it from a thread-exit handler. QThread threads are detached, and
// QThread::wait() returns before that handler has run: when the process exits right after, the
// handler runs after OPENSSL_cleanup or not at all, and LeakSanitizer reports the state. This
// frees it on the thread itself when it finishes, before wait() returns. Call before start().
void releaseOpenSslStateWhenFinished(QThread *thread);

} // namespace sluice
