// SPDX-License-Identifier: Apache-2.0
// Message events: the ring buffer (bounds, drop count, ids across threads), subscriptions and
// filters, payload capture, and the mediation observer hooks fed by a running sequence.
#include "mediation/executor.h"
#include "mediation_fixture.h"
#include "runtime/message_events.h"

#include <QSet>
#include <QTest>
#include <QThreadPool>
#include <atomic>
#include <thread>
#include <vector>

using namespace sluice;
using namespace Qt::StringLiterals;
using sluice::test::MediationFixture;

namespace {

MessageEvent frameEvent(const QString &connection,
                        MessageEventKind kind = MessageEventKind::FrameIn)
{
    MessageEvent event;
    event.kind = kind;
    event.connectionId = connection;
    event.peer = EventPeer::Client;
    event.opcode = EventOpcode::Text;
    return event;
}

QString seq(const QString &name, const QString &body)
{
    return QStringLiteral("<sequence xmlns=\"http://ws.apache.org/ns/synapse\" name=\"%1\">\n"
                          "  %2\n</sequence>\n")
        .arg(name, body);
}

} // namespace

class TestMessageEvents : public QObject {
    Q_OBJECT

private slots:
    void ringKeepsTheNewestAndCountsDrops()
    {
        MessageEventHub hub(3);
        QCOMPARE(hub.capacity(), 3);
        for (int i = 0; i < 5; ++i)
            QCOMPARE(hub.emitEvent(frameEvent(u"ws-%1"_s.arg(i))), quint64(i + 1));
        const QList<MessageEvent> events = hub.snapshot();
        QCOMPARE(events.size(), 3);
        QCOMPARE(events.at(0).id, 3u);
        QCOMPARE(events.at(0).connectionId, u"ws-2"_s);
        QCOMPARE(events.at(2).id, 5u);
        QCOMPARE(hub.droppedCount(), 2u);
        QCOMPARE(hub.lastId(), 5u);
        QVERIFY(events.at(0).timestampMs > 0);
        QVERIFY(events.at(2).monotonicNs >= events.at(0).monotonicNs);

        const QList<MessageEvent> late = hub.snapshot(4);
        QCOMPARE(late.size(), 1);
        QCOMPARE(late.at(0).id, 5u);

        hub.setCapacity(2);
        QCOMPARE(hub.snapshot().size(), 2);
        QCOMPARE(hub.snapshot().at(0).id, 4u);
        QCOMPARE(hub.droppedCount(), 3u);
    }

    void defaultCapacityAndSwitch()
    {
        MessageEventHub hub;
        QCOMPARE(hub.capacity(), 10000);
        QVERIFY(hub.enabled());
        hub.setRecording(false);
        QVERIFY(!hub.enabled());
        QCOMPARE(hub.emitEvent(frameEvent(u"ws-1"_s)), 0u);
        QVERIFY(hub.snapshot().isEmpty());

        // A subscriber switches events on again, without recording them.
        int seen = 0;
        const int id = hub.subscribe([&seen](const MessageEvent &) { ++seen; });
        QVERIFY(hub.enabled());
        QVERIFY(hub.emitEvent(frameEvent(u"ws-1"_s)) > 0);
        QCOMPARE(seen, 1);
        QVERIFY(hub.snapshot().isEmpty());
        hub.unsubscribe(id);
        QVERIFY(!hub.enabled());
    }

    void idsAreMonotonicAcrossThreads()
    {
        MessageEventHub hub(100000);
        constexpr int kThreads = 4;
        constexpr int kPerThread = 2000;
        std::vector<std::thread> writers;
        for (int t = 0; t < kThreads; ++t) {
            writers.emplace_back([&hub, t] {
                for (int i = 0; i < kPerThread; ++i)
                    hub.emitEvent(frameEvent(u"ws-%1"_s.arg(t)));
            });
        }
        QThreadPool pool;
        for (int t = 0; t < kThreads; ++t) {
            pool.start([&hub] {
                for (int i = 0; i < kPerThread; ++i)
                    hub.emitEvent(frameEvent(u"pool"_s));
            });
        }
        for (std::thread &writer : writers)
            writer.join();
        pool.waitForDone();

        const QList<MessageEvent> events = hub.snapshot();
        QCOMPARE(events.size(), 2 * kThreads * kPerThread);
        for (qsizetype i = 1; i < events.size(); ++i)
            QCOMPARE(events.at(i).id, events.at(i - 1).id + 1);
        QCOMPARE(hub.droppedCount(), 0u);
    }

