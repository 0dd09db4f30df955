// SPDX-License-Identifier: Apache-2.0
// The runtime's HTTP listener: started only for projects with proxy services, on the configured
// port; kept with its port across a redeploy that changes the proxy (curl sees the new answer);
// stopped when the proxies go; a port in use fails the deployment naming the port, with nothing
// left listening. curl is the client.
#include "runtime/message_events.h"
#include "runtime/runtime.h"

#include <QDir>
#include <QFile>
#include <QHostAddress>
#include <QProcess>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

using namespace sluice;
using namespace Qt::StringLiterals;

namespace {

int freePort()
{
    QTcpServer probe;
    if (!probe.listen(QHostAddress::LocalHost, 0))
        return 0;
    return probe.serverPort();
}

bool writeAll(const QString &path, const QByteArray &data)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile file(path);
    return file.open(QIODevice::WriteOnly | QIODevice::Truncate) && file.write(data) == data.size();
}

// A proxy that answers `text` with HTTP_SC `status`.
QByteArray proxyXml(const QString &name, const QString &text, int status)
{
    return u"<proxy xmlns=\"http://ws.apache.org/ns/synapse\" name=\"%1\" transports=\"http\">"
           "<target><inSequence>"
           "<payloadFactory media-type=\"text\"><format>%2</format><args/></payloadFactory>"
           "<property name=\"HTTP_SC\" value=\"%3\" scope=\"axis2\"/>"
           "<respond/></inSequence></target></proxy>"_s.arg(name, text)
               .arg(status)
               .toUtf8();
}

QByteArray sequenceXml(const QString &name)
{
    return u"<sequence xmlns=\"http://ws.apache.org/ns/synapse\" name=\"%1\"><drop/></sequence>"_s
        .arg(name)
        .toUtf8();
}

struct CurlAnswer {
    int status = 0;
    QByteArray body;
};

CurlAnswer post(int port, const QString &path, const QByteArray &body)
{
    QProcess curl;
    curl.start(u"curl"_s, {u"-sS"_s, u"--max-time"_s, u"10"_s, u"-o"_s, u"-"_s, u"-w"_s,
                           u"\n%{http_code}"_s, u"--data-binary"_s, QString::fromUtf8(body),
                           u"http://127.0.0.1:%1%2"_s.arg(port).arg(path)});
    if (!curl.waitForFinished(20000))
        return {};
    const QByteArray out = curl.readAllStandardOutput();
    const qsizetype newline = out.lastIndexOf('\n');
    return {out.mid(newline + 1).toInt(), out.left(newline)};
}

QString describe(const Diagnostics &diagnostics)
{
    QStringList lines;
    for (const Diagnostic &d : diagnostics.items())
        lines << d.location.toString() + u": "_s + d.message;
    return lines.join(u'\n');
}

bool isListening(int port)
{
    QTcpServer probe;
    return !probe.listen(QHostAddress::LocalHost, quint16(port));
}

} // namespace

class TestRuntimeHttp : public QObject {
    Q_OBJECT

private:
    QString writeProject(QTemporaryDir &dir, int port, const QByteArray &proxy)
    {
        const QString root = dir.path() + u"/project"_s;
        writeAll(root + u"/deployment.toml"_s,
                 u"[server]\nhttp_listener_port = %1\n"_s.arg(port).toUtf8());
        const QString config = root + u"/src/main/synapse-config/"_s;
        QDir(config + u"proxy-services"_s).removeRecursively();
        if (!proxy.isEmpty())
            writeAll(config + u"proxy-services/orders.xml"_s, proxy);
        writeAll(config + u"sequences/idle.xml"_s, sequenceXml(u"idle"_s));
        return root;
    }

private slots:
    void proxiesStartKeepAndStopTheListener()
    {
        QTemporaryDir dir;
        const int port = freePort();
        QVERIFY(port > 0);
        const QString project = writeProject(dir, port, proxyXml(u"orders"_s, u"first"_s, 201));
        Runtime runtime;
        Diagnostics diagnostics;
        QVERIFY2(runtime.deploy(project, diagnostics), qPrintable(describe(diagnostics)));
        const QString url = u"http://127.0.0.1:%1"_s.arg(port);
        QVERIFY(runtime.listeningDescriptions().contains(url + u" (proxy services and APIs)"_s));
        const RuntimeStatus status = runtime.status();
        QCOMPARE(status.listeners.size(), 1);
        QCOMPARE(status.listeners.first().url, url);
        QCOMPARE(status.listeners.first().port, port);

        CurlAnswer answer = post(port, u"/services/orders"_s, "x");
        QCOMPARE(answer.status, 201);
        QCOMPARE(answer.body, QByteArray("first"));

        // A changed proxy: same listener, same port, new answer.
        writeProject(dir, port, proxyXml(u"orders"_s, u"second"_s, 200));
        QVERIFY2(runtime.redeploy(QString(), diagnostics), qPrintable(describe(diagnostics)));
        answer = post(port, u"/services/orders/sub?q=1"_s, "x");
        QCOMPARE(answer.status, 200);
        QCOMPARE(answer.body, QByteArray("second"));

        // No proxies any more: no listener.
        writeProject(dir, port, QByteArray());
        QVERIFY2(runtime.redeploy(QString(), diagnostics), qPrintable(describe(diagnostics)));
        QVERIFY(runtime.status().listeners.isEmpty());
        QVERIFY(runtime.listeningDescriptions().isEmpty());
        QVERIFY(!isListening(port));

        // And back again; shutdown stops it.
        writeProject(dir, port, proxyXml(u"orders"_s, u"third"_s, 200));
        QVERIFY2(runtime.redeploy(QString(), diagnostics), qPrintable(describe(diagnostics)));
        QCOMPARE(post(port, u"/services/orders"_s, "x").body, QByteArray("third"));
        runtime.shutdown();
        QVERIFY(!isListening(port));
    }

