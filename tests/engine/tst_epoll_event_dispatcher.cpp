// SPDX-License-Identifier: Apache-2.0
// The workers' epoll event dispatcher keeps Qt's semantics: timers in deadline order (and
// killed ones never fire), zero timers once per pass, posted events and deleteLater, wake-ups
// from other threads, sockets through QTcpServer / QTcpSocket over loopback, and quit(); and
// its readers (told directly of input, beside Qt's notifiers; never once removed).
#include "epoll_thread.h"
#include "transports/epoll_event_dispatcher.h"

#include <QMutex>
#include <QPointer>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>
#include <QThread>
#include <QTimer>
#include <atomic>
#include <functional>
#include <sys/socket.h>
#include <unistd.h>

using namespace sluice;
using sluice::test::EpollThread;

namespace {

// Counts the times it is told, reads what came, and may remove another reader when told (as a
// connection that closes its sibling does), putting a new one in its place.
class CountingReader final : public EpollEventDispatcher::Reader {
public:
    explicit CountingReader(int descriptor)
        : fd(descriptor)
    {
    }
    void descriptorReadable() override
    {
        ++calls;
        char buffer[64];
        ssize_t got = 0;
        while ((got = ::read(fd, buffer, sizeof buffer)) > 0)
            received.append(buffer, qsizetype(got));
        if (sibling) {
            EpollEventDispatcher *dispatcher = EpollEventDispatcher::ofCurrentThread();
            dispatcher->removeReader(sibling->fd, sibling);
            if (successor)
                dispatcher->addReader(sibling->fd, successor);
            sibling->sibling = nullptr;
            sibling = nullptr;
        }
    }

    const int fd;
    std::atomic<int> calls{0};
    QByteArray received; // touched on the worker thread only
    CountingReader *sibling = nullptr;
    CountingReader *successor = nullptr; // takes the sibling's descriptor over
};

// Reads what came and then runs what it is given (on the dispatcher's thread).
class CallbackReader final : public EpollEventDispatcher::Reader {
public:
    explicit CallbackReader(int descriptor)
        : fd(descriptor)
    {
    }
    void descriptorReadable() override
    {
        ++calls;
        char buffer[64];
        while (::read(fd, buffer, sizeof buffer) > 0) {
        }
        if (then)
            then();
    }

    const int fd;
    std::atomic<int> calls{0};
    std::function<void()> then;
};

struct SocketPair {
    SocketPair()
    {
        ok = ::socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, fd) == 0;
    }
    ~SocketPair()
    {
        if (ok) {
            ::close(fd[0]);
            ::close(fd[1]);
        }
    }
    bool send(const char *text) const
    {
        const auto size = strlen(text);
        return ::write(fd[1], text, size) == ssize_t(size);
    }
    int fd[2] = {-1, -1};
    bool ok = false;
};

} // namespace

class TestEpollEventDispatcher : public QObject {
    Q_OBJECT

private slots:
    void isTheThreadsDispatcher()
    {
        EpollThread worker;
        QVERIFY(worker.valid);
        bool epoll = false;
        worker.run([&] {
            epoll = qobject_cast<EpollEventDispatcher *>(
                        QAbstractEventDispatcher::instance(QThread::currentThread())) != nullptr;
        });
        QVERIFY(epoll);
    }

    void timersFireInDeadlineOrderAndKilledOnesNever()
    {
        EpollThread worker;
        QStringList fired;
        QMutex mutex;
        std::atomic<int> count{0};
        auto note = [&](const QString &name) {
            QMutexLocker lock(&mutex);
            fired << name;
            ++count;
        };
        worker.run([&] {
            QTimer::singleShot(60, &worker.context, [&] { note(QStringLiteral("60")); });
            QTimer::singleShot(20, &worker.context, [&] { note(QStringLiteral("20")); });
            QTimer::singleShot(0, &worker.context, [&] { note(QStringLiteral("0")); });
            auto *killed = new QTimer(&worker.context);
            killed->setSingleShot(true);
            QObject::connect(killed, &QTimer::timeout, [&] { note(QStringLiteral("killed")); });
            killed->start(40);
            QTimer::singleShot(10, killed, [killed] { killed->stop(); });
        });
        QTRY_COMPARE_WITH_TIMEOUT(count.load(), 3, 5000);
        QTest::qWait(100);
        QMutexLocker lock(&mutex);
        QCOMPARE(fired,
                 QStringList({QStringLiteral("0"), QStringLiteral("20"), QStringLiteral("60")}));
    }

