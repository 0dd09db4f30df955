// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QObject>
#include <QThread>

namespace sluice {

// One object per thread, kept in the caller's thread_local `slot`: made by `make` on the
// thread's first call, deleted when the thread finishes (a worker thread's event loop ends).
template <typename T, typename Make> T &perThreadInstance(T *&slot, Make make)
{
    if (!slot) {
        slot = make();
        // The slot is this thread's; `finished` is delivered on this thread.
        if (QThread *thread = QThread::currentThread(); thread != nullptr)
            QObject::connect(thread, &QThread::finished, slot, [&slot] {
                delete slot;
                slot = nullptr;
            });
    }
    return *slot;
}

} // namespace sluice
