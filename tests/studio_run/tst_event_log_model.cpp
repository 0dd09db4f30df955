// SPDX-License-Identifier: Apache-2.0
// The message log's model: batches, bounds, sampling, pause, filters and the message path; and
// the queue that carries events from worker threads to the GUI.

#include "model/event_log_filter.h"
#include "model/event_log_model.h"
#include "model/event_log_queue.h"

#include <QSignalSpy>
#include <QTest>
#include <thread>
#include <vector>

using namespace sluice;
using namespace sluice::studio;

namespace {

MessageEvent makeEvent(quint64 id, MessageEventKind kind, const QString &connection = QString(),
                       quint64 message = 0)
{
    MessageEvent event;
    event.id = id;
    event.timestampMs = 1700000000000 + qint64(id);
    event.kind = kind;
    event.connectionId = connection;
    event.messageId = message;
    return event;
}

MessageEvent frame(quint64 id, MessageEventKind kind, EventPeer peer, const QString &connection,
                   quint64 message, const QByteArray &payload)
{
    MessageEvent event = makeEvent(id, kind, connection, message);
    event.peer = peer;
    event.opcode = EventOpcode::Text;
    event.payload = payload;
    event.size = payload.size();
    return event;
}

QList<MessageEvent> logEvents(quint64 firstId, int count)
{
    QList<MessageEvent> events;
    for (int i = 0; i < count; ++i)
        events.append(
            makeEvent(firstId + quint64(i), MessageEventKind::Log, QStringLiteral("ws-1")));
    return events;
}

// One message through the echo sample: client frame in, three mediators, backend frame out,
// and an unrelated event of another connection in between.
QList<MessageEvent> messagePath()
{
    const QString ws1 = QStringLiteral("ws-1");
    MessageEvent property = makeEvent(2, MessageEventKind::MediatorEntered, ws1, 7);
    property.artifact = QStringLiteral("websocket");
    property.mediator = QStringLiteral("property");
    property.location = {QStringLiteral("src/main/synapse-config/sequences/dispatchSeq.xml"), 3, 5};
    MessageEvent set = makeEvent(3, MessageEventKind::PropertiesSet, ws1, 7);
    set.properties.append(
        {QStringLiteral("OUT_ONLY"), PropertyScope::Default, QStringLiteral("true")});
    MessageEvent other = makeEvent(4, MessageEventKind::ConnectionOpened, QStringLiteral("ws-2"));
    MessageEvent send = makeEvent(5, MessageEventKind::MediatorEntered, ws1, 7);
    send.mediator = QStringLiteral("send");
    return {frame(1, MessageEventKind::FrameIn, EventPeer::Client, ws1, 7, R"({"a":1})"),
            property,
            set,
            other,
            send,
            frame(6, MessageEventKind::FrameOut, EventPeer::Backend, ws1, 7, R"({"a":1})"),
            frame(7, MessageEventKind::FrameIn, EventPeer::Client, ws1, 8, "second")};
}

} // namespace

class TestEventLogModel : public QObject {
    Q_OBJECT

private slots:
    void oneInsertPerBatch()
    {
        EventLogModel model;
        QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
        model.appendEvents(logEvents(1, 300));
        model.appendEvents(logEvents(301, 200));
        QCOMPARE(inserted.count(), 2);
        QCOMPARE(inserted.at(0).at(1).toInt(), 0);
        QCOMPARE(inserted.at(0).at(2).toInt(), 299);
        QCOMPARE(inserted.at(1).at(1).toInt(), 300);
        QCOMPARE(inserted.at(1).at(2).toInt(), 499);
        QCOMPARE(model.rowCount(), 500);
        QCOMPARE(model.totalReceived(), quint64(500));
        QCOMPARE(model.droppedCount(), quint64(0));
        model.appendEvents({});
        QCOMPARE(inserted.count(), 2);
    }