    void intervalTimerRepeatsAndReportsItsRemainingTime()
    {
        EpollThread worker;
        std::atomic<int> ticks{0};
        int remaining = -2;
        QTimer *timer = nullptr;
        worker.run([&] {
            timer = new QTimer(&worker.context);
            QObject::connect(timer, &QTimer::timeout, [&] { ++ticks; });
            timer->start(10);
            remaining = timer->remainingTime();
        });
        QVERIFY(remaining >= 0 && remaining <= 10);
        QTRY_VERIFY_WITH_TIMEOUT(ticks.load() >= 5, 5000);
        worker.run([&] { timer->stop(); });
        const int stopped = ticks.load();
        QTest::qWait(50);
        QCOMPARE(ticks.load(), stopped);
    }

    void postedEventsAndDeleteLaterFromAnotherThread()
    {
        EpollThread worker;
        auto *doomed = new QObject;
        doomed->moveToThread(&worker.thread);
        QPointer<QObject> watch(doomed);
        // From this thread: the worker is asleep in epoll_wait and must wake up for both.
        std::atomic<bool> ran{false};
        QMetaObject::invokeMethod(
            &worker.context, [&] { ran = true; }, Qt::QueuedConnection);
        doomed->deleteLater();
        QTRY_VERIFY_WITH_TIMEOUT(ran.load(), 5000);
        QTRY_VERIFY_WITH_TIMEOUT(watch.isNull(), 5000);
    }

    // Wake-ups are coalesced (one eventfd write until the loop reads it): events posted in
    // bursts from another thread, and by the loop's own thread while it runs, must all arrive,
    // with no pass left blocking while one waits (the worker has no timer to wake it).
    void burstsOfPostedEventsAreNeverLeftWaiting()
    {
        EpollThread worker;
        QVERIFY(worker.valid);
        constexpr int kBursts = 2000;
        std::atomic<int> delivered{0};
        std::atomic<int> expected{0};
        for (int burst = 0; burst < kBursts; ++burst) {
            const int size = 1 + burst % 7;
            expected += size;
            for (int i = 0; i < size; ++i) {
                QMetaObject::invokeMethod(
                    &worker.context,
                    [&delivered, &expected, &worker, chained = i == 0 && burst % 3 == 0] {
                        ++delivered;
                        if (!chained)
                            return;
                        // Posted by the loop's own thread, while it sends posted events.
                        ++expected;
                        QMetaObject::invokeMethod(
                            &worker.context, [&delivered] { ++delivered; }, Qt::QueuedConnection);
                    },
                    Qt::QueuedConnection);
            }
            // Gaps of different lengths: some bursts find the worker asleep, some awake.
            if (burst % 5 == 0)
                QThread::usleep(burst % 50);
        }
        QTRY_COMPARE_WITH_TIMEOUT(delivered.load(), expected.load(), 10000);
        // Nothing still arriving after the count matched.
        QTest::qWait(50);
        QCOMPARE(delivered.load(), expected.load());
    }

    void socketsEchoOverLoopback()
    {
        EpollThread worker;
        QTcpServer *server = nullptr;
        quint16 port = 0;
        worker.run([&] {
            server = new QTcpServer(&worker.context);
            QVERIFY(server->listen(QHostAddress::LocalHost));
            port = server->serverPort();
            QObject::connect(server, &QTcpServer::newConnection, server, [server] {
                while (QTcpSocket *socket = server->nextPendingConnection()) {
                    QObject::connect(socket, &QTcpSocket::readyRead, socket,
                                     [socket] { socket->write(socket->readAll()); });
                    QObject::connect(socket, &QTcpSocket::disconnected, socket,
                                     &QObject::deleteLater);
                }
            });
        });
        // Several clients at once, each a few round trips, from this (Qt-dispatched) thread.
        std::vector<std::unique_ptr<QTcpSocket>> clients;
        for (int i = 0; i < 20; ++i) {
            clients.push_back(std::make_unique<QTcpSocket>());
            clients.back()->connectToHost(QHostAddress::LocalHost, port);
            QVERIFY(clients.back()->waitForConnected(5000));
        }
        for (int round = 0; round < 3; ++round) {
            for (size_t i = 0; i < clients.size(); ++i)
                clients[i]->write(QByteArray::number(qulonglong(i * 100 + size_t(round))));
            for (size_t i = 0; i < clients.size(); ++i) {
                const QByteArray expected = QByteArray::number(qulonglong(i * 100 + size_t(round)));
                QByteArray got;
                while (got.size() < expected.size() && clients[i]->waitForReadyRead(5000))
                    got += clients[i]->readAll();
                QCOMPARE(got, expected);
            }
        }
        for (auto &client : clients)
            client->disconnectFromHost();
    }

