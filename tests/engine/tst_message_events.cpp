// SPDX-License-Identifier: Apache-2.0
// Message events: the ring buffer (bounds, drop count, ids across threads), subscriptions and
// filters, payload capture, and the mediation observer hooks fed by a running sequence.
#include "mediation/executor.h"
#include "mediation_fixture.h"
#include "runtime/logger.h"
#include "runtime/message_events.h"

#include <QDateTime>
#include <QSet>
#include <QTest>
#include <QThreadPool>
#include <atomic>
#include <functional>
#include <mutex>
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

// A planned hop on `connection` of endpoint "ep" (the frame out on `outConnection`): from a
// backend at `backendUrl`, else from the client (an echo's respond).
quint64 noteHop(MessageEventHub &hub, PlannedHopHint &hint,
                const std::shared_ptr<const MediationEnvironment> &environment,
                const QString &sequence, const QString &connection, const QString &outConnection,
                const QString &backendUrl, FrameKind kind, const QByteArray &payload)
{
    static const QString kEndpoint = QStringLiteral("ep");
    static const QString kNone;
    return hub.recordPlannedHop(
        PlannedHop{.hint = hint,
                   .plan = *environment->sequence(sequence)->forward,
                   .environment = environment,
                   .from = backendUrl.isEmpty() ? EventPeer::Client : EventPeer::Backend,
                   .connectionId = connection,
                   .artifact = kEndpoint,
                   .outConnectionId = outConnection,
                   .outArtifact = kEndpoint,
                   .inText = backendUrl,
                   .outText = kNone,
                   .kind = kind,
                   .payload = payload});
}

} // namespace

