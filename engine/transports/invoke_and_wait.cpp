// SPDX-License-Identifier: Apache-2.0
#include "invoke_and_wait.h"

#include <QMetaObject>
#include <QObject>
#include <atomic>

namespace sluice {

void invokeAndWait(QObject *context, const std::function<void()> &work)
{
    // Qt's blocking queued call orders the caller and `work` already, but inside libQt6Core
    // (a QMutex and a semaphore), which ThreadSanitizer does not see: Debian's Qt is not built
    // with it. The same order, stated again with an atomic it does see (a release store each
    // way, read back with acquire), so that setup done on a worker and read by the caller is
    // not reported as a race. It costs two atomic operations per call; these calls are for
    // setup and teardown, never per message.
    std::atomic<int> handOver{0};
    handOver.store(1, std::memory_order_release);
    QMetaObject::invokeMethod(
        context,
        [&handOver, &work] {
            (void)handOver.load(std::memory_order_acquire);
            work();
            handOver.store(2, std::memory_order_release);
        },
        Qt::BlockingQueuedConnection);
    (void)handOver.load(std::memory_order_acquire);
}

} // namespace sluice
