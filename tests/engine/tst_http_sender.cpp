// SPDX-License-Identifier: Apache-2.0
// The HTTP sender's failures, with the real sender over real sockets on 127.0.0.1: a refused
// connection, a backend that accepts and closes, one that never answers within the endpoint's
// <timeout><duration>, and an address without a host. Each must resume the suspended `call`
// with MI's ERROR_CODE in the fault handler. Answers from real backends are covered end to end
// by tests/e2e/test_http_sender.py.
#include "mediation/executor.h"
#include "mediation_fixture.h"
#include "transports/http_sender.h"

#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>

using namespace sluice;
using namespace Qt::StringLiterals;
using sluice::test::MediationFixture;

namespace {

// A call to `uri`; the fault handler logs the code, a mediator after the call must not run.
QString callSequence(const QString &uri, const QString &timeout = QString())
{
    return QStringLiteral(
               "<sequence xmlns=\"http://ws.apache.org/ns/synapse\" name=\"s\" onError=\"f\">\n"
               "  <call><endpoint><address uri=\"%1\">%2</address></endpoint></call>\n"
               "  <property name=\"after\" value=\"x\"/>\n"
               "</sequence>\n")
        .arg(uri, timeout);
}

const QString kFaultSequence = QStringLiteral(
    "<sequence xmlns=\"http://ws.apache.org/ns/synapse\" name=\"f\">\n"
    "  <log level=\"custom\"><property name=\"CODE\" expression=\"get-property('ERROR_CODE')\"/>"
    "</log>\n"
    "</sequence>\n");

// A port that nothing listens on: the kernel's pick, released again.
quint16 closedPort()
{
    QTcpServer server;
    server.listen(QHostAddress::LocalHost);
    return server.serverPort();
}

} // namespace

class TestHttpSender : public QObject {
    Q_OBJECT

private:
    // Runs sequence "s" with the real HttpSender and waits until its flow has ended.
    static std::shared_ptr<MessageContext> runCall(MediationFixture &f, const QString &sequence)
    {
        // An empty `sequence`: the test has added "s" itself.
        if ((!sequence.isEmpty() && !f.addArtifact(sequence)) ||
            !f.addArtifact(kFaultSequence, u"f.xml"_s) || !f.compile()) {
            qWarning("%s", qPrintable(f.errors()));
            return nullptr;
        }
        f.environment()->setSender(u"http"_s, std::make_shared<HttpSender>());
        return f.run(u"s"_s, QByteArrayLiteral(R"({"q":1})"));
    }

    static void expectFault(MediationFixture &f, const std::shared_ptr<MessageContext> &message,
                            int code)
    {
        QVERIFY(message);
        QTRY_COMPARE_WITH_TIMEOUT(f.completions(), 1, 20000);
        QCOMPARE(MessageContext::propertyText(message->property(kErrorCode)),
                 QString::number(code));
        QVERIFY2(f.logContains(u"CODE = %1"_s.arg(code)), qPrintable(f.logLines().join(u'\n')));
        QVERIFY(!message->hasProperty(u"after"_s));
    }

private slots:
    void refusedConnectionIs101503()
    {
        MediationFixture f;
        auto message = runCall(f, callSequence(u"http://127.0.0.1:%1/x"_s.arg(closedPort())));
        expectFault(f, message, ErrorCodes::kConnectionFailed);
        QVERIFY(f.logContains(u"[http-sender]"_s));
    }

    void closedBeforeAnsweringIs101505()
    {
        QTcpServer server;
        QVERIFY(server.listen(QHostAddress::LocalHost));
        connect(&server, &QTcpServer::newConnection, &server, [&server] {
            QTcpSocket *socket = server.nextPendingConnection();
            // Read the request, then hang up without a status line.
            connect(socket, &QTcpSocket::readyRead, socket, [socket] {
                socket->readAll();
                socket->disconnectFromHost();
            });
        });
        MediationFixture f;
        auto message =
            runCall(f, callSequence(u"http://127.0.0.1:%1/x"_s.arg(server.serverPort())));
        expectFault(f, message, ErrorCodes::kConnectionClosed);
    }

    void silentBackendTimesOutWith101504()
    {
        QTcpServer server; // accepts (the kernel does), never answers
        QVERIFY(server.listen(QHostAddress::LocalHost));
        MediationFixture f;
        auto message = runCall(f, callSequence(u"http://127.0.0.1:%1/x"_s.arg(server.serverPort()),
                                               u"<timeout><duration>200</duration></timeout>"_s));
        expectFault(f, message, ErrorCodes::kConnectionTimeout);
        QVERIFY(MessageContext::propertyText(message->property(kErrorMessage))
                    .contains(u"no answer within 200 ms"_s));
    }

    void addressWithoutHostIs101507()
    {
        MediationFixture f;
        QVERIFY(f.addArtifact(
            u"<sequence xmlns=\"http://ws.apache.org/ns/synapse\" name=\"s\" onError=\"f\">\n"
            "  <property name=\"uri.var.host\" value=\"\"/>\n"
            "  <call><endpoint><http method=\"get\" uri-template=\"http://{uri.var.host}/x\"/>"
            "</endpoint></call>\n"
            "  <property name=\"after\" value=\"x\"/>\n"
            "</sequence>\n"_s));
        auto message = runCall(f, QString());
        expectFault(f, message, ErrorCodes::kSendFailure);
    }
};

QTEST_GUILESS_MAIN(TestHttpSender)
#include "tst_http_sender.moc"