    // A request and its answer are message events, around the events of their mediation: the
    // studio's log and `sluice logs` show HTTP flows as they show WebSocket ones.
    void requestAndAnswerAreMessageEvents()
    {
        QTemporaryDir dir;
        const int port = freePort();
        QVERIFY(port > 0);
        const QString project = writeProject(dir, port, proxyXml(u"orders"_s, u"done"_s, 201));
        Runtime runtime;
        runtime.setMessageEventsEnabled(true);
        Diagnostics diagnostics;
        QVERIFY2(runtime.deploy(project, diagnostics), qPrintable(describe(diagnostics)));
        const CurlAnswer answer = post(port, u"/services/orders?x=1"_s, "hello");
        QCOMPARE(answer.status, 201);

        const QList<MessageEvent> events = runtime.events().snapshot();
        QVERIFY(events.size() >= 5);
        const MessageEvent &request = events.first();
        QCOMPARE(request.kind, MessageEventKind::FrameIn);
        QCOMPARE(request.peer, EventPeer::Client);
        QCOMPARE(request.text, u"POST /services/orders?x=1"_s);
        QCOMPARE(request.payload, QByteArray("hello"));
        QCOMPARE(request.artifact, u"orders"_s);
        QVERIFY(request.connectionId.startsWith(u"http-"_s));
        const MessageEvent &response = events.last();
        QCOMPARE(response.kind, MessageEventKind::FrameOut);
        QCOMPARE(response.peer, EventPeer::Client);
        QCOMPARE(response.text, u"HTTP 201 Created"_s);
        QCOMPARE(response.payload, QByteArray("done"));
        QStringList mediators;
        for (const MessageEvent &event : events) {
            QCOMPARE(event.messageId, request.messageId);
            QCOMPARE(event.connectionId, request.connectionId);
            if (event.kind == MessageEventKind::MediatorEntered)
                mediators << event.mediator;
        }
        QCOMPARE(mediators, QStringList({u"payloadFactory"_s, u"property"_s, u"respond"_s}));
        runtime.shutdown();
    }

    void portInUseFailsTheDeploymentNamingThePort()
    {
        QTcpServer taken;
        QVERIFY(taken.listen(QHostAddress::LocalHost, 0));
        const int port = taken.serverPort();
        QTemporaryDir dir;
        const QString project = writeProject(dir, port, proxyXml(u"orders"_s, u"x"_s, 200));
        Runtime runtime;
        Diagnostics diagnostics;
        QVERIFY(!runtime.deploy(project, diagnostics));
        QVERIFY(!runtime.isDeployed());
        const QString problems = describe(diagnostics);
        QVERIFY2(problems.contains(u"cannot listen on 127.0.0.1:%1"_s.arg(port)),
                 qPrintable(problems));
        QVERIFY2(problems.contains(u"deployment.toml"_s), qPrintable(problems));
        QVERIFY(runtime.status().listeners.isEmpty());
    }

    void redeployOntoAPortInUseKeepsTheRunningListener()
    {
        QTemporaryDir dir;
        const int port = freePort();
        const QString project = writeProject(dir, port, proxyXml(u"orders"_s, u"kept"_s, 200));
        Runtime runtime;
        Diagnostics diagnostics;
        QVERIFY2(runtime.deploy(project, diagnostics), qPrintable(describe(diagnostics)));
        QTcpServer taken;
        QVERIFY(taken.listen(QHostAddress::LocalHost, 0));
        writeProject(dir, taken.serverPort(), proxyXml(u"orders"_s, u"moved"_s, 200));
        Diagnostics failed;
        QVERIFY(!runtime.redeploy(QString(), failed));
        QVERIFY(describe(failed).contains(QString::number(taken.serverPort())));
        QCOMPARE(post(port, u"/services/orders"_s, "x").body, QByteArray("kept"));
    }
};

QTEST_GUILESS_MAIN(TestRuntimeHttp)
#include "tst_runtime_http.moc"