    void columnsShowTheEvent()
    {
        EventLogModel model;
        model.appendEvents(messagePath());
        QCOMPARE(model.columnCount(), int(EventLogModel::ColumnCount));
        const auto text = [&model](int row, int column) {
            return model.index(row, column).data().toString();
        };
        QCOMPARE(text(0, EventLogModel::ConnectionColumn), QStringLiteral("ws-1"));
        QCOMPARE(text(0, EventLogModel::DirectionColumn), QStringLiteral("client \u2192 sluice"));
        QCOMPARE(text(0, EventLogModel::KindColumn), QStringLiteral("frame-in"));
        QCOMPARE(text(0, EventLogModel::SizeColumn), QStringLiteral("7"));
        QCOMPARE(text(0, EventLogModel::SummaryColumn), QStringLiteral(R"({"a":1})"));
        QCOMPARE(text(1, EventLogModel::WhereColumn), QStringLiteral("websocket / property"));
        QCOMPARE(text(1, EventLogModel::SummaryColumn), QStringLiteral("dispatchSeq.xml:3:5"));
        QCOMPARE(text(2, EventLogModel::SummaryColumn), QStringLiteral("OUT_ONLY = true"));
        QCOMPARE(text(5, EventLogModel::DirectionColumn), QStringLiteral("sluice \u2192 backend"));
        QVERIFY(text(1, EventLogModel::SizeColumn).isEmpty()); // not a frame
    }

    void binaryPayloadSummaryIsHex()
    {
        EventLogModel model;
        model.appendEvents({frame(1, MessageEventKind::FrameIn, EventPeer::Client,
                                  QStringLiteral("ws-1"), 1, QByteArray("\xff\x00\x01", 3))});
        QCOMPARE(model.index(0, EventLogModel::SummaryColumn).data().toString(),
                 QStringLiteral("0xff 00 01"));
    }

    void httpRequestAndAnswerShowTheirLines()
    {
        EventLogModel model;
        MessageEvent request = frame(1, MessageEventKind::FrameIn, EventPeer::Client,
                                     QStringLiteral("http-3"), 1, R"({"a":1})");
        request.text = QStringLiteral("POST /services/orders");
        MessageEvent answer = frame(2, MessageEventKind::FrameOut, EventPeer::Client,
                                    QStringLiteral("http-3"), 1, QByteArray());
        answer.text = QStringLiteral("HTTP 202 Accepted");
        model.appendEvents({request, answer});
        QCOMPARE(model.index(0, EventLogModel::SummaryColumn).data().toString(),
                 QStringLiteral(R"(POST /services/orders  {"a":1})"));
        QCOMPARE(model.index(1, EventLogModel::SummaryColumn).data().toString(),
                 QStringLiteral("HTTP 202 Accepted"));
    }

    void boundedInChunks()
    {
        EventLogModel model;
        model.setCapacity(1000);
        QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
        for (int batch = 0; batch < 10; ++batch)
            model.appendEvents(logEvents(quint64(batch * 100 + 1), 100));
        QCOMPARE(model.rowCount(), 1000);
        QCOMPARE(removed.count(), 0);
        // One more row removes a whole chunk (a tenth), not one row per batch.
        model.appendEvents(logEvents(1001, 1));
        QCOMPARE(removed.count(), 1);
        QCOMPARE(model.rowCount(), 901);
        QCOMPARE(model.event(0).id, quint64(101));
        QCOMPARE(model.event(model.rowCount() - 1).id, quint64(1001));
        // Trimming the oldest rows is not dropping: they were shown.
        QCOMPARE(model.droppedCount(), quint64(0));
        QCOMPARE(model.rowOfEvent(101), 0);
        QCOMPARE(model.rowOfEvent(100), -1);
        QCOMPARE(model.rowOfEvent(1001), 900);
    }

