// SPDX-License-Identifier: Apache-2.0
#include "worker_pool.h"
#include "epoll_event_dispatcher.h"
#include "invoke_and_wait.h"

#include <openssl/crypto.h>

namespace sluice {

WorkerPool::WorkerPool(int threads)
{
    if (threads <= 0)
        threads = std::max(1, QThread::idealThreadCount());
    for (int i = 0; i < threads; ++i) {
        auto thread = std::make_unique<QThread>();
        thread->setObjectName(QStringLiteral("sluice-worker-%1").arg(i));
        // epoll instead of Qt's poll(2) over every socket (epoll_event_dispatcher.h);
        // SLUICE_EVENT_DISPATCHER=qt keeps Qt's own, for comparison.
        if (qEnvironmentVariable("SLUICE_EVENT_DISPATCHER") != QLatin1String("qt")) {
            auto dispatcher = std::make_unique<EpollEventDispatcher>();
            if (dispatcher->isValid())
                thread->setEventDispatcher(dispatcher.release());
        }
        auto *context = new QObject;
        context->moveToThread(thread.get());
        QObject::connect(thread.get(), &QThread::finished, context, &QObject::deleteLater);
        releaseOpenSslStateWhenFinished(thread.get());
        thread->start();
        m_contexts.push_back(context);
        m_threads.push_back(std::move(thread));
    }
}

WorkerPool::~WorkerPool()
{
    stop();
}

int WorkerPool::nextIndex()
{
    const int index = m_next;
    m_next = (m_next + 1) % size();
    return index;
}

void WorkerPool::runAndWait(int index, const std::function<void()> &work) const
{
    QThread *target = thread(index);
    if (!target->isRunning())
        return;
    if (QThread::currentThread() == target) {
        work();
        return;
    }
    invokeAndWait(m_contexts[size_t(index)], work);
}

void WorkerPool::stop()
{
    for (auto &thread : m_threads) {
        thread->quit();
        thread->wait();
    }
}

void releaseOpenSslStateWhenFinished(QThread *thread)
{
    // A direct connection: QThread::finished is emitted on the finishing thread.
    QObject::connect(thread, &QThread::finished, [] { OPENSSL_thread_stop(); });
}

} // namespace sluice
