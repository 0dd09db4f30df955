// SPDX-License-Identifier: Apache-2.0
// The try-it WebSocket client against python3-websockets (tests/e2e/peers/ws_backend.py):
// connect with a subprotocol and extra headers, send text, JSON and binary, see the echoes in
// the transcript; invalid JSON is refused with its line and column and never reaches the peer;
// the peer's close code and reason show; saved messages survive a new panel.

#include "app/saved_messages.h"
#include "app/try_it_panel.h"
#include "app/ws_try_it_tab.h"
#include "app/ws_try_it_transcript.h"
#include "tryit_test_support.h"

#include <QClipboard>
#include <QComboBox>
#include <QGuiApplication>
#include <QJsonArray>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QTreeWidget>
#include <QtTest>

using namespace sluice::studio;
using Direction = TranscriptEntry::Direction;

namespace {

QList<TranscriptEntry> frames(const WsTryItTab &tab, Direction direction)
{
    QList<TranscriptEntry> out;
    for (const TranscriptEntry &entry : tab.transcript()->entries()) {
        if (entry.direction == direction)
            out.append(entry);
    }
    return out;
}

QStringList notes(const WsTryItTab &tab)
{
    QStringList out;
    for (const TranscriptEntry &entry : frames(tab, Direction::Note))
        out.append(QString::fromUtf8(entry.data));
    return out;
}

QString wsUrl(int port, const QString &path = QStringLiteral("/try"))
{
    return QStringLiteral("ws://127.0.0.1:%1%2").arg(port).arg(path);
}

} // namespace

class TestWsTryIt : public QObject {
    Q_OBJECT
private slots:
    void initTestCase()
    {
        QVERIFY(m_settingsDir.isValid());
        testing::isolateSettings(m_settingsDir, QStringLiteral("tst_ws_try_it"));
    }

    void endpointsFillTheUrlCombo()
    {
        TryItPanel panel;
        panel.setEndpoints(
            {QStringLiteral("ws://127.0.0.1:9091/"), QStringLiteral("ws://127.0.0.1:9092/")},
            {QStringLiteral("http://127.0.0.1:8290/api")});
        QComboBox *wsUrls = panel.webSocketTab()->urlCombo();
        QCOMPARE(wsUrls->count(), 2);
        QCOMPARE(wsUrls->currentText(), QStringLiteral("ws://127.0.0.1:9091/"));
        // What the user typed stays when the runtime reports again.
        wsUrls->setEditText(QStringLiteral("ws://example.invalid/typed"));
        panel.setEndpoints({QStringLiteral("ws://127.0.0.1:9093/")}, {});
        QCOMPARE(wsUrls->count(), 1);
        QCOMPARE(wsUrls->currentText(), QStringLiteral("ws://example.invalid/typed"));
    }

