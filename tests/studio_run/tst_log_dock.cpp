// SPDX-License-Identifier: Apache-2.0
// The message log dock: filters from the toolbar, the message path highlighted on selection,
// mediator events reported for the design view, copy, and the payload views of the detail pane.

#include "app/event_detail_view.h"
#include "app/log_dock.h"
#include "model/event_log_filter.h"
#include "model/event_log_model.h"

#include <QApplication>
#include <QClipboard>
#include <QLabel>
#include <QSignalSpy>
#include <QTableView>
#include <QTest>
#include <QTreeWidget>

using namespace sluice;
using namespace sluice::studio;

namespace {

MessageEvent makeEvent(quint64 id, MessageEventKind kind, quint64 message,
                       const QByteArray &payload = {})
{
    MessageEvent e;
    e.id = id;
    e.timestampMs = 1700000000000 + qint64(id);
    e.kind = kind;
    e.connectionId = QStringLiteral("ws-3");
    e.messageId = message;
    e.payload = payload;
    e.size = payload.size();
    if (kind == MessageEventKind::FrameIn || kind == MessageEventKind::FrameOut) {
        e.peer = EventPeer::Client;
        e.opcode = EventOpcode::Text;
    }
    return e;
}

} // namespace

class TestLogDock : public QObject {
    Q_OBJECT

private slots:
    void selectingShowsDetailAndHighlightsThePath()
    {
        LogDock dock;
        MessageEvent mediator = makeEvent(2, MessageEventKind::MediatorEntered, 5);
        mediator.mediator = QStringLiteral("log");
        mediator.location = {QStringLiteral("sequences/out.xml"), 3, 5};
        dock.appendEvents({makeEvent(1, MessageEventKind::FrameIn, 5, R"({"k":[1,2]})"), mediator,
                           makeEvent(3, MessageEventKind::FrameIn, 6, "other"),
                           makeEvent(4, MessageEventKind::FrameOut, 5, R"({"k":[1,2]})")});
        QSignalSpy activated(&dock, &LogDock::mediatorActivated);

        QVERIFY(dock.selectEvent(1));
        QCOMPARE(dock.model()->highlightedMessage(), quint64(5));
        QCOMPARE(dock.detail()->shownView(), EventDetailView::PayloadView::Json);
        QVERIFY(dock.detail()->payloadText().contains(QStringLiteral("\"k\": [")));
        QVERIFY(dock.detail()->headerText().contains(QStringLiteral("message 5")));
        QCOMPARE(activated.count(), 0); // a frame is not a mediator

        QVERIFY(dock.selectEvent(2));
        QCOMPARE(activated.count(), 1);
        const auto location = activated.at(0).at(0).value<SourceLocation>();
        QCOMPARE(location.file, QStringLiteral("sequences/out.xml"));
        QCOMPARE(location.line, 3);

        QVERIFY(dock.selectEvent(3));
        QCOMPARE(dock.model()->highlightedMessage(), quint64(6));
        QCOMPARE(dock.detail()->shownView(), EventDetailView::PayloadView::Text);
    }

    void trimmingDoesNotActivateAMediator()
    {
        LogDock dock;
        dock.model()->setCapacity(10);
        QList<MessageEvent> events;
        for (quint64 id = 1; id <= 10; ++id) {
            MessageEvent mediator = makeEvent(id, MessageEventKind::MediatorEntered, id);
            mediator.location = {QStringLiteral("sequences/s.xml"), int(id), 5};
            events.append(mediator);
        }
        dock.appendEvents(events);
        QSignalSpy activated(&dock, &LogDock::mediatorActivated);
        QVERIFY(dock.selectEvent(1));
        QCOMPARE(activated.count(), 1);
        // The selected (oldest) row is trimmed away by new events: no new activation.
        QList<MessageEvent> more;
        for (quint64 id = 11; id <= 15; ++id) {
            MessageEvent mediator = makeEvent(id, MessageEventKind::MediatorEntered, id);
            mediator.location = {QStringLiteral("sequences/s.xml"), int(id), 5};
            more.append(mediator);
        }
        dock.appendEvents(more);
        QCOMPARE(dock.model()->rowOfEvent(1), -1);
        QCOMPARE(activated.count(), 1);
    }