    void subscribersAndFilters()
    {
        MessageEventHub hub;
        hub.setRecording(false);
        QList<quint64> all;
        QList<quint64> onlyWs2;
        QList<quint64> onlyClosed;
        const int a = hub.subscribe([&all](const MessageEvent &e) { all.append(e.id); });
        MessageEventFilter byConnection;
        byConnection.connectionId = u"ws-2"_s;
        const int b = hub.subscribe([&onlyWs2](const MessageEvent &e) { onlyWs2.append(e.id); },
                                    byConnection);
        MessageEventFilter byKind;
        byKind.kinds = {MessageEventKind::ConnectionClosed};
        const int c = hub.subscribe(
            [&onlyClosed](const MessageEvent &e) { onlyClosed.append(e.id); }, byKind);
        QVERIFY(hub.watched());

        const quint64 first = hub.emitEvent(frameEvent(u"ws-1"_s));
        const quint64 second = hub.emitEvent(frameEvent(u"ws-2"_s));
        const quint64 third =
            hub.emitEvent(frameEvent(u"ws-1"_s, MessageEventKind::ConnectionClosed));
        QCOMPARE(all, (QList<quint64>{first, second, third}));
        QCOMPARE(onlyWs2, QList<quint64>{second});
        QCOMPARE(onlyClosed, QList<quint64>{third});

        hub.unsubscribe(a);
        hub.emitEvent(frameEvent(u"ws-2"_s));
        QCOMPARE(all.size(), 3);
        QCOMPARE(onlyWs2.size(), 2);
        hub.unsubscribe(b);
        hub.unsubscribe(c);
        QVERIFY(!hub.watched());
        QVERIFY(!hub.enabled());
    }

    void payloadIsTruncated()
    {
        MessageEventHub hub;
        hub.setCapturePayloadBytes(4);
        QCOMPARE(hub.capturePayload("abcdefgh"), QByteArray("abcd"));
        QCOMPARE(hub.capturePayload("ab"), QByteArray("ab"));
        hub.setCapturePayloadBytes(0);
        QVERIFY(hub.capturePayload("abc").isEmpty());
    }

    void observerHooksFromASequence()
    {
        MediationFixture f;
        QVERIFY(
            f.addArtifact(seq(u"s"_s, QStringLiteral("<property name=\"A\" value=\"1\"/>\n"
                                                     "  <log level=\"custom\" category=\"WARN\">"
                                                     "<property name=\"A\" expression=\"$ctx:A\"/>"
                                                     "</log>\n"
                                                     "  <send><endpoint><address "
                                                     "uri=\"wss://backend:8443/x\"/>"
                                                     "</endpoint></send>"))));
        QVERIFY2(f.compile(), qPrintable(f.errors()));
        MessageEventHub hub;
        f.environment()->setObserver(&hub);
        auto message = f.run(u"s"_s, QByteArrayLiteral("{}"));
        f.environment()->setObserver(nullptr);

        const QList<MessageEvent> events = hub.snapshot();
        QVERIFY(events.size() >= 5);
        QCOMPARE(events.at(0).kind, MessageEventKind::MediatorEntered);
        QCOMPARE(events.at(0).mediator, u"property"_s);
        QCOMPARE(events.at(0).location.line, 2);
        QCOMPARE(events.at(0).location.column, 3);
        QCOMPARE(events.at(0).connectionId, u"test-channel"_s);
        QCOMPARE(events.at(0).messageId, message->messageId());
        QCOMPARE(events.at(1).kind, MessageEventKind::PropertiesSet);
        QCOMPARE(events.at(1).location, events.at(0).location);
        QCOMPARE(events.at(1).properties.size(), 1);
        QCOMPARE(events.at(1).properties.at(0).name, u"A"_s);
        QCOMPARE(events.at(1).properties.at(0).scope, PropertyScope::Default);
        QCOMPARE(events.at(1).properties.at(0).value.toString(), u"1"_s);
        QCOMPARE(events.at(2).mediator, u"log"_s);
        QCOMPARE(events.at(3).kind, MessageEventKind::Log);
        QCOMPARE(events.at(3).category, u"WARN"_s);
        QCOMPARE(events.at(3).text, u"A = 1"_s);
        bool sawFault = false;
        for (const MessageEvent &event : events) {
            QCOMPARE(event.messageId, message->messageId());
            sawFault = sawFault || event.kind == MessageEventKind::Fault;
        }
        QVERIFY(sawFault);
    }
};

QTEST_GUILESS_MAIN(TestMessageEvents)
#include "tst_message_events.moc"