    void echoesOfTextJsonAndBinary()
    {
        testing::PythonPeer peer;
        QVERIFY2(testing::startWebSocketPeer(
                     peer, {QStringLiteral("--subprotocol"), QStringLiteral("chat.v1")}),
                 qPrintable(peer.error()));
        WsTryItTab tab;
        tab.urlCombo()->setEditText(wsUrl(peer.port()));
        tab.subprotocolEdit()->setText(QStringLiteral("other, chat.v1"));
        tab.headersEdit()->setPlainText(QStringLiteral("X-Try-It: from the studio\n"));
        QVERIFY(!tab.sendButton()->isEnabled());
        tab.connectButton()->click();
        QTRY_COMPARE_WITH_TIMEOUT(tab.state(), QAbstractSocket::ConnectedState, 10000);
        QCOMPARE(tab.negotiatedSubprotocol(), QStringLiteral("chat.v1"));
        QVERIFY2(tab.stateLabel()->text().contains(QStringLiteral("chat.v1")),
                 qPrintable(tab.stateLabel()->text()));
        QCOMPARE(tab.connectButton()->text(), QStringLiteral("Disconnect"));
        QVERIFY(tab.sendButton()->isEnabled());

        // The peer saw the path and the extra header.
        QTRY_COMPARE(peer.records(QStringLiteral("open")).size(), 1);
        const QJsonObject open = peer.records(QStringLiteral("open")).first();
        QCOMPARE(open.value(QStringLiteral("path")).toString(), QStringLiteral("/try"));
        bool sawHeader = false;
        const QJsonObject headers = open.value(QStringLiteral("headers")).toObject();
        for (auto it = headers.begin(); it != headers.end(); ++it)
            sawHeader =
                sawHeader || (!it.key().compare(QStringLiteral("x-try-it"), Qt::CaseInsensitive) &&
                              it.value().toString() == QStringLiteral("from the studio"));
        QVERIFY2(sawHeader, QJsonDocument(headers).toJson().constData());

        // Text.
        tab.setMode(MessageMode::Text);
        tab.editor()->setPlainText(QStringLiteral("hello, echo"));
        tab.sendButton()->click();
        QTRY_COMPARE(frames(tab, Direction::Received).size(), 1);
        QCOMPARE(frames(tab, Direction::Received).last().data, QByteArray("hello, echo"));
        QVERIFY(!frames(tab, Direction::Received).last().binary);

        // JSON, sent with Ctrl+Enter; the reply is shown pretty in the detail pane.
        tab.setMode(MessageMode::Json);
        tab.editor()->setPlainText(QStringLiteral("{\"op\":\"ping\",\"n\":[1,2]}"));
        QTest::keyClick(tab.editor(), Qt::Key_Return, Qt::ControlModifier);
        QTRY_COMPARE(frames(tab, Direction::Received).size(), 2);
        const TranscriptEntry jsonReply = frames(tab, Direction::Received).last();
        QCOMPARE(jsonReply.data, QByteArray("{\"op\":\"ping\",\"n\":[1,2]}"));
        QTreeWidget *table = tab.transcript()->table();
        table->setCurrentItem(table->topLevelItem(table->topLevelItemCount() - 1));
        QCOMPARE(tab.transcript()->detail()->toPlainText(),
                 QStringLiteral("{\n    \"n\": [\n        1,\n        2\n    ],\n"
                                "    \"op\": \"ping\"\n}"));
        // The table row shows it on one line.
        QCOMPARE(table->currentItem()->text(4), QStringLiteral("{\"n\":[1,2],\"op\":\"ping\"}"));

        // Binary typed as hex, then as base64: binary frames back, shown as hex.
        tab.setMode(MessageMode::Hex);
        tab.editor()->setPlainText(QStringLiteral("00 01 fe ff"));
        QVERIFY(tab.sendMessage());
        QTRY_COMPARE(frames(tab, Direction::Received).size(), 3);
        QVERIFY(frames(tab, Direction::Received).last().binary);
        QCOMPARE(frames(tab, Direction::Received).last().data, QByteArray::fromHex("0001feff"));
        QCOMPARE(table->topLevelItem(table->topLevelItemCount() - 1)->text(4),
                 QStringLiteral("00 01 fe ff"));
        tab.setMode(MessageMode::Base64);
        tab.editor()->setPlainText(QStringLiteral("3q2+7w=="));
        QVERIFY(tab.sendMessage());
        QTRY_COMPARE(frames(tab, Direction::Received).size(), 4);
        QCOMPARE(frames(tab, Direction::Received).last().data, QByteArray::fromHex("deadbeef"));

        // A received frame goes back into the editor: binary as hex, JSON as JSON.
        const int rows = table->topLevelItemCount();
        tab.transcript()->reuse(rows - 3); // the hex echo
        QCOMPARE(tab.mode(), MessageMode::Hex);
        QCOMPARE(tab.editor()->toPlainText(), QStringLiteral("00 01 fe ff"));
        tab.transcript()->reuse(rows - 5); // the JSON echo
        QCOMPARE(tab.mode(), MessageMode::Json);
        QCOMPARE(tab.editor()->toPlainText(), QStringLiteral("{\"op\":\"ping\",\"n\":[1,2]}"));
        tab.transcript()->copy(rows - 5);
        QCOMPARE(QGuiApplication::clipboard()->text(),
                 QStringLiteral("{\n    \"n\": [\n        1,\n        2\n    ],\n"
                                "    \"op\": \"ping\"\n}"));

        // What the peer got, byte for byte, in order.
        QTRY_COMPARE(peer.records(QStringLiteral("message")).size(), 4);
        const QList<QJsonObject> got = peer.records(QStringLiteral("message"));
        QCOMPARE(got.at(0).value(QStringLiteral("kind")).toString(), QStringLiteral("text"));
        QCOMPARE(got.at(0).value(QStringLiteral("data")).toString(), QStringLiteral("hello, echo"));
        QCOMPARE(got.at(2).value(QStringLiteral("kind")).toString(), QStringLiteral("binary"));
        QCOMPARE(
            QByteArray::fromBase64(got.at(2).value(QStringLiteral("data")).toString().toLatin1()),
            QByteArray::fromHex("0001feff"));
        QCOMPARE(frames(tab, Direction::Sent).size(), 4);

        // Disconnect: a normal close, noted with its code.
        tab.connectButton()->click();
        QTRY_COMPARE_WITH_TIMEOUT(tab.state(), QAbstractSocket::UnconnectedState, 10000);
        QVERIFY2(notes(tab).last().contains(QStringLiteral("1000")),
                 qPrintable(notes(tab).join(QLatin1Char('\n'))));
        QTRY_COMPARE(peer.records(QStringLiteral("close")).size(), 1);
        QCOMPARE(
            peer.records(QStringLiteral("close")).first().value(QStringLiteral("code")).toInt(),
            1000);
    }

