// SPDX-License-Identifier: Apache-2.0
// LazyDeadlineTimer fires once, never before its deadline however often the deadline moved
// later, earlier when moved earlier than the armed timer, and not at all once stopped; on Qt's
// dispatcher (the test's main thread), whose coarse timers may come early.
#include "transports/lazy_deadline_timer.h"

#include <QElapsedTimer>
#include <QTest>

using namespace sluice;

class TestLazyDeadlineTimer : public QObject {
    Q_OBJECT

private slots:
    void movedLaterFiresAtTheLastDeadline()
    {
        int fired = 0;
        qint64 firedAfter = 0;
        QElapsedTimer clock;
        clock.start();
        LazyDeadlineTimer timer(nullptr, [&] {
            ++fired;
            firedAfter = clock.elapsed();
        });
        timer.expireIn(40);
        for (int i = 0; i < 5; ++i) {
            QTest::qWait(20);
            timer.expireIn(100); // pushed back, as each request of a keep-alive connection does
        }
        const qint64 lastDeadline = clock.elapsed() + 100;
        QTRY_COMPARE_WITH_TIMEOUT(fired, 1, 5000);
        QVERIFY2(firedAfter >= lastDeadline - 1,
                 qPrintable(QStringLiteral("fired at %1 ms, deadline %2 ms")
                                .arg(firedAfter)
                                .arg(lastDeadline)));
        QTest::qWait(150);
        QCOMPARE(fired, 1); // once
    }

    void movedEarlierFiresEarlier()
    {
        int fired = 0;
        QElapsedTimer clock;
        clock.start();
        LazyDeadlineTimer timer(nullptr, [&] { ++fired; });
        timer.expireIn(60000);
        timer.expireIn(20);
        QTRY_COMPARE_WITH_TIMEOUT(fired, 1, 5000);
        QVERIFY(clock.elapsed() < 30000);
    }

    void stoppedNeverFires()
    {
        int fired = 0;
        LazyDeadlineTimer timer(nullptr, [&] { ++fired; });
        timer.expireIn(20);
        timer.stop();
        QTest::qWait(120);
        QCOMPARE(fired, 0);
        timer.expireIn(10); // usable again
        QTRY_COMPARE_WITH_TIMEOUT(fired, 1, 5000);
    }
};

QTEST_GUILESS_MAIN(TestLazyDeadlineTimer)
#include "tst_lazy_deadline_timer.moc"