    void largeBatchKeepsNewestAndCountsDropped()
    {
        EventLogModel model;
        model.setMaxRowsPerBatch(250);
        QSignalSpy counts(&model, &EventLogModel::countsChanged);
        model.appendEvents(logEvents(1, 1000));
        QCOMPARE(model.rowCount(), 250);
        QCOMPARE(model.event(0).id, quint64(751));
        QCOMPARE(model.droppedCount(), quint64(750));
        QCOMPARE(model.totalReceived(), quint64(1000));
        QVERIFY(counts.count() >= 1);
        model.addDropped(5); // what the source could not deliver
        QCOMPARE(model.droppedCount(), quint64(755));
        model.clear();
        QCOMPARE(model.rowCount(), 0);
        QCOMPARE(model.droppedCount(), quint64(0));
    }

    void pauseHoldsEventsUntilResume()
    {
        EventLogModel model;
        model.setCapacity(100);
        model.appendEvents(logEvents(1, 10));
        model.setPaused(true);
        model.appendEvents(logEvents(11, 60));
        model.appendEvents(logEvents(71, 60));
        QCOMPARE(model.rowCount(), 10);
        // The waiting buffer is bounded like the table: 120 waiting, 100 kept.
        QCOMPARE(model.droppedCount(), quint64(20));
        model.setPaused(false);
        QCOMPARE(model.rowCount(), 100);
        QCOMPARE(model.event(model.rowCount() - 1).id, quint64(130));
        QCOMPARE(model.event(0).id, quint64(31));
    }

    void messagePathAndHighlight()
    {
        EventLogModel model;
        model.appendEvents(messagePath());
        QCOMPARE(model.rowsOfMessage(7), QList<int>({0, 1, 2, 4, 5}));
        QCOMPARE(model.rowsOfMessage(0), QList<int>());
        QCOMPARE(model.rowsOfConnection(QStringLiteral("ws-2")), QList<int>({3}));
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        model.setHighlightedMessage(7);
        QCOMPARE(changed.count(), 5);
        for (int row = 0; row < model.rowCount(); ++row) {
            const bool expected = model.rowsOfMessage(7).contains(row);
            QCOMPARE(model.index(row, 0).data(EventLogModel::HighlightRole).toBool(), expected);
            QCOMPARE(model.index(row, 0).data(Qt::BackgroundRole).isValid(), expected);
        }
        changed.clear();
        model.setHighlightedMessage(8);
        QCOMPARE(changed.count(), 6); // the five rows of 7 and the one of 8
        QVERIFY(!model.index(0, 0).data(EventLogModel::HighlightRole).toBool());
        QVERIFY(model.index(6, 0).data(EventLogModel::HighlightRole).toBool());
    }

    void replyIsPairedOnlyWhenCertain()
    {
        const QString ws = QStringLiteral("ws-1");
        EventLogModel model;
        model.appendEvents({
            frame(1, MessageEventKind::FrameIn, EventPeer::Client, ws, 1, "a"),
            frame(2, MessageEventKind::FrameOut, EventPeer::Backend, ws, 1, "a"),
            frame(3, MessageEventKind::FrameIn, EventPeer::Backend, QStringLiteral("ws-2"), 9, "x"),
            frame(4, MessageEventKind::FrameIn, EventPeer::Backend, ws, 2, "a"),
            frame(5, MessageEventKind::FrameOut, EventPeer::Client, ws, 2, "a"),
            // Two messages out before a reply comes: which one it answers is not known.
            frame(6, MessageEventKind::FrameOut, EventPeer::Backend, ws, 3, "b"),
            frame(7, MessageEventKind::FrameOut, EventPeer::Backend, ws, 4, "c"),
            frame(8, MessageEventKind::FrameIn, EventPeer::Backend, ws, 5, "c"),
        });
        QCOMPARE(model.replyOf(1), quint64(2)); // another connection's frame does not count
        QCOMPARE(model.replyOf(3), quint64(0));
        QCOMPARE(model.replyOf(4), quint64(5));
        QCOMPARE(model.replyOf(2), quint64(0)); // not sent to a backend
        QCOMPARE(model.rowsOfPath(1), QList<int>({0, 1, 3, 4}));
        model.setHighlightedMessage(1);
        QCOMPARE(model.highlightedReply(), quint64(2));
        QList<int> highlighted;
        for (int row = 0; row < model.rowCount(); ++row) {
            if (model.index(row, 0).data(EventLogModel::HighlightRole).toBool())
                highlighted.append(row);
        }
        QCOMPARE(highlighted, QList<int>({0, 1, 3, 4}));
    }

