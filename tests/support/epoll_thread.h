// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "transports/epoll_event_dispatcher.h"

#include <QObject>
#include <QThread>
#include <functional>

namespace sluice::test {

// A thread running its event loop on the workers' epoll dispatcher, stopped however the test
// ends.
class EpollThread {
public:
    EpollThread()
    {
        auto *dispatcher = new EpollEventDispatcher;
        valid = dispatcher->isValid();
        thread.setEventDispatcher(dispatcher);
        thread.start();
        context.moveToThread(&thread);
    }
    ~EpollThread() { stop(); }
    void stop()
    {
        thread.quit();
        thread.wait();
    }
    // Runs `work` on the thread and waits for it.
    void run(const std::function<void()> &work)
    {
        QMetaObject::invokeMethod(&context, work, Qt::BlockingQueuedConnection);
    }

    QThread thread;
    QObject context;
    bool valid = false;
};

} // namespace sluice::test
