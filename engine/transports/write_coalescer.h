// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QBasicTimer>
#include <QObject>
#include <vector>

namespace sluice {

// Something with bytes to write once the current pass of its thread's event loop is over.
class CoalescedWriter {
public:
    virtual void writeCoalesced() = 0;

protected:
    ~CoalescedWriter() = default;
};

// Writes the output that a pass of a worker's event loop produced together, at the end of the
// pass, instead of one write per answer as each is made. With 100 keep-alive clients, answers
// written one by one as requests are read wake the client (wrk) for almost every answer: 0.3
// sleeps of the client per request against 0.03 when they go out together, and each wake-up
// of a process on another CPU costs the writer several microseconds in the kernel
// (docs/performance.md, W4). The end of the pass is a zero-interval timer: the worker's
// dispatcher delivers it right after the sockets that were ready (epoll_event_dispatcher.h), and
// any other dispatcher on its next pass; no system call is spent on it.
class WriteCoalescer : public QObject {
public:
    // Calls writer->writeCoalesced() at the end of the calling thread's current pass.
    static void queue(CoalescedWriter *writer);
    // The writer goes away: it is not called.
    static void forget(CoalescedWriter *writer);

protected:
    void timerEvent(QTimerEvent *event) override;

private:
    QBasicTimer m_passEnd;
    std::vector<CoalescedWriter *> m_queued; // a forgotten one stays as nullptr until the pass end
};

} // namespace sluice
