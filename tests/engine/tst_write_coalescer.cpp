// SPDX-License-Identifier: Apache-2.0
// WriteCoalescer calls the writers queued during one pass of a thread's event loop once each,
// in queue order, after the pass's work and never from inside queue(); a forgotten writer is
// not called; a writer queued while the coalescer writes waits for the next pass; what is
// queued before a worker's loop ends is written. On a worker's epoll dispatcher and on Qt's own
// (the test's main thread).
#include "epoll_thread.h"
#include "transports/write_coalescer.h"

#include <QTest>
#include <QThread>
#include <atomic>
#include <functional>

using namespace sluice;
using sluice::test::EpollThread;

namespace {

// Notes each call in a shared log, from the thread that runs the loop.
class NotingWriter final : public CoalescedWriter {
public:
    NotingWriter(QStringList *log, QString name)
        : m_log(log)
        , m_name(std::move(name))
    {
    }
    void writeCoalesced() override
    {
        m_log->append(m_name);
        ++calls;
        if (again) {
            again = false;
            WriteCoalescer::queue(this);
            m_log->append(m_name + QStringLiteral(" queued again"));
        }
    }
    bool again = false;
    std::atomic<int> calls{0};

private:
    QStringList *m_log;
    QString m_name;
};

// One pass's work: queue three writers, forget the second, and note what ran synchronously.
QStringList queueOnePass(QStringList &log, NotingWriter &a, NotingWriter &b, NotingWriter &c)
{
    WriteCoalescer::queue(&a);
    WriteCoalescer::queue(&b);
    WriteCoalescer::queue(&c);
    WriteCoalescer::forget(&b);
    a.again = true;
    log.append(QStringLiteral("pass work done"));
    return log;
}

const QStringList kExpected = {QStringLiteral("pass work done"), QStringLiteral("a"),
                               QStringLiteral("a queued again"), QStringLiteral("c"),
                               QStringLiteral("a")};

} // namespace

class TestWriteCoalescer : public QObject {
    Q_OBJECT

private slots:
    void onTheWorkersEpollDispatcher()
    {
        QStringList log; // written on the worker only
        NotingWriter a(&log, QStringLiteral("a"));
        NotingWriter b(&log, QStringLiteral("b"));
        NotingWriter c(&log, QStringLiteral("c"));
        EpollThread worker;
        QVERIFY(worker.valid);
        QStringList synchronous;
        worker.run([&] { synchronous = queueOnePass(log, a, b, c); });
        QCOMPARE(synchronous, QStringList{QStringLiteral("pass work done")});
        // a, c, then a again on the next pass.
        QTRY_COMPARE_WITH_TIMEOUT(a.calls.load() + b.calls.load() + c.calls.load(), 3, 5000);
        QStringList seen;
        worker.run([&] { seen = log; });
        QCOMPARE(seen, kExpected);
    }

    void onQtsDispatcher()
    {
        QStringList log;
        NotingWriter a(&log, QStringLiteral("a"));
        NotingWriter b(&log, QStringLiteral("b"));
        NotingWriter c(&log, QStringLiteral("c"));
        QCOMPARE(queueOnePass(log, a, b, c), QStringList{QStringLiteral("pass work done")});
        QTRY_COMPARE_WITH_TIMEOUT(log, kExpected, 5000);
    }

    void writtenBeforeItsThreadEnds()
    {
        QStringList log;
        NotingWriter a(&log, QStringLiteral("a"));
        EpollThread worker;
        worker.run([&] { WriteCoalescer::queue(&a); });
        worker.stop();
        QCOMPARE(log, QStringList{QStringLiteral("a")});
    }
};

QTEST_GUILESS_MAIN(TestWriteCoalescer)
#include "tst_write_coalescer.moc"