    void excludingSocketsStillWaitsForTimers()
    {
        // A readable socket must neither be delivered nor end the wait of a pass that
        // excludes socket notifiers: the passes wait for the timer.
        EpollThread worker;
        bool timerFired = false;
        bool socketDelivered = false;
        int passes = 0;
        worker.run([&] {
            QTcpServer server;
            QVERIFY(server.listen(QHostAddress::LocalHost));
            QTcpSocket client;
            client.connectToHost(QHostAddress::LocalHost, server.serverPort());
            QVERIFY(client.waitForConnected(5000));
            QVERIFY(server.waitForNewConnection(5000));
            QTcpSocket *accepted = server.nextPendingConnection();
            QObject::connect(accepted, &QTcpSocket::readyRead, [&] { socketDelivered = true; });
            client.write("ready");
            QVERIFY(client.waitForBytesWritten(5000));
            QTimer::singleShot(30, [&] { timerFired = true; });
            // A pass may also end on a wake-up (posted events); it must not end on the socket,
            // which would make the waiting loop spin until the timer.
            while (!timerFired && passes < 1000) {
                QAbstractEventDispatcher::instance()->processEvents(
                    QEventLoop::WaitForMoreEvents | QEventLoop::ExcludeSocketNotifiers);
                ++passes;
            }
        });
        QVERIFY(timerFired);
        QVERIFY2(passes <= 5, qPrintable(QString::number(passes)));
        QVERIFY(!socketDelivered);
    }

    void readersAreToldDirectlyBesideQtsNotifiersAndNeverOnceRemoved()
    {
        EpollThread worker;
        SocketPair pair;
        QVERIFY(pair.ok);
        CountingReader reader(pair.fd[0]);
        std::atomic<int> notified{0};
        QSocketNotifier *notifier = nullptr;
        bool found = false;
        worker.run([&] {
            EpollEventDispatcher *dispatcher = EpollEventDispatcher::ofCurrentThread();
            found = dispatcher != nullptr;
            dispatcher->addReader(pair.fd[0], &reader);
            // Qt's notifier on the same descriptor, as a socket's own beside the stream's reader.
            notifier = new QSocketNotifier(pair.fd[0], QSocketNotifier::Read, &worker.context);
            QObject::connect(notifier, &QSocketNotifier::activated, notifier, [&] {
                ++notified;
                notifier->setEnabled(false);
            });
        });
        QVERIFY(found);
        QVERIFY(pair.send("one"));
        QTRY_VERIFY_WITH_TIMEOUT(reader.calls.load() >= 1, 5000);
        QTRY_COMPARE_WITH_TIMEOUT(notified.load(), 1, 5000);
        QByteArray received;
        worker.run([&] { received = reader.received; });
        QCOMPARE(received, QByteArray("one"));

        // Qt's notifier off: the reader alone keeps the descriptor watched.
        const int beforeTwo = reader.calls.load();
        QVERIFY(pair.send("two"));
        QTRY_VERIFY_WITH_TIMEOUT(reader.calls.load() > beforeTwo, 5000);
        worker.run([&] { received = reader.received; });
        QCOMPARE(received, QByteArray("onetwo"));

        worker.run([&] {
            EpollEventDispatcher::ofCurrentThread()->removeReader(pair.fd[0], &reader);
            // Removing twice, or a reader that is not the descriptor's, changes nothing.
            EpollEventDispatcher::ofCurrentThread()->removeReader(pair.fd[0], &reader);
        });
        const int removed = reader.calls.load();
        QVERIFY(pair.send("three"));
        QTest::qWait(150);
        QCOMPARE(reader.calls.load(), removed);
        worker.run([&] { delete notifier; });
    }

    void aReaderReplacedEarlierInTheSamePassIsNotTold()
    {
        // Two descriptors ready in one pass; whichever reader is told first removes the other
        // and puts a successor on its descriptor. The removed one must not be told (it may be
        // deleted by then); its successor hears of the input that is still there.
        EpollThread worker;
        SocketPair first;
        SocketPair second;
        QVERIFY(first.ok && second.ok);
        CountingReader a(first.fd[0]);
        CountingReader b(second.fd[0]);
        CountingReader afterA(first.fd[0]);
        CountingReader afterB(second.fd[0]);
        a.sibling = &b;
        a.successor = &afterB;
        b.sibling = &a;
        b.successor = &afterA;
        QVERIFY(first.send("a"));
        QVERIFY(second.send("b"));
        // Both added in one task: the pass that follows it finds both ready at once.
        worker.run([&] {
            EpollEventDispatcher::ofCurrentThread()->addReader(first.fd[0], &a);
            EpollEventDispatcher::ofCurrentThread()->addReader(second.fd[0], &b);
        });
        QTRY_VERIFY_WITH_TIMEOUT(afterA.calls.load() + afterB.calls.load() >= 1, 5000);
        QTest::qWait(100);
        const bool aFirst = a.calls.load() == 1;
        QCOMPARE(a.calls.load() + b.calls.load(), 1);
        QCOMPARE((aFirst ? afterB : afterA).calls.load(), 1);
        QCOMPARE((aFirst ? afterA : afterB).calls.load(), 0);
        QByteArray received;
        worker.run([&] { received = (aFirst ? afterB : afterA).received; });
        QCOMPARE(received, QByteArray(aFirst ? "b" : "a"));
        worker.run([&] {
            for (CountingReader *reader : {&a, &b, &afterA, &afterB})
                EpollEventDispatcher::ofCurrentThread()->removeReader(reader->fd, reader);
        });
    }

