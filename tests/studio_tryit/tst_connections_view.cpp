// SPDX-License-Identifier: Apache-2.0
// The connections dock: rows follow the runtime's reports by id (no reset, the selection
// stays), ages tick, and "Close…" asks for a code and a reason before it emits closeRequested.

#include "app/connections_view.h"
#include "model/connections_model.h"

#include <QApplication>
#include <QClipboard>
#include <QLabel>
#include <QSignalSpy>
#include <QTableView>
#include <QtTest>

using namespace sluice;
using namespace sluice::studio;

namespace {

constexpr qint64 kNow = 1'800'000'000'000; // a fixed "now" for the ages

ConnectionInfo client(const QString &id, qint64 ageMs, quint64 in = 0, quint64 out = 0)
{
    ConnectionInfo info;
    info.id = id;
    info.peer = EventPeer::Client;
    info.artifact = QStringLiteral("websocket");
    info.path = QStringLiteral("/chat");
    info.subprotocol = QStringLiteral("chat.v1");
    info.remoteAddress = QStringLiteral("127.0.0.1:53312");
    info.openedMs = kNow - ageMs;
    info.framesIn = in;
    info.framesOut = out;
    return info;
}

ConnectionInfo backend(const QString &id, const QString &clientId)
{
    ConnectionInfo info = client(id, 1000);
    info.peer = EventPeer::Backend;
    info.path = QStringLiteral("ws://127.0.0.1:9000/echo");
    info.clientId = clientId;
    return info;
}

QStringList ids(const ConnectionsModel &model)
{
    QStringList out;
    for (int row = 0; row < model.rowCount(); ++row)
        out.append(model.index(row, ConnectionsModel::Id).data().toString());
    return out;
}

QString cell(const ConnectionsModel &model, const QString &id, int column)
{
    return model.index(model.rowOf(id), column).data().toString();
}

} // namespace