    void invalidJsonIsNotSent()
    {
        testing::PythonPeer peer;
        QVERIFY2(testing::startWebSocketPeer(peer), qPrintable(peer.error()));
        WsTryItTab tab;
        tab.urlCombo()->setEditText(wsUrl(peer.port()));
        tab.connectToUrl();
        QTRY_COMPARE_WITH_TIMEOUT(tab.state(), QAbstractSocket::ConnectedState, 10000);

        tab.setMode(MessageMode::Json);
        tab.editor()->setPlainText(QStringLiteral("{\n  \"a\": 1,\n  \"b\": tru\n}"));
        // Shown while typing, and again when Send is pressed.
        QVERIFY2(tab.errorLabel()->text().startsWith(QStringLiteral("line 3, column")),
                 qPrintable(tab.errorLabel()->text()));
        QVERIFY(!tab.editor()->extraSelections().isEmpty()); // the place is marked
        QVERIFY(!tab.sendMessage());
        QTest::keyClick(tab.editor(), Qt::Key_Return, Qt::ControlModifier);
        QVERIFY2(tab.errorLabel()->text().startsWith(QStringLiteral("line 3, column")),
                 qPrintable(tab.errorLabel()->text()));
        QVERIFY(frames(tab, Direction::Sent).isEmpty());
        QVERIFY(!tab.formatJson());

        // Fixed, formatted and sent: the peer's first message is the fixed one.
        tab.editor()->setPlainText(QStringLiteral("{\"a\":1,\"b\":true}"));
        QVERIFY(tab.errorLabel()->text().isEmpty());
        QVERIFY(tab.editor()->extraSelections().isEmpty());
        QVERIFY(tab.formatJson());
        QCOMPARE(tab.editor()->toPlainText(),
                 QStringLiteral("{\n    \"a\": 1,\n    \"b\": true\n}"));
        QVERIFY(tab.sendMessage());
        QTRY_COMPARE(peer.records(QStringLiteral("message")).size(), 1);
        QCOMPARE(peer.records(QStringLiteral("message")).first().value(QStringLiteral("data")),
                 QJsonValue(QStringLiteral("{\n    \"a\": 1,\n    \"b\": true\n}")));

        // Bad hex is refused the same way.
        tab.setMode(MessageMode::Hex);
        tab.editor()->setPlainText(QStringLiteral("0a 0b 0z"));
        QVERIFY(!tab.sendMessage());
        QCOMPARE(tab.errorLabel()->text(),
                 QStringLiteral("line 1, column 8: 'z' is not a hex digit"));
        QCOMPARE(frames(tab, Direction::Sent).size(), 1);
    }

    void closeCodeAndReasonOfThePeerShow()
    {
        testing::PythonPeer peer;
        QVERIFY2(testing::startWebSocketPeer(
                     peer, {QStringLiteral("--mode"), QStringLiteral("close-code"),
                            QStringLiteral("--arg"), QStringLiteral("4001")}),
                 qPrintable(peer.error()));
        WsTryItTab tab;
        tab.urlCombo()->setEditText(wsUrl(peer.port()));
        tab.connectToUrl();
        QTRY_COMPARE_WITH_TIMEOUT(tab.state(), QAbstractSocket::ConnectedState, 10000);
        tab.editor()->setPlainText(QStringLiteral("bye?"));
        QVERIFY(tab.sendMessage());
        QTRY_COMPARE_WITH_TIMEOUT(tab.state(), QAbstractSocket::UnconnectedState, 10000);
        QVERIFY2(tab.stateLabel()->text().contains(QStringLiteral("4001")) &&
                     tab.stateLabel()->text().contains(QStringLiteral("backend says bye")),
                 qPrintable(tab.stateLabel()->text()));
        QVERIFY(!tab.sendButton()->isEnabled());
        QCOMPARE(tab.connectButton()->text(), QStringLiteral("Connect"));
    }