    void aNestedPassInAReaderLeavesTheOuterBatchWhole()
    {
        // Readers are told while a pass walks its batch of ready descriptors. A reader that runs
        // a pass of its own (a nested event loop) in which other descriptors are ready must not
        // write over that batch: the reader after it in the outer batch is edge-triggered, so if
        // its report were overwritten nothing would ever tell it of its input.
        EpollThread worker;
        SocketPair first;
        SocketPair second;
        SocketPair third;
        SocketPair fourth;
        QVERIFY(first.ok && second.ok && third.ok && fourth.ok);
        CallbackReader a(first.fd[0]);
        CallbackReader b(second.fd[0]);
        CallbackReader c(third.fd[0]);
        CallbackReader d(fourth.fd[0]);
        // Whichever of a and b is told first makes c and d ready and runs a pass inside its call.
        const auto nest = [&] {
            QVERIFY(third.send("c"));
            QVERIFY(fourth.send("d"));
            QAbstractEventDispatcher::instance()->processEvents(QEventLoop::AllEvents);
        };
        a.then = nest;
        b.then = nest;
        worker.run([&] {
            EpollEventDispatcher *dispatcher = EpollEventDispatcher::ofCurrentThread();
            dispatcher->addReader(third.fd[0], &c);
            dispatcher->addReader(fourth.fd[0], &d);
        });
        QVERIFY(first.send("a"));
        QVERIFY(second.send("b"));
        // Both added in one task: the pass that follows it finds both ready at once.
        worker.run([&] {
            EpollEventDispatcher::ofCurrentThread()->addReader(first.fd[0], &a);
            EpollEventDispatcher::ofCurrentThread()->addReader(second.fd[0], &b);
        });
        QTRY_VERIFY_WITH_TIMEOUT(a.calls.load() == 1 && b.calls.load() == 1, 5000);
        QVERIFY(c.calls.load() >= 1 && d.calls.load() >= 1);
        worker.run([&] {
            for (CallbackReader *reader : {&a, &b, &c, &d})
                EpollEventDispatcher::ofCurrentThread()->removeReader(reader->fd, reader);
        });
    }

    void awakeAndAboutToBlockReachWhoeverIsConnected()
    {
        // The dispatcher emits them only while somebody is connected, which it learns as
        // receivers connect and disconnect: a pass must reach a receiver connected before it,
        // also after others came and went.
        EpollThread worker;
        int awake = 0;
        int aboutToBlock = 0;
        int early = 0;
        worker.run([&] {
            auto *dispatcher = EpollEventDispatcher::ofCurrentThread();
            const auto pass = [dispatcher] {
                bool fired = false;
                QTimer::singleShot(0, [&fired] { fired = true; });
                while (!fired)
                    dispatcher->processEvents(QEventLoop::WaitForMoreEvents);
            };
            {
                QObject gone;
                QObject::connect(dispatcher, &QAbstractEventDispatcher::awake, &gone,
                                 [&early] { ++early; });
                pass();
            } // its connection goes with it
            const auto onAwake = QObject::connect(dispatcher, &QAbstractEventDispatcher::awake,
                                                  [&awake] { ++awake; });
            QObject::connect(dispatcher, &QAbstractEventDispatcher::aboutToBlock,
                             [&aboutToBlock] { ++aboutToBlock; });
            pass();
            QVERIFY(awake > 0);
            QVERIFY(aboutToBlock > 0);
            QObject::disconnect(onAwake);
            const int awakeBefore = awake;
            const int aboutToBlockBefore = aboutToBlock;
            pass();
            QCOMPARE(awake, awakeBefore);
            QVERIFY(aboutToBlock > aboutToBlockBefore);
        });
        QVERIFY(early > 0);
    }

    void quitEndsTheLoopAtOnce()
    {
        auto worker = std::make_unique<EpollThread>();
        worker->thread.quit();
        QVERIFY(worker->thread.wait(5000));
    }
};

QTEST_GUILESS_MAIN(TestEpollEventDispatcher)
#include "tst_epoll_event_dispatcher.moc"