// A mediator that runs a callback: lets a test act in the middle of a run.
class CallbackMediator : public Mediator {
public:
    CallbackMediator(int line, std::function<void(MessageContext &)> callback)
        : Mediator(SourceLocation{QStringLiteral("hand-made.xml"), line, 1})
        , m_callback(std::move(callback))
    {
    }
    QString elementName() const override { return QStringLiteral("callback"); }
    MediationResult mediate(MessageContext &message) const override
    {
        m_callback(message);
        return MediationResult::Continue;
    }

private:
    std::function<void(MessageContext &)> m_callback;
};

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
        QCOMPARE(hub.capacity(), MessageEventHub::kDefaultCapacity);
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

    // Frames take the lean path (compact records, no MessageEvent until read): the ring, the
    // drop count and snapshot(sinceId) must behave as for whole events.
    void leanRecordsWrapAndCountDrops()
    {
        MessageEventHub hub(4);
        const QString artifact = u"websocket"_s;
        for (int i = 0; i < 10; ++i) {
            hub.emitFrame(MessageEventKind::FrameIn, EventPeer::Client, u"ws-%1"_s.arg(i),
                          quint64(100 + i), artifact, EventOpcode::Binary, QByteArray::number(i));
        }
        // The six overwritten before anybody read never got an id: ids go to what is kept.
        QCOMPARE(hub.droppedCount(), 6u);
        QCOMPARE(hub.lastId(), 4u);
        const QList<MessageEvent> events = hub.snapshot();
        QCOMPARE(events.size(), 4);
        for (int i = 0; i < 4; ++i) {
            const MessageEvent &event = events.at(i);
            QCOMPARE(event.id, quint64(1 + i));
            QCOMPARE(event.kind, MessageEventKind::FrameIn);
            QCOMPARE(event.peer, EventPeer::Client);
            QCOMPARE(event.opcode, EventOpcode::Binary);
            QCOMPARE(event.connectionId, u"ws-%1"_s.arg(6 + i));
            QCOMPARE(event.artifact, artifact);
            QCOMPARE(event.messageId, quint64(106 + i));
            QCOMPARE(event.payload, QByteArray::number(6 + i));
            QCOMPARE(event.size, 1);
            QVERIFY(event.timestampMs > 0);
            if (i > 0)
                QVERIFY(event.monotonicNs >= events.at(i - 1).monotonicNs);
        }
        const QList<MessageEvent> late = hub.snapshot(2);
        QCOMPARE(late.size(), 2);
        QCOMPARE(late.at(0).id, 3u);
        QCOMPARE(late.at(0).connectionId, u"ws-8"_s);
        QCOMPARE(hub.snapshot(4).size(), 0);
        // Ids stay with their events from one read to the next.
        hub.emitFrame(MessageEventKind::FrameIn, EventPeer::Client, u"ws-10"_s, 110, artifact,
                      EventOpcode::Binary, "10");
        const QList<MessageEvent> next = hub.snapshot(3);
        QCOMPARE(next.size(), 2);
        QCOMPARE(next.at(0).id, 4u);
        QCOMPARE(next.at(0).connectionId, u"ws-9"_s);
        QCOMPARE(next.at(1).id, 5u);
        QCOMPARE(next.at(1).connectionId, u"ws-10"_s);
        QCOMPARE(hub.droppedCount(), 7u);

        hub.setCapacity(2);
        QCOMPARE(hub.snapshot().size(), 2);
        QCOMPARE(hub.snapshot().at(0).connectionId, u"ws-9"_s);
        QCOMPARE(hub.droppedCount(), 9u);
        // The ring keeps working at the new size.
        hub.emitFrame(MessageEventKind::FrameOut, EventPeer::Backend, u"ws-x"_s, 1, artifact,
                      EventOpcode::Text, "x", u"ws://backend/"_s);
        QCOMPARE(hub.snapshot().size(), 2);
        QCOMPARE(hub.snapshot().at(1).text, u"ws://backend/"_s);
        QCOMPARE(hub.droppedCount(), 10u);
    }

    // Client frames carry no text, backend frames the backend's URL, log events a new line per
    // message: each must read back as written however they interleave and wrap the ring.
    void leanTextsOfFramesAndLogLines()
    {
        MediationFixture f;
        QVERIFY(f.addArtifact(seq(u"s"_s, u"<property name=\"A\" value=\"1\"/>"_s)));
        QVERIFY2(f.compile(), qPrintable(f.errors()));
        auto message = f.run(u"s"_s, QByteArrayLiteral("{}"));
        MessageEventHub hub(5);
        const QString url = u"ws://backend:8082/websocket"_s;
        for (int i = 0; i < 7; ++i) {
            hub.emitFrame(MessageEventKind::FrameIn, EventPeer::Client, u"ws-1"_s, quint64(i),
                          u"websocket"_s, EventOpcode::Text, "in");
            hub.emitFrame(MessageEventKind::FrameOut, EventPeer::Backend, u"ws-1"_s, quint64(i),
                          u"websocket"_s, EventOpcode::Text, "out", url);
            hub.logged(*message, u"INFO"_s, u"line %1"_s.arg(i));
            if (i == 0) {
                const QList<MessageEvent> first = hub.snapshot();
                QCOMPARE(first.size(), 3);
                QCOMPARE(first.at(0).text, QString());
                QCOMPARE(first.at(1).text, url);
                QCOMPARE(first.at(2).text, u"line 0"_s);
            }
        }
        const QList<MessageEvent> events = hub.snapshot();
        QCOMPARE(events.size(), 5);
        // The newest five: frame out and log of message 5, then all three of message 6.
        QCOMPARE(events.at(0).kind, MessageEventKind::FrameOut);
        QCOMPARE(events.at(0).text, url);
        QCOMPARE(events.at(1).kind, MessageEventKind::Log);
        QCOMPARE(events.at(1).text, u"line 5"_s);
        QCOMPARE(events.at(1).category, u"INFO"_s);
        QCOMPARE(events.at(2).kind, MessageEventKind::FrameIn);
        QCOMPARE(events.at(2).messageId, 6u);
        QCOMPARE(events.at(2).text, QString());
        QCOMPARE(events.at(2).payload, QByteArrayLiteral("in"));
        QCOMPARE(events.at(3).kind, MessageEventKind::FrameOut);
        QCOMPARE(events.at(3).peer, EventPeer::Backend);
        QCOMPARE(events.at(3).text, url);
        QCOMPARE(events.at(4).kind, MessageEventKind::Log);
        QCOMPARE(events.at(4).text, u"line 6"_s);
    }

    // Timestamps come from the TSC where there is one: they must still read as wall-clock
    // time and steady-clock ns.
    void leanTimestampsAreWallClock()
    {
        MessageEventHub hub;
        const qint64 before = QDateTime::currentMSecsSinceEpoch();
        hub.emitFrame(MessageEventKind::FrameIn, EventPeer::Client, u"ws-1"_s, 1, u"a"_s,
                      EventOpcode::Text, "x");
        const qint64 after = QDateTime::currentMSecsSinceEpoch();
        const MessageEvent event = hub.snapshot().at(0);
        QVERIFY2(event.timestampMs >= before - 2 && event.timestampMs <= after + 2,
                 qPrintable(u"%1 not in [%2, %3]"_s.arg(event.timestampMs).arg(before).arg(after)));
    }

    // Two threads, each its own connection: ids are unique, dense and monotonic over the hub,
    // and each connection's events come out in the order that thread emitted them, also while
    // ids are handed out in batches and by readers.
    void leanOrderingAcrossTwoThreads()
    {
        MessageEventHub hub(100000);
        constexpr int kPerThread = 20000;
        const QString artifact = u"websocket"_s;
        const auto writer = [&hub, &artifact](const QString &connection) {
            for (int i = 0; i < kPerThread; ++i) {
                hub.emitFrame(MessageEventKind::FrameIn, EventPeer::Client, connection,
                              quint64(i + 1), artifact, EventOpcode::Text, QByteArray());
            }
        };
        // A reader takes snapshots while the writers run: it must never see an id gap that
        // fills in later (the management API polls with since=<last id seen>).
        std::atomic<bool> done{false};
        bool readerSawGap = false;
        std::thread reader([&] {
            while (!done.load()) {
                const QList<MessageEvent> events = hub.snapshot();
                for (qsizetype i = 1; i < events.size(); ++i)
                    readerSawGap = readerSawGap || events.at(i).id != events.at(i - 1).id + 1;
            }
        });
        std::thread a(writer, u"ws-a"_s);
        std::thread b(writer, u"ws-b"_s);
        a.join();
        b.join();
        done.store(true);
        reader.join();
        QVERIFY(!readerSawGap);

        const QList<MessageEvent> events = hub.snapshot();
        QCOMPARE(events.size(), 2 * kPerThread);
        QCOMPARE(hub.droppedCount(), 0u);
        QHash<QString, quint64> lastMessage;
        for (qsizetype i = 0; i < events.size(); ++i) {
            const MessageEvent &event = events.at(i);
            QCOMPARE(event.id, quint64(i + 1));
            QCOMPARE(event.artifact, artifact);
            QCOMPARE(event.messageId, lastMessage.value(event.connectionId) + 1);
            lastMessage[event.connectionId] = event.messageId;
        }
        QCOMPARE(lastMessage.value(u"ws-a"_s), quint64(kPerThread));
        QCOMPARE(lastMessage.value(u"ws-b"_s), quint64(kPerThread));
    }

    // Inline copy for short payloads, shared bytes up to the cap, a copied prefix beyond it;
    // the size is always the whole frame's.
    void leanPayloadCap_data()
    {
        QTest::addColumn<int>("cap");
        QTest::addColumn<int>("length");
        QTest::newRow("short, inline") << 4096 << 10;
        QTest::newRow("long, shared") << 4096 << 1000;
        QTest::newRow("long, cut at the cap") << 100 << 1000;
        QTest::newRow("short, cut at the cap") << 4 << 10;
        QTest::newRow("capture off") << 0 << 10;
    }
    void leanPayloadCap()
    {
        QFETCH(int, cap);
        QFETCH(int, length);
        MessageEventHub hub;
        hub.setCapturePayloadBytes(cap);
        QByteArray payload(length, 'x');
        for (int i = 0; i < length; ++i)
            payload[i] = char('a' + i % 26);
        hub.emitFrame(MessageEventKind::FrameIn, EventPeer::Client, u"ws-1"_s, 1, u"a"_s,
                      EventOpcode::Text, payload);
        // Changing the caller's bytes afterwards must not change what was captured.
        const QByteArray expected = payload.left(cap);
        payload.fill('z');
        const MessageEvent event = hub.snapshot().at(0);
        QCOMPARE(event.size, length);
        QCOMPARE(event.payload, expected);
    }

    // Mediator events reference the mediator instead of copying its name and location: the
    // hub keeps the environment alive while records point at it, and lets go of it on clear()
    // and once a newer environment's events have replaced all of its records.
    void mediatorEventsOutliveTheirEnvironment()
    {
        MessageEventHub hub(8);
        std::weak_ptr<MediationEnvironment> released;
        quint64 messageId = 0;
        {
            MediationFixture f;
            QVERIFY(f.addArtifact(seq(u"s"_s, QStringLiteral("<property name=\"A\" value=\"1\"/>\n"
                                                             "  <drop/>"))));
            QVERIFY2(f.compile(), qPrintable(f.errors()));
            f.environment()->setObserver(&hub);
            messageId = f.run(u"s"_s, QByteArrayLiteral("{}"))->messageId();
            released = f.environment();
        }
        QVERIFY(!released.expired()); // pinned by the records
        const QList<MessageEvent> events = hub.snapshot();
        QCOMPARE(events.size(), 3);
        QCOMPARE(events.at(0).kind, MessageEventKind::MediatorEntered);
        QCOMPARE(events.at(0).mediator, u"property"_s);
        QCOMPARE(events.at(0).location.line, 2);
        QCOMPARE(events.at(0).location.column, 3);
        QVERIFY(events.at(0).location.file.endsWith(u".xml"_s));
        QCOMPARE(events.at(0).messageId, messageId);
        QCOMPARE(events.at(0).connectionId, u"test-channel"_s);
        QCOMPARE(events.at(1).kind, MessageEventKind::PropertiesSet);
        QCOMPARE(events.at(1).properties.size(), 1);
        QCOMPARE(events.at(1).properties.at(0).name, u"A"_s);
        QCOMPARE(events.at(1).properties.at(0).value.toString(), u"1"_s);
        QCOMPARE(events.at(2).mediator, u"drop"_s);
        QCOMPARE(events.at(2).location.line, 3);

        // Another environment's mediators fill the ring: the first one is let go.
        MediationFixture g;
        QVERIFY(g.addArtifact(seq(u"t"_s, QStringLiteral("<drop/>"))));
        QVERIFY2(g.compile(), qPrintable(g.errors()));
        g.environment()->setObserver(&hub);
        for (int i = 0; i < 10; ++i)
            g.run(u"t"_s, QByteArrayLiteral("{}"));
        MediationFixture h;
        QVERIFY(h.addArtifact(seq(u"u"_s, QStringLiteral("<drop/>"))));
        QVERIFY2(h.compile(), qPrintable(h.errors()));
        h.environment()->setObserver(&hub);
        h.run(u"u"_s, QByteArrayLiteral("{}"));
        QVERIFY(released.expired());
        for (const MessageEvent &event : hub.snapshot())
            QCOMPARE(event.mediator, u"drop"_s);

        // clear() drops the records and whatever they kept alive.
        std::weak_ptr<MediationEnvironment> current = h.environment();
        h.environment()->setObserver(nullptr);
        g.environment()->setObserver(nullptr);
        const quint64 last = hub.lastId();
        hub.clear();
        QVERIFY(hub.snapshot().isEmpty());
        QCOMPARE(hub.lastId(), last); // ids go on from where they were
        hub.emitFrame(MessageEventKind::FrameIn, EventPeer::Client, u"ws-1"_s, 1, u"a"_s,
                      EventOpcode::Text, "x");
        QCOMPARE(hub.snapshot().size(), 1);
        QCOMPARE(hub.snapshot().at(0).id, last + 1);
        QVERIFY(!current.expired()); // h still holds it; only the hub's pin is gone
    }

    // A frame, the mediators its message runs through and their properties go into one record
    // within a time scope; read back they are separate events with consecutive ids, the
    // scope's timestamp, and a log line built from its parts when read.
    void stepsJoinTheFrameThatStartedThem()
    {
        MediationFixture f;
        QVERIFY(f.addArtifact(
            seq(u"s"_s, QStringLiteral("<property name=\"A\" value=\"1\"/>\n"
                                       "  <property name=\"B\" expression=\"$ctx:A\"/>\n"
                                       "  <log level=\"full\"/>\n"
                                       "  <drop/>"))));
        QVERIFY2(f.compile(), qPrintable(f.errors()));
        MessageEventHub hub(2); // two records hold all ten events
        f.environment()->setObserver(&hub);
        const LogLevel level = Logger::instance().level();
        Logger::instance().setLevel(LogLevel::Error); // the line is hidden: it is deferred
        auto message = f.newMessage(QByteArrayLiteral("{\"a\":1}"));
        const QString connection = u"test-channel"_s;
        const QString endpoint = u"ep"_s;
        {
            const MessageEventTimeScope scope(&hub);
            hub.emitFrame(MessageEventKind::FrameIn, EventPeer::Client, connection,
                          message->messageId(), endpoint, EventOpcode::Text,
                          QByteArrayLiteral("{\"a\":1}"));
            f.run(u"s"_s, message);
            // Frames the mediation sends: the same payload joins the record, another does not;
            // both read back as their own events.
            hub.emitFrame(MessageEventKind::FrameOut, EventPeer::Backend, connection,
                          message->messageId(), endpoint, EventOpcode::Text,
                          QByteArrayLiteral("{\"a\":1}"), u"ws://backend/"_s);
            hub.emitFrame(MessageEventKind::FrameOut, EventPeer::Client, connection,
                          message->messageId(), endpoint, EventOpcode::Binary,
                          QByteArrayLiteral("other"));
        }
        Logger::instance().setLevel(level);
        f.environment()->setObserver(nullptr);

        const QList<MessageEvent> events = hub.snapshot();
        QCOMPARE(hub.droppedCount(), 0u);
        const QList<MessageEventKind> kinds = {
            MessageEventKind::FrameIn,       MessageEventKind::MediatorEntered,
            MessageEventKind::PropertiesSet, MessageEventKind::MediatorEntered,
            MessageEventKind::PropertiesSet, MessageEventKind::MediatorEntered,
            MessageEventKind::Log,           MessageEventKind::MediatorEntered,
            MessageEventKind::FrameOut,      MessageEventKind::FrameOut};
        QCOMPARE(events.size(), kinds.size());
        for (qsizetype i = 0; i < events.size(); ++i) {
            QCOMPARE(events.at(i).kind, kinds.at(i));
            QCOMPARE(events.at(i).id, events.at(0).id + quint64(i));
            QCOMPARE(events.at(i).messageId, message->messageId());
            QCOMPARE(events.at(i).monotonicNs, events.at(0).monotonicNs);
        }
        QCOMPARE(events.at(0).payload, QByteArrayLiteral("{\"a\":1}"));
        QCOMPARE(events.at(1).mediator, u"property"_s);
        QVERIFY(events.at(1).payload.isEmpty());
        QCOMPARE(events.at(2).properties.at(0).name, u"A"_s);
        QCOMPARE(events.at(4).properties.at(0).name, u"B"_s);
        // A constant is read from its mediator, an expression's value was captured.
        QCOMPARE(events.at(2).properties.at(0).value.toString(), u"1"_s);
        QCOMPARE(events.at(4).properties.at(0).value.toString(), u"1"_s);
        QCOMPARE(events.at(5).mediator, u"log"_s);
        QCOMPARE(events.at(6).category, u"INFO"_s);
        QCOMPARE(events.at(6).text,
                 u"To: , MessageID: urn:uuid:%1, Direction: request, Payload: {\"a\":1}"_s.arg(
                     message->messageId()));
        QCOMPARE(events.at(7).mediator, u"drop"_s);
        QCOMPARE(events.at(8).peer, EventPeer::Backend);
        QCOMPARE(events.at(8).payload, QByteArrayLiteral("{\"a\":1}"));
        QCOMPARE(events.at(8).size, 7);
        QCOMPARE(events.at(8).text, u"ws://backend/"_s);
        QVERIFY(events.at(8).mediator.isEmpty());
        QCOMPARE(events.at(9).peer, EventPeer::Client);
        QCOMPARE(events.at(9).opcode, EventOpcode::Binary);
        QCOMPARE(events.at(9).payload, QByteArrayLiteral("other"));
        QVERIFY(events.at(9).text.isEmpty());

        // Read from the middle of a record: only the later events.
        const QList<MessageEvent> later = hub.snapshot(events.at(2).id);
        QCOMPARE(later.size(), 7);
        QCOMPARE(later.at(0).id, events.at(3).id);
        QCOMPARE(later.at(0).kind, MessageEventKind::MediatorEntered);

        // A read record takes no more steps: the next ones start a record of their own and
        // take the next ids.
        {
            const MessageEventTimeScope scope(&hub);
            f.environment()->setObserver(&hub);
            f.run(u"s"_s, message);
            f.environment()->setObserver(nullptr);
        }
        const QList<MessageEvent> again = hub.snapshot(events.last().id);
        QCOMPARE(again.size(), 7);
        QCOMPARE(again.at(0).id, events.last().id + 1);
        QCOMPARE(again.at(0).kind, MessageEventKind::MediatorEntered);
        QCOMPARE(hub.lastId(), again.last().id);
    }

    // A planned hop (a frame from a backend, a constant property, a log line, respond) is noted
    // as one record and read back as the events the executor would have left, in order, with
    // consecutive ids, one message id and one timestamp. Hops it cannot stand for are declined
    // before they take a message id; its environment stays alive while its records do.
    void plannedHopsReadBackAsTheirEvents()
    {
        MessageEventHub hub(2);
        std::weak_ptr<MediationEnvironment> released;
        PlannedHopHint hint;
        const QString client = u"ws-1"_s;
        const QString otherClient = u"ws-2"_s;
        const QString endpoint = u"ep"_s;
        const QString backend = u"ws://backend/"_s;
        const QByteArray payload = QByteArrayLiteral("{\"a\":1}");
        quint64 messageId = 0;
        {
            MediationFixture f;
            QVERIFY(f.addArtifact(seq(u"s"_s, QStringLiteral("<property name=\"A\" value=\"1\"/>\n"
                                                             "  <log level=\"full\"/>\n"
                                                             "  <respond/>"))));
            QVERIFY2(f.compile(), qPrintable(f.errors()));
            const std::shared_ptr<const MediationEnvironment> environment = f.environment();
            const ForwardPlan *plan = environment->sequence(u"s"_s)->forward.get();
            QVERIFY(plan);
            QCOMPARE(plan->hopEvents, 7);
            const auto hop = [&](const QString &out, const QByteArray &bytes) {
                return noteHop(hub, hint, environment, u"s"_s, client, out, backend,
                               FrameKind::Text, bytes);
            };
            // Declined, without taking a message id: frames on two channels, a payload the log
            // line prints beyond the capture, somebody watching.
            const quint64 before = MessageContext::newMessageId();
            QCOMPARE(hop(otherClient, payload), 0u);
            hub.setCapturePayloadBytes(4);
            QCOMPARE(hop(client, payload), 0u);
            hub.setCapturePayloadBytes(4096);
            const int subscription = hub.subscribe([](const MessageEvent &) {});
            QCOMPARE(hop(client, payload), 0u);
            hub.unsubscribe(subscription);
            QVERIFY(hub.snapshot().isEmpty());

            messageId = hop(client, payload);
            QCOMPARE(messageId, before + 1);
            released = f.environment();
        }
        QVERIFY(!released.expired()); // pinned by the record
        const QList<MessageEvent> events = hub.snapshot();
        const QList<MessageEventKind> kinds = {
            MessageEventKind::FrameIn,       MessageEventKind::MediatorEntered,
            MessageEventKind::PropertiesSet, MessageEventKind::MediatorEntered,
            MessageEventKind::Log,           MessageEventKind::MediatorEntered,
            MessageEventKind::FrameOut};
        QCOMPARE(events.size(), kinds.size());
        for (qsizetype i = 0; i < events.size(); ++i) {
            QCOMPARE(events.at(i).kind, kinds.at(i));
            QCOMPARE(events.at(i).id, events.at(0).id + quint64(i));
            QCOMPARE(events.at(i).messageId, messageId);
            QCOMPARE(events.at(i).connectionId, client);
            QCOMPARE(events.at(i).artifact, endpoint);
            QCOMPARE(events.at(i).monotonicNs, events.at(0).monotonicNs);
        }
        QCOMPARE(events.at(0).peer, EventPeer::Backend);
        QCOMPARE(events.at(0).text, backend);
        QCOMPARE(events.at(0).payload, payload);
        QCOMPARE(events.at(1).mediator, u"property"_s);
        QCOMPARE(events.at(1).location.line, 2);
        QCOMPARE(events.at(2).properties.size(), 1);
        QCOMPARE(events.at(2).properties.at(0).name, u"A"_s);
        QCOMPARE(events.at(2).properties.at(0).value.toString(), u"1"_s);
        QCOMPARE(events.at(3).mediator, u"log"_s);
        QCOMPARE(events.at(4).category, u"INFO"_s);
        // A reply from the backend: its URL is the To address, the direction the response.
        QCOMPARE(events.at(4).text,
                 u"To: ws://backend/, MessageID: urn:uuid:%1, Direction: response, Payload: "
                 u"{\"a\":1}"_s.arg(messageId));
        QCOMPARE(events.at(5).mediator, u"respond"_s);
        QCOMPARE(events.at(6).peer, EventPeer::Client);
        QCOMPARE(events.at(6).opcode, EventOpcode::Text);
        QCOMPARE(events.at(6).size, payload.size());
        QCOMPARE(events.at(6).payload, payload);
        QVERIFY(events.at(6).text.isEmpty());
        QVERIFY(events.at(6).mediator.isEmpty());
        // Read from the middle of the record: only the later events.
        QCOMPARE(hub.snapshot(events.at(4).id).size(), 2);
        QCOMPARE(hub.lastId(), events.last().id);

        // Two more records fill the ring (two records): the hop is dropped, seven events, and
        // its environment is let go once hops of other environments (a redeploy's) come.
        hub.emitFrame(MessageEventKind::FrameIn, EventPeer::Client, client, 1, endpoint,
                      EventOpcode::Text, "x");
        hub.emitFrame(MessageEventKind::FrameIn, EventPeer::Client, client, 2, endpoint,
                      EventOpcode::Text, "y");
        QCOMPARE(hub.droppedCount(), 7u);
        QVERIFY(!released.expired()); // a slot keeps it until a new environment's hop
        MediationFixture g;
        MediationFixture h;
        for (MediationFixture *next : {&g, &h}) {
            QVERIFY(next->addArtifact(seq(u"t"_s, QStringLiteral("<respond/>"))));
            QVERIFY2(next->compile(), qPrintable(next->errors()));
            QVERIFY(noteHop(hub, hint, next->environment(), u"t"_s, client, client, QString(),
                            FrameKind::Binary, payload) != 0);
        }
        QVERIFY(released.expired());
        const QList<MessageEvent> echo = hub.snapshot(hub.lastId() - 3);
        QCOMPARE(echo.size(), 3);
        QCOMPARE(echo.at(0).opcode, EventOpcode::Binary);
        QVERIFY(echo.at(0).text.isEmpty());
        QCOMPARE(echo.at(1).mediator, u"respond"_s);
        QCOMPARE(echo.at(2).kind, MessageEventKind::FrameOut);
        QCOMPARE(echo.at(2).peer, EventPeer::Client);
        QCOMPARE(echo.at(2).opcode, EventOpcode::Binary);

        // clear() empties the side rings; the connection's hint, which names a slot past their
        // end now, takes a new one.
        hub.clear();
        QVERIFY(noteHop(hub, hint, h.environment(), u"t"_s, client, client, QString(),
                        FrameKind::Text, payload) != 0);
        const QList<MessageEvent> afterClear = hub.snapshot();
        QCOMPARE(afterClear.size(), 3);
        QCOMPARE(afterClear.at(0).connectionId, client);
        QCOMPARE(afterClear.at(0).artifact, endpoint);
        QCOMPARE(afterClear.at(2).payload, payload);
    }

    // A log line right after the frame that brought its message in is kept as a mark on the
    // log mediator's trail entry and built from that frame's record when read. What is read must
    // be the line the mediator would have written, whatever happens between the log and the
    // moment the trail is written: a reader handing out ids (the record takes no more steps), a
    // ring so small that the frame's record is overwritten, the payload changed after the log,
    // a reply put into the message before it (same size, other bytes), another direction and a
    // binary frame.
    void logLinesTheTrailStandsFor_data()
    {
        QTest::addColumn<QString>("sequence");
        QTest::addColumn<int>("capacity");
        QTest::addColumn<bool>("readBetween");
        QTest::addColumn<bool>("outflowBinary");
        QTest::addColumn<QString>("shownPayload");
        QTest::newRow("the frame's record")
            << u"logThenCallback"_s << 64 << false << false << u"Payload: {\"a\":1}"_s;
        QTest::newRow("a reader in between")
            << u"logThenCallback"_s << 64 << true << false << u"Payload: {\"a\":1}"_s;
        QTest::newRow("a reader in between, a ring of one")
            << u"logThenCallback"_s << 1 << true << false << u"Payload: {\"a\":1}"_s;
        QTest::newRow("a reply before the log")
            << u"callbackThenLog"_s << 64 << false << false << u"Payload: {\"b\":2}"_s;
        QTest::newRow("response, binary")
            << u"logThenCallback"_s << 64 << false << true << u"Payload: <binary 7 bytes>"_s;
        QTest::newRow("response, binary, a reader in between")
            << u"logThenCallback"_s << 64 << true << true << u"Payload: <binary 7 bytes>"_s;
    }
    void logLinesTheTrailStandsFor()
    {
        QFETCH(QString, sequence);
        QFETCH(int, capacity);
        QFETCH(bool, readBetween);
        QFETCH(bool, outflowBinary);
        QFETCH(QString, shownPayload);
        MediationFixture f;
        QVERIFY(f.addArtifact(seq(u"logThenCallback"_s, u"<log level=\"full\"/>\n"
                                                        "  <sequence key=\"callback\"/>\n"
                                                        "  <drop/>"_s)));
        QVERIFY(f.addArtifact(seq(u"callbackThenLog"_s, u"<sequence key=\"callback\"/>\n"
                                                        "  <log level=\"full\"/>\n"
                                                        "  <drop/>"_s)));
        QVERIFY(f.addArtifact(seq(u"callback"_s, u"<drop/>"_s), u"callback.xml"_s));
        QVERIFY2(f.compile(), qPrintable(f.errors()));
        MessageEventHub hub(capacity);
        // What happens between the log and the trail's write: the hand-made "callback"
        // sequence replaces the placeholder.
        auto callback = std::make_shared<CompiledSequence>();
        callback->name = u"callback"_s;
        callback->mediators.push_back(std::make_unique<CallbackMediator>(
            1, [&hub, readBetween, sequence](MessageContext &message) {
                if (sequence == u"callbackThenLog"_s) {
                    // What a sender does with a reply: the payload as received, not modified.
                    message.setReceivedPayload(QByteArrayLiteral("{\"b\":2}"),
                                               u"application/json"_s, message.frameKind());
                    return;
                }
                if (readBetween)
                    hub.lastId(); // hands out ids: the frame's record takes no more steps
                message.setPayload(QByteArrayLiteral("{\"changed\":true}"));
            }));
        f.environment()->addSequence(callback);
        f.environment()->setObserver(&hub);
        const LogLevel level = Logger::instance().level();
        Logger::instance().setLevel(LogLevel::Error); // the line is hidden: it is deferred
        const QByteArray payload = QByteArrayLiteral("{\"a\":1}");
        const QString backend = u"ws://backend/"_s;
        auto message = f.newMessage(payload);
        if (outflowBinary) {
            message->setReceivedPayload(payload, u"application/octet-stream"_s, FrameKind::Binary);
            message->setDirection(Direction::Outflow);
            message->setToAddress(backend);
        }
        {
            const MessageEventTimeScope scope(&hub);
            hub.emitFrame(MessageEventKind::FrameIn,
                          outflowBinary ? EventPeer::Backend : EventPeer::Client,
                          message->channelId(), message->messageId(), u"ep"_s,
                          outflowBinary ? EventOpcode::Binary : EventOpcode::Text, payload,
                          outflowBinary ? backend : QString());
            f.run(sequence, message);
        }
        Logger::instance().setLevel(level);
        f.environment()->setObserver(nullptr);

        QList<MessageEvent> events;
        for (const MessageEvent &event : hub.snapshot()) {
            if (event.messageId == message->messageId())
                events.append(event);
        }
        if (capacity > 1)
            QCOMPARE(events.first().kind, MessageEventKind::FrameIn);
        const auto log = std::find_if(events.cbegin(), events.cend(), [](const MessageEvent &e) {
            return e.kind == MessageEventKind::Log;
        });
        QVERIFY(log != events.cend());
        QCOMPARE(log->category, u"INFO"_s);
        QCOMPARE(log->connectionId, message->channelId());
        if (capacity > 1) { // a ring of one keeps one record: the line's own
            const auto entered = log - 1;
            QCOMPARE(entered->kind, MessageEventKind::MediatorEntered);
            QCOMPARE(entered->mediator, u"log"_s);
            QCOMPARE(log->id, entered->id + 1);
            QCOMPARE(log->monotonicNs, entered->monotonicNs);
        }
        QCOMPARE(log->text,
                 u"To: %1, MessageID: urn:uuid:%2, Direction: %3, %4"_s.arg(
                     outflowBinary ? backend : QString(), QString::number(message->messageId()),
                     outflowBinary ? u"response"_s : u"request"_s, shownPayload));
        // The rest of the run follows the line, in order.
        if (capacity > 1)
            QCOMPARE(events.last().mediator, u"drop"_s);
        for (qsizetype i = 1; i < events.size(); ++i)
            QVERIFY(events.at(i).id > events.at(i - 1).id);
    }

    void theValueJustSetIsFoundWithoutALookup()
    {
        MediationFixture f;
        QVERIFY2(f.compile(), qPrintable(f.errors()));
        auto message = f.newMessage(QByteArrayLiteral("{}"));
        const QString name = u"X"_s;
        message->setProperty(name, u"v"_s, PropertyScope::Axis2);
        const QVariant *value = message->lastSetProperty(name, PropertyScope::Axis2);
        QVERIFY(value);
        QCOMPARE(value->toString(), u"v"_s);
        QVERIFY(!message->lastSetProperty(name, PropertyScope::Default));
        // Another string with the same text is not "the same name" (the caller looks it up).
        const QString copy = QString::fromLatin1("X");
        QVERIFY(copy.constData() != name.constData());
        QVERIFY(!message->lastSetProperty(copy, PropertyScope::Axis2));
        message->removeProperty(u"Y"_s, PropertyScope::Default);
        QVERIFY(!message->lastSetProperty(name, PropertyScope::Axis2));
    }

    // While somebody watches, lean emitters hand whole events to the subscriber.
    void leanEmittersNotifySubscribers()
    {
        MessageEventHub hub;
        QList<MessageEvent> seen;
        const int id = hub.subscribe([&seen](const MessageEvent &event) { seen.append(event); });
        hub.emitFrame(MessageEventKind::FrameOut, EventPeer::Backend, u"ws-1"_s, 7, u"a"_s,
                      EventOpcode::Text, "hello", u"ws://backend/"_s);
        hub.unsubscribe(id);
        QCOMPARE(seen.size(), 1);
        QCOMPARE(seen.at(0).payload, QByteArray("hello"));
        QCOMPARE(seen.at(0).text, u"ws://backend/"_s);
        QCOMPARE(seen.at(0).messageId, 7u);
        QCOMPARE(hub.snapshot().size(), 1);
        QCOMPARE(hub.snapshot().at(0).id, seen.at(0).id);
    }

    // A subscriber gets events in id order even when several threads emit at once: the studio's
    // log and `sluice logs --follow` show them as they come, and a message is followed from
    // the client to the backend across the endpoints' threads. Recording on and off, and the
    // lean frame path next to whole events.
    void subscribersGetEventsInIdOrderAcrossThreads_data()
    {
        QTest::addColumn<bool>("recording");
        QTest::newRow("recording") << true;
        QTest::newRow("not recording") << false;
    }
    void subscribersGetEventsInIdOrderAcrossThreads()
    {
        QFETCH(bool, recording);
        MessageEventHub hub(100000);
        hub.setRecording(recording);
        // The callback itself is thread-safe (a lock of its own): what it must not see is an id
        // that is smaller than one it already got.
        std::mutex seenMutex;
        std::vector<quint64> seen;
        const int subscription = hub.subscribe([&](const MessageEvent &event) {
            const std::lock_guard lock(seenMutex);
            seen.push_back(event.id);
        });
        constexpr int kThreads = 4;
        constexpr int kPerThread = 5000;
        std::vector<std::thread> writers;
        for (int t = 0; t < kThreads; ++t) {
            writers.emplace_back([&hub, t] {
                const QString connection = u"ws-%1"_s.arg(t);
                for (int i = 0; i < kPerThread; ++i) {
                    if (i % 2 == 0)
                        hub.emitEvent(frameEvent(connection));
                    else
                        hub.emitFrame(MessageEventKind::FrameOut, EventPeer::Backend, connection,
                                      quint64(i), u"a"_s, EventOpcode::Text, "x");
                }
            });
        }
        for (std::thread &writer : writers)
            writer.join();
        hub.unsubscribe(subscription);
        QCOMPARE(seen.size(), size_t(kThreads * kPerThread));
        qsizetype outOfOrder = 0;
        for (size_t i = 1; i < seen.size(); ++i)
            outOfOrder += seen[i] <= seen[i - 1] ? 1 : 0;
        QCOMPARE(outOfOrder, 0);
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

    // A frame step takes the mediators that led to it as one run, kept in a side ring and found
    // again through a hint (docs/events.md). Twelve flows of different lengths in turn, with a
    // ring of two records (and four run slots), so that the runs' slots are overwritten again
    // and again: every message still in the ring reads back its own mediators, in order,
    // between its frame in and its frame out.
    void trailRunsReadBackTheirOwnMediators()
    {
        MediationFixture f;
        constexpr int kFlows = 12;
        const auto length = [](int flow) { return flow % 4 + 1; };
        for (int flow = 0; flow < kFlows; ++flow) {
            QString body;
            for (int i = 0; i < length(flow); ++i)
                body += QStringLiteral("<property name=\"F%1\" value=\"%2\"/>\n")
                            .arg(flow)
                            .arg(flow * 10 + i);
            QVERIFY(f.addArtifact(seq(QStringLiteral("s%1").arg(flow), body)));
        }
        QVERIFY2(f.compile(), qPrintable(f.errors()));
        MessageEventHub hub(2);
        f.environment()->setObserver(&hub);
        const QByteArray payload = QByteArrayLiteral("{\"p\":1}");
        QList<std::pair<quint64, int>> sent; // message id, flow
        // Every message still in the ring: frame in, entered + properties set per property,
        // frame out.
        const auto checkRing = [&] {
            const QList<MessageEvent> events = hub.snapshot();
            int checked = 0;
            for (const auto &[messageId, flow] : sent) {
                QList<MessageEvent> of;
                for (const MessageEvent &event : events) {
                    if (event.messageId == messageId)
                        of.append(event);
                }
                if (of.isEmpty())
                    continue; // overwritten
                QCOMPARE(of.size(), 1 + 2 * length(flow) + 1);
                QCOMPARE(of.first().kind, MessageEventKind::FrameIn);
                for (int i = 0; i < length(flow); ++i) {
                    QCOMPARE(of.at(1 + 2 * i).kind, MessageEventKind::MediatorEntered);
                    QCOMPARE(of.at(1 + 2 * i).location.line, i + 2);
                    QCOMPARE(of.at(2 + 2 * i).kind, MessageEventKind::PropertiesSet);
                    QCOMPARE(of.at(2 + 2 * i).properties.at(0).value.toString(),
                             QString::number(flow * 10 + i));
                }
                QCOMPARE(of.last().kind, MessageEventKind::FrameOut);
                for (int i = 1; i < of.size(); ++i)
                    QCOMPARE(of.at(i).id, of.at(i - 1).id + 1);
                ++checked;
            }
            QCOMPARE(checked, std::min<int>(int(sent.size()), 2));
        };
        for (int round = 0; round < 60; ++round) {
            // Blocks of five: four flows, then the first again, whose run was written three
            // runs ago. That is too old to be used again (its slot comes round at the next
            // block's first run, while this record is still in the ring): it must be written
            // anew.
            const int block = round / 5;
            const int flow = (block * 4 + (round % 5 == 4 ? 0 : round % 5)) % kFlows;
            auto message = f.newMessage(payload);
            {
                const MessageEventTimeScope scope(&hub);
                hub.emitFrame(MessageEventKind::FrameIn, EventPeer::Client, u"c"_s,
                              message->messageId(), u"ep"_s, EventOpcode::Text, payload);
                f.run(QStringLiteral("s%1").arg(flow), message);
                hub.emitFrame(MessageEventKind::FrameOut, EventPeer::Backend, u"c"_s,
                              message->messageId(), u"ep"_s, EventOpcode::Text, payload);
            }
            sent.append({message->messageId(), flow});
            // Read after every message (records with ids take no more steps; the check is
            // about the runs they point at).
            checkRing();
            if (QTest::currentTestFailed())
                return;
        }
        f.environment()->setObserver(nullptr);
        QVERIFY(hub.droppedCount() > 0); // the ring went round
    }

    // While the ring records unwatched, the mediators a run enters are kept back and written
    // together (docs/events.md): by the time the message completes they are in the ring, in
    // order, however many there are, and a subscriber that arrives mid-run gets the rest as
    // whole events after them.
    void mediatorsKeptBackAreWrittenBeforeTheRunReturns()
    {
        QString body;
        constexpr int kProperties = 20; // more than one trail's worth (16)
        for (int i = 0; i < kProperties; ++i)
            body += QStringLiteral("<property name=\"P%1\" value=\"%1\"/>\n").arg(i);
        body += QStringLiteral("<drop/>");
        MediationFixture f;
        QVERIFY(f.addArtifact(seq(u"s"_s, body)));
        QVERIFY2(f.compile(), qPrintable(f.errors()));
        MessageEventHub hub;
        f.environment()->setObserver(&hub);
        auto message = f.newMessage(QByteArrayLiteral("{}"));
        qsizetype seenAtCompletion = -1;
        message->setCompletionHandler(
            [&](MessageContext &) { seenAtCompletion = hub.snapshot().size(); });
        f.run(u"s"_s, message);
        f.environment()->setObserver(nullptr);
        // Each property mediator: entered + properties set; then drop.
        QCOMPARE(seenAtCompletion, qsizetype(2 * kProperties + 1));
        const QList<MessageEvent> events = hub.snapshot();
        QCOMPARE(events.size(), 2 * kProperties + 1);
        for (int i = 0; i < kProperties; ++i) {
            const MessageEvent &entered = events.at(2 * i);
            const MessageEvent &set = events.at(2 * i + 1);
            QCOMPARE(entered.kind, MessageEventKind::MediatorEntered);
            QCOMPARE(entered.location.line, i + 2);
            QCOMPARE(set.kind, MessageEventKind::PropertiesSet);
            QCOMPARE(set.properties.size(), 1);
            QCOMPARE(set.properties.at(0).name, QStringLiteral("P%1").arg(i));
            QCOMPARE(set.properties.at(0).value.toString(), QString::number(i));
            QCOMPARE(set.id, entered.id + 1);
        }
        QCOMPARE(events.last().mediator, u"drop"_s);

        // A subscriber that arrives in the middle of a run: what was kept back is written
        // before the first event it gets, so ids keep the order the mediators ran in.
        auto sequence = std::make_shared<CompiledSequence>();
        sequence->name = u"hand-made"_s;
        QList<MessageEvent> delivered;
        sequence->mediators.push_back(
            std::make_unique<CallbackMediator>(1, [](MessageContext &) {}));
        sequence->mediators.push_back(std::make_unique<CallbackMediator>(2, [&](MessageContext &) {
            hub.subscribe([&delivered](const MessageEvent &event) { delivered.append(event); });
        }));
        sequence->mediators.push_back(
            std::make_unique<CallbackMediator>(3, [](MessageContext &) {}));
        f.environment()->setObserver(&hub);
        auto second = f.newMessage(QByteArrayLiteral("{}"));
        Executor::start(second, sequence);
        f.environment()->setObserver(nullptr);
        QCOMPARE(delivered.size(), 1); // the third mediator, as a whole event
        QCOMPARE(delivered.at(0).location.line, 3);
        QList<MessageEvent> ofSecond;
        for (const MessageEvent &event : hub.snapshot()) {
            if (event.messageId == second->messageId())
                ofSecond.append(event);
        }
        QCOMPARE(ofSecond.size(), 3);
        for (int i = 0; i < 3; ++i)
            QCOMPARE(ofSecond.at(i).location.line, i + 1);
        QVERIFY(ofSecond.at(0).id < ofSecond.at(1).id);
        QVERIFY(ofSecond.at(1).id < ofSecond.at(2).id);
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
        // A mediator's follow-up events (properties set, its log line) share the timestamp of
        // its "entered" event; the next mediator reads the clock again.
        QCOMPARE(events.at(1).monotonicNs, events.at(0).monotonicNs);
        QCOMPARE(events.at(3).monotonicNs, events.at(2).monotonicNs);
        QVERIFY(events.at(2).monotonicNs >= events.at(1).monotonicNs);
        QVERIFY(events.at(0).timestampMs > 0);
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
