// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QBasicTimer>
#include <QObject>

namespace sluice {

// Gives the heap's free pages back to the kernel once a burst of connections has settled.
// Opening a WebSocket pair allocates and frees many temporary objects (the handshake's parsing,
// the request, the first frames) between the long-lived ones; glibc keeps those freed pages
// resident until malloc_trim(3) releases them: about 3 KiB per idle pair after 9,500 pairs were
// opened at once (docs/performance.md, W3). One trim per settled burst, never on the hot path.
// One per worker thread: client and backend connections of the thread count alike.
class HeapTrimmer : public QObject {
public:
    // A connection of the calling thread opened or closed.
    static void noteChurn();

protected:
    void timerEvent(QTimerEvent *event) override;

private:
    void churn();

    QBasicTimer m_settle;
    int m_churn = 0;        // connections opened or closed since the last trim
    int m_churnAtCheck = 0; // m_churn when the settle timer was last armed
};

} // namespace sluice
