// SPDX-License-Identifier: Apache-2.0
// The WebSocket opening handshakes of Sluice's own (transports/ws_server_handshake.h,
// ws_client_handshake.h): request heads parsed with libhttp-parser, the answers and refusals an
// inbound endpoint gives, and the checks of a backend's answer.
#include "transports/ws_client_handshake.h"
#include "transports/ws_server_handshake.h"

#include <QTest>

using namespace sluice;

namespace {

const QByteArray kKey = "dGhlIHNhbXBsZSBub25jZQ==";

QByteArray upgrade(const QByteArray &extra = {}, const QByteArray &method = "GET",
                   const QByteArray &version = "HTTP/1.1")
{
    return method + " /chat?room=1 " + version +
           "\r\nHost: example.com\r\nUpgrade: websocket\r\nConnection: keep-alive, Upgrade\r\n"
           "Sec-WebSocket-Key: " +
           kKey + "\r\nSec-WebSocket-Version: 13\r\n" + extra + "\r\n";
}

WsUpgradeAnswer answer(const QByteArray &head, const QStringList &subprotocols = {},
                       bool originAllowed = true)
{
    WsHttpHead request;
    QString error;
    if (!parseWsHttpHead(head, false, &request, &error))
        qFatal("%s", qPrintable(error));
    return answerWsUpgrade(request, subprotocols,
                           [originAllowed](const QString &) { return originAllowed; });
}

} // namespace

class TestWsHandshake : public QObject {
    Q_OBJECT

private slots:
    void aValidUpgradeIsAnsweredWithTheRfcExampleKey()
    {
        const WsUpgradeAnswer a = answer(upgrade());
        QVERIFY(a.accepted);
        QVERIFY(a.response.startsWith("HTTP/1.1 101 Switching Protocols\r\n"));
        // RFC 6455 1.3's example: this key gives this accept value.
        QVERIFY(a.response.contains("\r\nSec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n"));
        QVERIFY(a.response.endsWith("\r\n\r\n"));
        QVERIFY(!a.response.contains("Sec-WebSocket-Protocol"));
    }

    void theSubprotocolIsTheFirstCommonOneInSortedOrder()
    {
        const WsUpgradeAnswer a = answer(
            upgrade("Sec-WebSocket-Protocol: zeta, beta\r\nSec-WebSocket-Protocol: alpha\r\n"),
            {QStringLiteral("zeta"), QStringLiteral("beta"), QStringLiteral("gamma")});
        QCOMPARE(a.subprotocol, QStringLiteral("beta"));
        QVERIFY(a.response.contains("\r\nSec-WebSocket-Protocol: beta\r\n"));
        QVERIFY(answer(upgrade("Sec-WebSocket-Protocol: other\r\n"), {QStringLiteral("beta")})
                    .subprotocol.isEmpty());
    }

    void badUpgradesAreRefusedWithTheirStatus_data()
    {
        QTest::addColumn<QByteArray>("head");
        QTest::addColumn<bool>("originAllowed");
        QTest::addColumn<QByteArray>("status");
        QTest::newRow("POST") << upgrade({}, "POST") << true << QByteArray("400");
        QTest::newRow("HTTP/1.0") << upgrade({}, "GET", "HTTP/1.0") << true << QByteArray("400");
        QTest::newRow("short key")
            << QByteArray(upgrade()).replace(kKey, "c2hvcnQ=") << true << QByteArray("400");
        QTest::newRow("no Connection: upgrade")
            << QByteArray(upgrade()).replace("keep-alive, Upgrade", "keep-alive") << true
            << QByteArray("400");
        QTest::newRow("version 8") << QByteArray(upgrade()).replace("Version: 13", "Version: 8")
                                   << true << QByteArray("426");
        QTest::newRow("origin refused")
            << upgrade("Origin: https://evil.example\r\n") << false << QByteArray("403");
    }

    void badUpgradesAreRefusedWithTheirStatus()
    {
        QFETCH(QByteArray, head);
        QFETCH(bool, originAllowed);
        QFETCH(QByteArray, status);
        const WsUpgradeAnswer a = answer(head, {}, originAllowed);
        QVERIFY(!a.accepted);
        QVERIFY2(a.response.startsWith("HTTP/1.1 " + status + ' '), a.response.constData());
        QVERIFY(!a.refusal.isEmpty());
    }

    void aHeadThatIsNotHttpIsAnErrorNamingTheByte()
    {
        WsHttpHead head;
        QString error;
        QVERIFY(!parseWsHttpHead("\x16\x03\x01 hello\r\n\r\n", false, &head, &error));
        QVERIFY2(error.contains(QLatin1String("at byte")), qPrintable(error));
    }

    void theClientRequestAndTheBackendsAnswer()
    {
        const QByteArray key = newWsKey();
        QCOMPARE(QByteArray::fromBase64(key).size(), 16);
        const QByteArray request =
            wsUpgradeRequest(QUrl(QStringLiteral("ws://backend:9000/echo?x=1")), key,
                             {QStringLiteral("chat")}, {{"X-Trace", "7"}});
        QVERIFY(request.startsWith("GET /echo?x=1 HTTP/1.1\r\nHost: backend:9000\r\n"));
        QVERIFY(request.contains("\r\nSec-WebSocket-Protocol: chat\r\n"));
        QVERIFY(request.contains("\r\nX-Trace: 7\r\n"));
        // The server side of Sluice accepts what the client side of Sluice asks.
        WsHttpHead parsed;
        QString error;
        QVERIFY(parseWsHttpHead(request, false, &parsed, &error));
        const WsUpgradeAnswer server =
            answerWsUpgrade(parsed, {QStringLiteral("chat")}, [](const QString &) { return true; });
        QVERIFY(server.accepted);

        WsHttpHead reply;
        QVERIFY(parseWsHttpHead(server.response, true, &reply, &error));
        QString subprotocol;
        QCOMPARE(checkWsUpgradeAnswer(reply, key, {QStringLiteral("chat")}, &subprotocol),
                 QString());
        QCOMPARE(subprotocol, QStringLiteral("chat"));
        // Another key's accept value, or a subprotocol not offered, is refused.
        QVERIFY(checkWsUpgradeAnswer(reply, newWsKey(), {QStringLiteral("chat")}, &subprotocol)
                    .contains(QLatin1String("Sec-WebSocket-Accept")));
        QVERIFY(checkWsUpgradeAnswer(reply, key, {}, &subprotocol)
                    .contains(QLatin1String("not offered")));
        WsHttpHead forbidden;
        QVERIFY(parseWsHttpHead("HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n", true,
                                &forbidden, &error));
        QVERIFY(checkWsUpgradeAnswer(forbidden, key, {}, &subprotocol)
                    .contains(QLatin1String("HTTP status 403")));
    }
};

QTEST_GUILESS_MAIN(TestWsHandshake)
#include "tst_ws_handshake.moc"