    void filtersCombine()
    {
        EventLogModel model;
        model.appendEvents(messagePath());
        EventLogFilter filter;
        filter.setSourceModel(&model);
        QCOMPARE(filter.rowCount(), 7);

        filter.setDirection(EventDirection::In);
        QCOMPARE(filter.rowCount(), 2);
        filter.setDirection(EventDirection::Out);
        QCOMPARE(filter.rowCount(), 1);
        filter.setDirection(EventDirection::None);

        filter.setKinds({MessageEventKind::MediatorEntered});
        QCOMPARE(filter.rowCount(), 2);
        filter.setKinds({});

        filter.setConnection(QStringLiteral("ws-2"));
        QCOMPARE(filter.rowCount(), 1);
        filter.setConnection(QString());

        QVERIFY(filter.setText(QStringLiteral("out_only"), false));
        QCOMPARE(filter.rowCount(), 1);
        QVERIFY(filter.setText(QStringLiteral("^.*(property|send)"), true));
        QCOMPARE(filter.rowCount(), 2);
        QString error;
        QVERIFY(!filter.setText(QStringLiteral("(unclosed"), true, &error));
        QVERIFY2(!error.isEmpty(), "an invalid expression says why");
        QCOMPARE(filter.rowCount(), 2); // the previous text filter stays

        // All at once: frames of ws-1 coming in that mention "second".
        filter.setDirection(EventDirection::In);
        filter.setConnection(QStringLiteral("ws-1"));
        QVERIFY(filter.setText(QStringLiteral("second"), false));
        QCOMPARE(filter.rowCount(), 1);
        QCOMPARE(filter.index(0, 0).data(EventLogModel::EventIdRole).toULongLong(), quint64(7));

        // New rows go through the filter as they arrive.
        model.appendEvents({frame(8, MessageEventKind::FrameIn, EventPeer::Client,
                                  QStringLiteral("ws-1"), 9, "second again")});
        QCOMPARE(filter.rowCount(), 2);
    }

    void queueCarriesEventsFromThreads()
    {
        EventLogQueue queue(100000);
        constexpr int kThreads = 4;
        constexpr int kEach = 5000;
        std::vector<std::thread> threads;
        for (int t = 0; t < kThreads; ++t) {
            threads.emplace_back([&queue, t] {
                for (int i = 0; i < kEach; ++i)
                    queue.push(makeEvent(quint64(t * kEach + i + 1), MessageEventKind::Log));
            });
        }
        int taken = 0;
        while (taken < kThreads * kEach) {
            taken += int(queue.take().events.size());
            if (taken < kThreads * kEach)
                std::this_thread::yield();
        }
        for (std::thread &thread : threads)
            thread.join();
        QCOMPARE(taken, kThreads * kEach);
        QVERIFY(queue.take().events.isEmpty());
    }

    void fullQueueRefusesAndCounts()
    {
        EventLogQueue queue(10);
        for (int i = 0; i < 25; ++i)
            queue.push(makeEvent(quint64(i + 1), MessageEventKind::Log));
        EventLogQueue::Batch batch = queue.take();
        QCOMPARE(batch.events.size(), 10);
        QCOMPARE(batch.events.first().id, quint64(1));
        QCOMPARE(batch.dropped, quint64(15));
        batch = queue.take();
        QCOMPARE(batch.events.size(), 0);
        QCOMPARE(batch.dropped, quint64(0));
    }
};

QTEST_GUILESS_MAIN(TestEventLogModel)
#include "tst_event_log_model.moc"