    void refusedConnectionsAndBadUrlsAreReported()
    {
        // A port nobody listens on: the peer is started and stopped to get one.
        int closedPort = 0;
        {
            testing::PythonPeer peer;
            QVERIFY2(testing::startWebSocketPeer(peer), qPrintable(peer.error()));
            closedPort = peer.port();
        }
        WsTryItTab tab;
        tab.urlCombo()->setEditText(wsUrl(closedPort));
        tab.connectToUrl();
        QTRY_VERIFY_WITH_TIMEOUT(
            notes(tab).join(QLatin1Char('\n')).contains(QStringLiteral("error:")), 10000);
        QTRY_COMPARE(tab.state(), QAbstractSocket::UnconnectedState);

        tab.urlCombo()->setEditText(QStringLiteral("http://127.0.0.1:1/"));
        tab.connectToUrl();
        QVERIFY2(tab.stateLabel()->text().startsWith(QStringLiteral("Not a ws://")),
                 qPrintable(tab.stateLabel()->text()));
        tab.urlCombo()->setEditText(wsUrl(closedPort));
        tab.headersEdit()->setPlainText(QStringLiteral("X-Good: 1\nno colon here"));
        tab.connectToUrl();
        QCOMPARE(tab.stateLabel()->text(),
                 QStringLiteral("headers, line 2: expected \"Name: value\""));
        QCOMPARE(tab.state(), QAbstractSocket::UnconnectedState);
    }

    void savedMessagesRoundTrip()
    {
        {
            WsTryItTab tab;
            QCOMPARE(tab.savedMessages().messages().size(), 0);
            tab.setMode(MessageMode::Json);
            tab.editor()->setPlainText(QStringLiteral("{\"op\": \"subscribe\"}"));
            QVERIFY(tab.saveMessage(QStringLiteral("subscribe")));
            tab.setMode(MessageMode::Hex);
            tab.editor()->setPlainText(QStringLiteral("de ad"));
            QVERIFY(tab.saveMessage(QStringLiteral("raw")));
            QVERIFY(!tab.saveMessage(QStringLiteral("  "))); // a name is needed
            // Saving under an existing name replaces it.
            tab.editor()->setPlainText(QStringLiteral("be ef"));
            QVERIFY(tab.saveMessage(QStringLiteral("raw")));
            QCOMPARE(tab.savedCombo()->count(), 3); // the prompt and two messages
        }
        {
            // A new panel (as after a restart) reads them back from QSettings.
            WsTryItTab tab;
            QCOMPARE(tab.savedMessages().names(),
                     (QStringList{QStringLiteral("subscribe"), QStringLiteral("raw")}));
            QVERIFY(tab.loadMessage(QStringLiteral("raw")));
            QCOMPARE(tab.mode(), MessageMode::Hex);
            QCOMPARE(tab.editor()->toPlainText(), QStringLiteral("be ef"));
            // Choosing one in the combo loads it.
            tab.savedCombo()->setCurrentIndex(1);
            emit tab.savedCombo()->activated(1);
            QCOMPARE(tab.mode(), MessageMode::Json);
            QCOMPARE(tab.editor()->toPlainText(), QStringLiteral("{\"op\": \"subscribe\"}"));
            QVERIFY(tab.deleteMessage(QStringLiteral("subscribe")));
            QVERIFY(!tab.deleteMessage(QStringLiteral("subscribe")));
            QVERIFY(!tab.loadMessage(QStringLiteral("subscribe")));
        }
        QSettings settings;
        SavedMessages reread(&settings);
        QCOMPARE(reread.messages().size(), 1);
        QCOMPARE(reread.messages().first(),
                 (SavedMessage{QStringLiteral("raw"), MessageMode::Hex, QStringLiteral("be ef")}));
        // Nothing went to the user's own settings.
        QVERIFY(settings.fileName().startsWith(m_settingsDir.path()));
    }

private:
    QTemporaryDir m_settingsDir;
};

QTEST_MAIN(TestWsTryIt)
#include "tst_ws_try_it.moc"