    void toolbarFiltersAndCount()
    {
        LogDock dock;
        dock.appendEvents({makeEvent(1, MessageEventKind::FrameIn, 1, "alpha"),
                           makeEvent(2, MessageEventKind::FrameOut, 1, "beta"),
                           makeEvent(3, MessageEventKind::Log, 1)});
        QCOMPARE(dock.filter()->rowCount(), 3);
        dock.setDirectionFilter(int(EventDirection::Out));
        QCOMPARE(dock.filter()->rowCount(), 1);
        QVERIFY(dock.countLabel()->text().contains(QStringLiteral("1 shown")));
        dock.setDirectionFilter(int(EventDirection::None));
        dock.setKindFilter({MessageEventKind::Log});
        QCOMPARE(dock.filter()->rowCount(), 1);
        dock.setKindFilter({});
        dock.setTextFilter(QStringLiteral("al.ha"), true);
        QCOMPARE(dock.filter()->rowCount(), 1);
        dock.setTextFilter(QStringLiteral("al.ha"), false);
        QCOMPARE(dock.filter()->rowCount(), 0);
        dock.setTextFilter(QString(), false);
        dock.setConnectionFilter(QStringLiteral("ws-9"));
        QCOMPARE(dock.filter()->rowCount(), 0);
        dock.setConnectionFilter(QString());
        QCOMPARE(dock.filter()->rowCount(), 3);

        dock.addDropped(42);
        QVERIFY(dock.countLabel()->text().contains(QStringLiteral("42 dropped")));
        dock.setPaused(true);
        dock.appendEvents({makeEvent(4, MessageEventKind::Log, 2)});
        QCOMPARE(dock.model()->rowCount(), 3);
        QVERIFY(dock.countLabel()->text().contains(QStringLiteral("paused")));
        dock.setPaused(false);
        QCOMPARE(dock.model()->rowCount(), 4);
        dock.clear();
        QCOMPARE(dock.model()->rowCount(), 0);
    }

    void copiesSelectedRows()
    {
        LogDock dock;
        dock.appendEvents({makeEvent(1, MessageEventKind::FrameIn, 1, "alpha"),
                           makeEvent(2, MessageEventKind::FrameOut, 1, "beta")});
        dock.table()->selectAll();
        const QStringList lines = dock.selectedRowsText().split(QLatin1Char('\n'));
        QCOMPARE(lines.size(), 2);
        QVERIFY(lines[0].contains(QStringLiteral("frame-in")));
        QVERIFY(lines[0].endsWith(QStringLiteral("alpha")));
        QVERIFY(lines[1].contains(QStringLiteral("\tframe-out\t")));
        dock.copySelection();
        QCOMPARE(QApplication::clipboard()->text(), lines.join(QLatin1Char('\n')));
    }

    void payloadViews()
    {
        QCOMPARE(EventDetailView::prettyJson("not json"), QString());
        QCOMPARE(EventDetailView::prettyJson(R"({"a":1})"), QStringLiteral("{\n    \"a\": 1\n}\n"));
        QCOMPARE(EventDetailView::hexDump("AB\x01"),
                 QStringLiteral("00000000  41 42 01%1  AB.\n").arg(QString(39, QLatin1Char(' '))));

        QTreeWidget tree;
        QVERIFY(EventDetailView::fillXmlTree(
            &tree, R"(<order id="7"><item qty="2">valve</item><note>rush</note></order>)"));
        QCOMPARE(tree.topLevelItemCount(), 1);
        QTreeWidgetItem *order = tree.topLevelItem(0);
        QCOMPARE(order->text(0), QStringLiteral("order"));
        QCOMPARE(order->child(0)->text(0), QStringLiteral("@id"));
        QCOMPARE(order->child(0)->text(1), QStringLiteral("7"));
        QCOMPARE(order->child(1)->text(0), QStringLiteral("item"));
        QCOMPARE(order->child(1)->text(1), QStringLiteral("valve"));
        QVERIFY(!EventDetailView::fillXmlTree(&tree, "<broken><x></broken>"));
        QCOMPARE(tree.topLevelItemCount(), 0);

        EventDetailView view;
        view.setEvent(makeEvent(1, MessageEventKind::FrameIn, 1, "<a><b>1</b></a>"));
        QCOMPARE(view.shownView(), EventDetailView::PayloadView::Xml);
        QCOMPARE(view.xmlTree()->topLevelItem(0)->child(0)->text(1), QStringLiteral("1"));
        view.setPayloadView(EventDetailView::PayloadView::Hex);
        QVERIFY(view.payloadText().startsWith(QStringLiteral("00000000  3c 61 3e")));
        view.setPayloadView(EventDetailView::PayloadView::Json);
        QVERIFY(view.payloadText().startsWith(QStringLiteral("(not JSON)")));
        view.setPayloadView(EventDetailView::PayloadView::Auto);
        view.setEvent(makeEvent(2, MessageEventKind::FrameIn, 1, QByteArray("\xff\xfe", 2)));
        QCOMPARE(view.shownView(), EventDetailView::PayloadView::Hex);
    }
};

QTEST_MAIN(TestLogDock)
#include "tst_log_dock.moc"