class TestConnectionsView : public QObject {
    Q_OBJECT
private slots:
    void columnsShowTheConnection()
    {
        ConnectionsModel model;
        model.setClock([] { return kNow; });
        model.setConnections({client(QStringLiteral("ws-1"), 12'500, 3, 4),
                              backend(QStringLiteral("ws-1/b1"), QStringLiteral("ws-1"))});
        QCOMPARE(model.rowCount(), 2);
        QCOMPARE(model.columnCount(), ConnectionsModel::ColumnCount);
        const QString id = QStringLiteral("ws-1");
        QCOMPARE(cell(model, id, ConnectionsModel::Peer), QStringLiteral("client"));
        QCOMPARE(cell(model, id, ConnectionsModel::Artifact), QStringLiteral("websocket"));
        QCOMPARE(cell(model, id, ConnectionsModel::Path), QStringLiteral("/chat"));
        QCOMPARE(cell(model, id, ConnectionsModel::Subprotocol), QStringLiteral("chat.v1"));
        QCOMPARE(cell(model, id, ConnectionsModel::RemoteAddress),
                 QStringLiteral("127.0.0.1:53312"));
        QCOMPARE(cell(model, id, ConnectionsModel::Age), QStringLiteral("12 s"));
        QCOMPARE(cell(model, id, ConnectionsModel::FramesIn), QStringLiteral("3"));
        QCOMPARE(cell(model, id, ConnectionsModel::FramesOut), QStringLiteral("4"));
        QCOMPARE(cell(model, QStringLiteral("ws-1/b1"), ConnectionsModel::Peer),
                 QStringLiteral("backend"));
        QCOMPARE(cell(model, QStringLiteral("ws-1/b1"), ConnectionsModel::Path),
                 QStringLiteral("ws://127.0.0.1:9000/echo"));
        QCOMPARE(model.index(1, ConnectionsModel::Age).data(ConnectionsModel::IdRole).toString(),
                 QStringLiteral("ws-1/b1"));
    }

    void agesAreReadable_data()
    {
        QTest::addColumn<qint64>("ms");
        QTest::addColumn<QString>("text");
        QTest::newRow("0") << qint64(0) << QStringLiteral("0 s");
        QTest::newRow("59.9 s") << qint64(59'900) << QStringLiteral("59 s");
        QTest::newRow("3 min") << qint64(3 * 60'000 + 5'000) << QStringLiteral("3 min");
        QTest::newRow("2 h") << qint64(2 * 3'600'000) << QStringLiteral("2 h");
        QTest::newRow("2 h 5 min")
            << qint64(2 * 3'600'000 + 5 * 60'000) << QStringLiteral("2 h 5 min");
        QTest::newRow("3 d") << qint64(3 * 86'400'000 + 7'000'000) << QStringLiteral("3 d");
        QTest::newRow("clock skew") << qint64(-5'000) << QStringLiteral("0 s");
    }
    void agesAreReadable()
    {
        QFETCH(qint64, ms);
        QFETCH(QString, text);
        QCOMPARE(ConnectionsModel::formatAge(ms), text);
    }

    void agesFollowTheClock()
    {
        ConnectionsModel model;
        qint64 now = kNow;
        model.setClock([&now] { return now; });
        model.setConnections({client(QStringLiteral("ws-1"), 5'000)});
        QCOMPARE(cell(model, QStringLiteral("ws-1"), ConnectionsModel::Age), QStringLiteral("5 s"));
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        now += 180'000;
        model.refreshAges();
        QCOMPARE(changed.size(), 1);
        QCOMPARE(changed.first().at(0).toModelIndex().column(), int(ConnectionsModel::Age));
        QCOMPARE(cell(model, QStringLiteral("ws-1"), ConnectionsModel::Age),
                 QStringLiteral("3 min"));
    }

    void updatesAreDiffedById()
    {
        ConnectionsModel model;
        model.setClock([] { return kNow; });
        model.setConnections(
            {client(QStringLiteral("ws-1"), 1000), client(QStringLiteral("ws-2"), 1000),
             client(QStringLiteral("ws-3"), 1000), client(QStringLiteral("ws-4"), 1000)});
        QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
        QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
        QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);

        // ws-2 and ws-3 close, ws-4 got a frame, ws-5 opens; ws-1 is as it was.
        model.setConnections({client(QStringLiteral("ws-1"), 1000),
                              client(QStringLiteral("ws-4"), 1000, 1, 1),
                              client(QStringLiteral("ws-5"), 0)});
        QCOMPARE(ids(model), (QStringList{QStringLiteral("ws-1"), QStringLiteral("ws-4"),
                                          QStringLiteral("ws-5")}));
        QCOMPARE(reset.size(), 0);
        QCOMPARE(removed.size(), 1); // the neighbours ws-2 and ws-3 in one go
        QCOMPARE(removed.first().at(1).toInt(), 1);
        QCOMPARE(removed.first().at(2).toInt(), 2);
        QCOMPARE(inserted.size(), 1);
        QCOMPARE(inserted.first().at(1).toInt(), 2);
        QCOMPARE(changed.size(), 1); // only ws-4 changed
        QCOMPARE(changed.first().at(0).toModelIndex().row(), model.rowOf(QStringLiteral("ws-4")));
        QCOMPARE(cell(model, QStringLiteral("ws-4"), ConnectionsModel::FramesIn),
                 QStringLiteral("1"));

        // The same report again changes nothing.
        changed.clear();
        model.setConnections(model.connections());
        QCOMPARE(changed.size(), 0);
        model.setConnections({});
        QCOMPARE(model.rowCount(), 0);
        QCOMPARE(reset.size(), 0);
    }

    void backendsGoUnderTheirClient()
    {
        ConnectionsModel model;
        model.setConnections(
            {client(QStringLiteral("ws-1"), 1000), client(QStringLiteral("ws-2"), 1000)});
        // Reported after both clients, the backends still land under the one they serve.
        model.setConnections({client(QStringLiteral("ws-1"), 1000),
                              client(QStringLiteral("ws-2"), 1000),
                              backend(QStringLiteral("ws-1/b1"), QStringLiteral("ws-1")),
                              backend(QStringLiteral("ws-2/b1"), QStringLiteral("ws-2")),
                              backend(QStringLiteral("ws-1/b2"), QStringLiteral("ws-1")),
                              client(QStringLiteral("ws-3"), 0)});
        QCOMPARE(ids(model), (QStringList{QStringLiteral("ws-1"), QStringLiteral("ws-1/b1"),
                                          QStringLiteral("ws-1/b2"), QStringLiteral("ws-2"),
                                          QStringLiteral("ws-2/b1"), QStringLiteral("ws-3")}));
    }

    void summaryCountsClientsAndBackends()
    {
        ConnectionsView view;
        view.setConnections({client(QStringLiteral("ws-1"), 1000),
                             backend(QStringLiteral("ws-1/b1"), QStringLiteral("ws-1")),
                             client(QStringLiteral("ws-2"), 1000)});
        QCOMPARE(view.findChild<QLabel *>()->text(),
                 QStringLiteral("2 clients, 1 backend connection"));
    }

    void selectionSurvivesUpdates()
    {
        ConnectionsView view;
        view.resize(900, 300);
        view.show();
        view.setConnections({client(QStringLiteral("ws-1"), 1000),
                             client(QStringLiteral("ws-2"), 1000),
                             client(QStringLiteral("ws-3"), 1000)});
        view.table()->selectRow(2);
        QCOMPARE(view.selectedId(), QStringLiteral("ws-3"));
        // A row above it goes away and one is added: the selection moves with ws-3.
        view.setConnections({client(QStringLiteral("ws-2"), 1000),
                             client(QStringLiteral("ws-3"), 1000, 7, 7),
                             client(QStringLiteral("ws-9"), 0)});
        QCOMPARE(view.selectedId(), QStringLiteral("ws-3"));
        QCOMPARE(view.table()->currentIndex().row(), 1);
        // When it closes, nothing is selected (and Close… has nothing to close).
        view.setConnections({client(QStringLiteral("ws-2"), 1000)});
        QVERIFY(view.selectedId().isEmpty());
    }

    void closeAsksForCodeAndReason()
    {
        ConnectionsView view;
        view.setConnections({client(QStringLiteral("ws-1"), 1000),
                             backend(QStringLiteral("ws-1/b1"), QStringLiteral("ws-1"))});
        QSignalSpy requested(&view, &ConnectionsView::closeRequested);
        QString askedFor;
        int offeredCode = 0;
        bool accept = false;
        view.setCloseDialog([&](const QString &id, int *code, QString *reason) {
            askedFor = id;
            offeredCode = *code;
            *code = 4001;
            *reason = QStringLiteral("closed by hand");
            return accept;
        });

        view.closeSelected(); // nothing selected: no question, no signal
        QVERIFY(askedFor.isEmpty());
        view.table()->selectRow(1);
        view.closeSelected(); // cancelled
        QCOMPARE(askedFor, QStringLiteral("ws-1/b1"));
        QCOMPARE(offeredCode, 1000); // the dialog starts at normal closure
        QCOMPARE(requested.size(), 0);
        accept = true;
        view.closeSelected();
        QCOMPARE(requested.size(), 1);
        QCOMPARE(requested.first().at(0).toString(), QStringLiteral("ws-1/b1"));
        QCOMPARE(requested.first().at(1).toInt(), 4001);
        QCOMPARE(requested.first().at(2).toString(), QStringLiteral("closed by hand"));
    }

    void doubleClickCopiesTheId()
    {
        ConnectionsView view;
        view.resize(900, 300);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        view.setConnections(
            {client(QStringLiteral("ws-1"), 1000), client(QStringLiteral("ws-42"), 1000)});
        QApplication::clipboard()->clear();
        QSignalSpy doubleClicked(view.table(), &QAbstractItemView::doubleClicked);
        const QModelIndex cellIndex = view.model()->index(1, ConnectionsModel::Path);
        const QRect rect = view.table()->visualRect(cellIndex);
        // A double click is a click followed by a double-click event (as a real mouse sends).
        QTest::mouseClick(view.table()->viewport(), Qt::LeftButton, {}, rect.center());
        QTest::mouseDClick(view.table()->viewport(), Qt::LeftButton, {}, rect.center());
        QCOMPARE(doubleClicked.size(), 1);
        QCOMPARE(QApplication::clipboard()->text(), QStringLiteral("ws-42"));
    }
};

QTEST_MAIN(TestConnectionsView)
#include "tst_connections_view.moc"
