// SPDX-License-Identifier: Apache-2.0
// The try-it HTTP client against Python's own http.server (http_peer.py): a JSON file comes
// back 200 with its body pretty-printed and its headers listed, a missing one 404, XML is
// indented, and a port nobody listens on is an error without a status.

#include "app/http_try_it_tab.h"
#include "app/try_it_panel.h"
#include "tryit_test_support.h"

#include <QComboBox>
#include <QFile>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableWidget>
#include <QTreeWidget>
#include <QtTest>

using namespace sluice::studio;

namespace {

bool writeFile(const QString &path, const QByteArray &content)
{
    QFile file(path);
    return file.open(QIODevice::WriteOnly) && file.write(content) == content.size();
}

// Sends and waits for the answer; false when none came in time.
bool sendAndWait(HttpTryItTab &tab)
{
    QSignalSpy finished(&tab, &HttpTryItTab::finished);
    return tab.send() && finished.wait(15000);
}

QString responseHeader(const HttpTryItTab &tab, const QString &name)
{
    for (int i = 0; i < tab.responseHeaders()->topLevelItemCount(); ++i) {
        const QTreeWidgetItem *item = tab.responseHeaders()->topLevelItem(i);
        if (!item->text(0).compare(name, Qt::CaseInsensitive))
            return item->text(1);
    }
    return {};
}

} // namespace

class TestHttpTryIt : public QObject {
    Q_OBJECT
private slots:
    void initTestCase()
    {
        QVERIFY(m_settingsDir.isValid());
        testing::isolateSettings(m_settingsDir, QStringLiteral("tst_http_try_it"));
        QVERIFY(m_site.isValid());
        QVERIFY(writeFile(m_site.filePath(QStringLiteral("order.json")),
                          "{\"order\":{\"id\":7,\"items\":[\"tea\",\"cake\"]}}"));
        QVERIFY(writeFile(m_site.filePath(QStringLiteral("order.xml")),
                          "<order><id>7</id><item>tea</item></order>"));
        QVERIFY2(testing::startHttpPeer(m_peer, m_site.path()), qPrintable(m_peer.error()));
    }

    void endpointsFillTheUrlCombo()
    {
        TryItPanel panel;
        panel.setEndpoints({}, {QStringLiteral("http://127.0.0.1:8290/orders")});
        QCOMPARE(panel.httpTab()->urlCombo()->currentText(),
                 QStringLiteral("http://127.0.0.1:8290/orders"));
    }

    void getJsonIsPrettyPrinted()
    {
        HttpTryItTab tab;
        tab.urlCombo()->setEditText(url(QStringLiteral("/order.json")));
        tab.setHeader(QStringLiteral("X-Trace"), QStringLiteral("try-it"));
        QVERIFY(sendAndWait(tab));
        QCOMPARE(tab.lastResponse().status, 200);
        QCOMPARE(tab.lastResponse().reason, QStringLiteral("OK"));
        QVERIFY(tab.lastResponse().error.isEmpty());
        QCOMPARE(tab.responseBody()->toPlainText(),
                 QStringLiteral("{\n    \"order\": {\n        \"id\": 7,\n        \"items\": [\n"
                                "            \"tea\",\n            \"cake\"\n        ]\n    }\n}"));
        QCOMPARE(responseHeader(tab, QStringLiteral("Content-Type")),
                 QStringLiteral("application/json"));
        QCOMPARE(responseHeader(tab, QStringLiteral("Content-Length")), QStringLiteral("41"));
        const QString status = tab.statusLabel()->text();
        QVERIFY2(status.contains(QStringLiteral("200 OK")) &&
                     status.contains(QStringLiteral(" ms")),
                 qPrintable(status));
        QVERIFY(tab.lastResponse().elapsedMs >= 0);
    }

    void xmlIsIndented()
    {
        HttpTryItTab tab;
        tab.urlCombo()->setEditText(url(QStringLiteral("/order.xml")));
        QVERIFY(sendAndWait(tab));
        QCOMPARE(tab.lastResponse().status, 200);
        QCOMPARE(tab.responseBody()->toPlainText(),
                 QStringLiteral("<order>\n  <id>7</id>\n  <item>tea</item>\n</order>"));
    }

    void missingFileIs404()
    {
        HttpTryItTab tab;
        tab.urlCombo()->setEditText(url(QStringLiteral("/no-such-order.json")));
        tab.sendButton()->click();
        QSignalSpy finished(&tab, &HttpTryItTab::finished);
        QVERIFY(finished.wait(15000));
        QCOMPARE(tab.lastResponse().status, 404);
        QVERIFY(tab.lastResponse().error.isEmpty()); // an answer, not a failure
        QVERIFY2(tab.statusLabel()->text().contains(QStringLiteral("404")),
                 qPrintable(tab.statusLabel()->text()));
    }

    void methodNotAllowedByTheServerIsShown()
    {
        // http.server answers POST with 501: the body typed goes out and the status comes back.
        HttpTryItTab tab;
        tab.methodCombo()->setCurrentText(QStringLiteral("POST"));
        tab.urlCombo()->setEditText(url(QStringLiteral("/order.json")));
        tab.bodyEdit()->setPlainText(QStringLiteral("{\"id\": 8}"));
        QVERIFY(sendAndWait(tab));
        QCOMPARE(tab.lastResponse().status, 501);
    }

    void noServerIsAnErrorWithoutStatus()
    {
        int closedPort = 0;
        {
            testing::PythonPeer peer;
            QTemporaryDir empty;
            QVERIFY2(testing::startHttpPeer(peer, empty.path()), qPrintable(peer.error()));
            closedPort = peer.port();
        }
        HttpTryItTab tab;
        tab.urlCombo()->setEditText(QStringLiteral("http://127.0.0.1:%1/").arg(closedPort));
        QVERIFY(sendAndWait(tab));
        QCOMPARE(tab.lastResponse().status, 0);
        QVERIFY(!tab.lastResponse().error.isEmpty());
        QVERIFY2(tab.statusLabel()->text().startsWith(QStringLiteral("No response: ")),
                 qPrintable(tab.statusLabel()->text()));
    }

    void badUrlsAreRefused()
    {
        HttpTryItTab tab;
        tab.urlCombo()->setEditText(QStringLiteral("ws://127.0.0.1:1/"));
        QVERIFY(!tab.send());
        QVERIFY(!tab.isBusy());
        QVERIFY2(tab.statusLabel()->text().startsWith(QStringLiteral("Not an http://")),
                 qPrintable(tab.statusLabel()->text()));
    }

    void headersTableKeepsAnEmptyRowToTypeInto()
    {
        HttpTryItTab tab;
        QCOMPARE(tab.headersTable()->rowCount(), 1);
        tab.setHeader(QStringLiteral("Accept"), QStringLiteral("application/json"));
        tab.setHeader(QStringLiteral("accept"), QStringLiteral("text/xml")); // same header
        QCOMPARE(tab.headersTable()->rowCount(), 2);
        QCOMPARE(tab.headersTable()->item(0, 1)->text(), QStringLiteral("text/xml"));
        tab.headersTable()->item(1, 0)->setText(QStringLiteral("X-Typed"));
        QCOMPARE(tab.headersTable()->rowCount(), 3);
    }

private:
    QString url(const QString &path) const
    {
        return QStringLiteral("http://127.0.0.1:%1%2").arg(m_peer.port()).arg(path);
    }

    QTemporaryDir m_settingsDir;
    QTemporaryDir m_site;
    testing::PythonPeer m_peer;
};

QTEST_MAIN(TestHttpTryIt)
#include "tst_http_try_it.moc"
