// SPDX-License-Identifier: Apache-2.0
// Hot redeploy of a running Runtime: a temp copy of projects/websocket-echo on free ports, a real
// QWebSocket client connected through the whole test; changed sequences take effect on its next
// message without a reconnect, broken artifacts and listener failures leave the running
// deployment serving, references refuse an undeploy; connections(), closeConnection(), status().
#include "runtime/runtime.h"

#include <QDir>
#include <QFile>
#include <QHostAddress>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>
#include <QWebSocket>
#include <memory>

using namespace sluice;
using namespace Qt::StringLiterals;

namespace {

const QString kSynapse = u"/src/main/synapse-config/"_s;

int freePort()
{
    QTcpServer probe;
    if (!probe.listen(QHostAddress::LocalHost, 0))
        return 0;
    return probe.serverPort();
}

QByteArray readAll(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

bool writeAll(const QString &path, const QByteArray &data)
{
    QFile file(path);
    return file.open(QIODevice::WriteOnly | QIODevice::Truncate) && file.write(data) == data.size();
}

QByteArray sequenceXml(const QString &name, const QString &body)
{
    return u"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
           "<sequence name=\"%1\" xmlns=\"http://ws.apache.org/ns/synapse\">\n"
           "    %2\n"
           "</sequence>\n"_s.arg(name, body)
               .toUtf8();
}

// Replies with a fixed text instead of the backend's echo.
QByteArray outflowReplying(const QString &text)
{
    return sequenceXml(u"outDispatchSeq"_s,
                       u"<payloadFactory media-type=\"text\"><format>%1</format><args/>"
                       "</payloadFactory><respond/>"_s.arg(text));
}

QString describe(const Diagnostics &diagnostics)
{
    QStringList lines;
    for (const Diagnostic &d : diagnostics.items())
        lines << d.location.toString() + u": "_s + d.message;
    return lines.join(u'\n');
}

const Diagnostic *firstError(const Diagnostics &diagnostics)
{
    for (const Diagnostic &d : diagnostics.items()) {
        if (d.severity == Severity::Error)
            return &d;
    }
    return nullptr;
}

} // namespace

class TestRuntimeRedeploy : public QObject {
    Q_OBJECT

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<Runtime> m_runtime;
    std::unique_ptr<QWebSocket> m_client;
    std::unique_ptr<QSignalSpy> m_replies;
    std::unique_ptr<QSignalSpy> m_disconnected;
    int m_frontPort = 0;
    int m_backendPort = 0;

    QString file(const QString &relative) const { return m_dir->path() + kSynapse + relative; }

    // The echo project on free ports: "websocket" (front) sends to "echoBackend" and relays
    // the echo through outDispatchSeq.
    void copyProject()
    {
        m_dir = std::make_unique<QTemporaryDir>();
        QVERIFY(m_dir->isValid());
        const QString source = QStringLiteral(SLUICE_SOURCE_DIR) + u"/projects/websocket-echo"_s;
        m_frontPort = freePort();
        m_backendPort = freePort();
        QVERIFY(m_frontPort > 0 && m_backendPort > 0 && m_frontPort != m_backendPort);
        const QStringList files{u"deployment.toml"_s,
                                kSynapse + u"inbound-endpoints/websocket.xml"_s,
                                kSynapse + u"inbound-endpoints/echoBackend.xml"_s,
                                kSynapse + u"sequences/dispatchSeq.xml"_s,
                                kSynapse + u"sequences/echoBackendSeq.xml"_s,
                                kSynapse + u"sequences/outDispatchSeq.xml"_s};
        for (const QString &name : files) {
            QByteArray text = readAll(source + u'/' + name);
            QVERIFY2(!text.isEmpty(), qPrintable(name));
            text.replace(":8082/", ":" + QByteArray::number(m_backendPort) + "/");
            text.replace(">8082<", ">" + QByteArray::number(m_backendPort) + "<");
            text.replace(">9092<", ">" + QByteArray::number(m_frontPort) + "<");
            QVERIFY(QDir().mkpath(QFileInfo(m_dir->path() + u'/' + name).path()));
            QVERIFY(writeAll(m_dir->path() + u'/' + name, text));
        }
    }

    void deployAndConnect()
    {
        copyProject();
        m_runtime = std::make_unique<Runtime>();
        Diagnostics diagnostics;
        QVERIFY2(m_runtime->deploy(m_dir->path(), diagnostics), qPrintable(describe(diagnostics)));
        m_client = std::make_unique<QWebSocket>();
        m_replies = std::make_unique<QSignalSpy>(m_client.get(), &QWebSocket::textMessageReceived);
        m_disconnected = std::make_unique<QSignalSpy>(m_client.get(), &QWebSocket::disconnected);
        m_client->open(QUrl(u"ws://127.0.0.1:%1/chat"_s.arg(m_frontPort)));
        QTRY_COMPARE(m_client->state(), QAbstractSocket::ConnectedState);
    }

    // Sends `text` and returns the reply the client gets for it.
    QString roundTrip(const QString &text)
    {
        const qsizetype before = m_replies->size();
        m_client->sendTextMessage(text);
        if (!QTest::qWaitFor([&] { return m_replies->size() > before; }, 10000))
            return u"<no reply>"_s;
        return m_replies->at(before).at(0).toString();
    }

    void stillConnected()
    {
        QCOMPARE(m_client->state(), QAbstractSocket::ConnectedState);
        QCOMPARE(m_disconnected->size(), 0);
    }

private slots:
    void cleanup()
    {
        if (m_client)
            m_client->abort();
        m_replies.reset();
        m_disconnected.reset();
        m_client.reset();
        m_runtime.reset();
        m_dir.reset();
    }

    void redeployFromDiskKeepsTheClientAndRunsTheNewSequence()
    {
        deployAndConnect();
        QCOMPARE(roundTrip(u"one"_s), u"one"_s);
        QSignalSpy changed(m_runtime.get(), &Runtime::deploymentChanged);

        QVERIFY(writeAll(file(u"sequences/outDispatchSeq.xml"_s), outflowReplying(u"v2"_s)));
        Diagnostics diagnostics;
        QVERIFY2(m_runtime->redeploy(QString(), diagnostics), qPrintable(describe(diagnostics)));
        QCOMPARE(changed.size(), 1);

        stillConnected();
        // The reply comes back over the backend connection opened before the redeploy: its
        // outflow sequence is the new one.
        QCOMPARE(roundTrip(u"two"_s), u"v2"_s);
        stillConnected();
        const RuntimeStatus status = m_runtime->status();
        QVERIFY(status.deployed);
        QCOMPARE(status.counters.deployments, 2u);
        QCOMPARE(status.projectPath, QDir(m_dir->path()).absolutePath());
        QVERIFY(status.deployedAtMs > 0);
    }

    void redeployWhileMessagesFlowLosesNone()
    {
        deployAndConnect();
        constexpr int count = 300;
        for (int i = 0; i < count; ++i)
            m_client->sendTextMessage(u"m%1"_s.arg(i));
        QTRY_VERIFY(m_replies->size() >= 20);
        QVERIFY(writeAll(file(u"sequences/outDispatchSeq.xml"_s), outflowReplying(u"v2"_s)));
        Diagnostics diagnostics;
        QVERIFY2(m_runtime->redeploy(QString(), diagnostics), qPrintable(describe(diagnostics)));
        m_client->sendTextMessage(u"last"_s);
        QTRY_COMPARE_WITH_TIMEOUT(m_replies->size(), count + 1, 20000);
        stillConnected();
        // In order; every reply relayed after the switch is the new sequence's.
        int switched = -1;
        for (int i = 0; i <= count; ++i) {
            const QString reply = m_replies->at(i).at(0).toString();
            if (switched < 0 && reply == u"v2"_s)
                switched = i;
            if (switched < 0)
                QCOMPARE(reply, u"m%1"_s.arg(i));
            else
                QCOMPARE(reply, u"v2"_s);
        }
        QVERIFY(switched >= 20);
    }

    void brokenArtifactIsRefusedAndTheOldOneServes()
    {
        deployAndConnect();
        QCOMPARE(roundTrip(u"one"_s), u"one"_s);
        QSignalSpy changed(m_runtime.get(), &Runtime::deploymentChanged);

        const QString fileName = u"sequences/outDispatchSeq.xml"_s;
        Diagnostics diagnostics;
        QVERIFY(!m_runtime->deployArtifact(
            fileName, sequenceXml(u"outDispatchSeq"_s, u"<noSuchMediator/><respond/>"_s),
            diagnostics));
        const Diagnostic *error = firstError(diagnostics);
        QVERIFY2(error, qPrintable(describe(diagnostics)));
        QCOMPARE(error->location.file, fileName);
        QCOMPARE(error->location.line, 3);
        QVERIFY(error->location.column > 0);
        QVERIFY2(error->message.contains(u"noSuchMediator"_s), qPrintable(error->message));

        // Not even well-formed XML.
        Diagnostics malformed;
        QVERIFY(!m_runtime->deployArtifact(fileName, "<sequence name=\"x\"", malformed));
        QVERIFY(firstError(malformed));
        QCOMPARE(firstError(malformed)->location.file, fileName);

        // The same from disk.
        QVERIFY(writeAll(file(fileName), sequenceXml(u"outDispatchSeq"_s, u"<drop>"_s)));
        Diagnostics fromDisk;
        QVERIFY(!m_runtime->redeploy(QString(), fromDisk));
        QVERIFY(firstError(fromDisk));
        QVERIFY2(firstError(fromDisk)->location.file.endsWith(fileName),
                 qPrintable(describe(fromDisk)));
        QVERIFY(firstError(fromDisk)->location.line > 0);

        QCOMPARE(changed.size(), 0);
        stillConnected();
        QCOMPARE(roundTrip(u"still"_s), u"still"_s);

        // A good one is taken.
        Diagnostics good;
        QVERIFY2(m_runtime->deployArtifact(fileName, outflowReplying(u"v3"_s), good),
                 qPrintable(describe(good)));
        QCOMPARE(changed.size(), 1);
        QCOMPARE(roundTrip(u"again"_s), u"v3"_s);
        stillConnected();
    }

    void undeployOfAReferencedArtifactIsRefused()
    {
        deployAndConnect();
        Diagnostics referenced;
        QVERIFY(!m_runtime->undeployArtifact(u"dispatchSeq"_s, referenced));
        QVERIFY2(describe(referenced).contains(u"dispatchSeq"_s), qPrintable(describe(referenced)));
        // The inbound endpoint that refers to it is named with its location.
        bool namesTheReference = false;
        for (const Diagnostic &d : referenced.items())
            namesTheReference |= d.location.file.endsWith(u"inbound-endpoints/websocket.xml"_s);
        QVERIFY2(namesTheReference, qPrintable(describe(referenced)));
        QCOMPARE(roundTrip(u"served"_s), u"served"_s);

        Diagnostics unknown;
        QVERIFY(!m_runtime->undeployArtifact(u"noSuchArtifact"_s, unknown));
        QVERIFY(describe(unknown).contains(u"no artifact named 'noSuchArtifact'"_s));

        Diagnostics added;
        QVERIFY(m_runtime->deployArtifact(u"spareSeq.xml"_s,
                                          sequenceXml(u"spareSeq"_s, u"<drop/>"_s), added));
        QVERIFY(m_runtime->environment()->sequence(u"spareSeq"_s));
        Diagnostics removed;
        QVERIFY2(m_runtime->undeployArtifact(u"spareSeq"_s, removed),
                 qPrintable(describe(removed)));
        QVERIFY(!m_runtime->environment()->sequence(u"spareSeq"_s));
        stillConnected();
        QCOMPARE(m_runtime->status().counters.deployments, 3u);
    }

    void connectionsAreListedCountedAndClosable()
    {
        deployAndConnect();
        QCOMPARE(roundTrip(u"one"_s), u"one"_s);
        QCOMPARE(roundTrip(u"two"_s), u"two"_s);

        const QList<ConnectionInfo> connections = m_runtime->connections();
        // The test's client on "websocket", the backend connection opened for it, and that
        // backend connection seen as a client of "echoBackend".
        const ConnectionInfo *client = nullptr;
        const ConnectionInfo *backend = nullptr;
        const ConnectionInfo *echoClient = nullptr;
        for (const ConnectionInfo &c : connections) {
            if (c.peer == EventPeer::Client && c.artifact == u"websocket"_s)
                client = &c;
            else if (c.peer == EventPeer::Backend)
                backend = &c;
            else if (c.peer == EventPeer::Client && c.artifact == u"echoBackend"_s)
                echoClient = &c;
        }
        QCOMPARE(connections.size(), 3);
        QVERIFY(client && backend && echoClient);
        QCOMPARE(client->path, u"/chat"_s);
        QCOMPARE(client->remoteAddress, u"127.0.0.1:%1"_s.arg(m_client->localPort()));
        QCOMPARE(client->framesIn, 2u);
        QCOMPARE(client->framesOut, 2u);
        QVERIFY(client->openedMs > 0);
        QCOMPARE(backend->clientId, client->id);
        QVERIFY(backend->id.startsWith(client->id + u"/b"_s));
        QCOMPARE(backend->path, u"ws://localhost:%1/websocket"_s.arg(m_backendPort));
        QCOMPARE(backend->framesOut, 2u);
        QCOMPARE(backend->framesIn, 2u);
        QCOMPARE(echoClient->path, u"/websocket"_s);

        RuntimeStatus status = m_runtime->status();
        QCOMPARE(status.clientConnections, 2);
        QCOMPARE(status.backendConnections, 1);
        QCOMPARE(status.counters.connectionsAccepted, 2u);
        // In: 2 from the client, 2 on the echo endpoint, 2 echoes back from the backend.
        QCOMPARE(status.counters.framesIn, 6u);
        QCOMPARE(status.counters.framesOut, 6u);
        QCOMPARE(status.listeners.size(), 2);
        QList<int> ports;
        for (const ListenerInfo &listener : status.listeners)
            ports << listener.port;
        QVERIFY(ports.contains(m_frontPort) && ports.contains(m_backendPort));
        for (const ListenerInfo &listener : status.listeners) {
            if (listener.artifact == u"websocket"_s)
                QCOMPARE(listener.url, u"ws://127.0.0.1:%1"_s.arg(m_frontPort));
        }

        QVERIFY(!m_runtime->closeConnection(u"no-such-connection"_s));
        // Closing the backend connection leaves the client; its next message opens a new one.
        QVERIFY(m_runtime->closeConnection(backend->id));
        QTRY_COMPARE(m_runtime->status().backendConnections, 0);
        stillConnected();
        QCOMPARE(roundTrip(u"three"_s), u"three"_s);
        QTRY_COMPARE(m_runtime->status().backendConnections, 1);
        const QString clientId = client->id;
        QVERIFY(m_runtime->closeConnection(clientId, 4000, u"closed by hand"_s));
        QTRY_COMPARE(m_disconnected->size(), 1);
        QCOMPARE(int(m_client->closeCode()), 4000);
        QCOMPARE(m_client->closeReason(), u"closed by hand"_s);
        // Its backend connection goes with it, and both leave the list.
        QTRY_COMPARE(m_runtime->connections().size(), 0);
        status = m_runtime->status();
        QCOMPARE(status.clientConnections, 0);
        QCOMPARE(status.counters.framesIn, 9u); // closed connections still count
        QVERIFY(!m_runtime->closeConnection(clientId));
    }

    void changedRoutingOfAnEndpointKeepsItsClients()
    {
        deployAndConnect();
        QCOMPARE(roundTrip(u"one"_s), u"one"_s);
        // The endpoint now dispatches to a new sequence that answers by itself.
        QVERIFY(writeAll(file(u"sequences/altSeq.xml"_s),
                         sequenceXml(u"altSeq"_s,
                                     u"<payloadFactory media-type=\"text\"><format>alt</format>"
                                     "<args/></payloadFactory><respond/>"_s)));
        const QString inboundFile = file(u"inbound-endpoints/websocket.xml"_s);
        QByteArray xml = readAll(inboundFile);
        QVERIFY(xml.contains("sequence=\"dispatchSeq\""));
        xml.replace("sequence=\"dispatchSeq\"", "sequence=\"altSeq\"");
        QVERIFY(writeAll(inboundFile, xml));
        Diagnostics diagnostics;
        QVERIFY2(m_runtime->redeploy(QString(), diagnostics), qPrintable(describe(diagnostics)));
        stillConnected();
        QCOMPARE(roundTrip(u"two"_s), u"alt"_s);
        stillConnected();
    }

    void faultsAreCounted()
    {
        deployAndConnect();
        QCOMPARE(m_runtime->status().counters.faults, 0u);
        // `call` to a WebSocket endpoint is a fault (replies come in the outflow sequence).
        Diagnostics diagnostics;
        QVERIFY2(
            m_runtime->deployArtifact(
                u"sequences/dispatchSeq.xml"_s,
                sequenceXml(u"dispatchSeq"_s,
                            u"<call><endpoint><address uri=\"ws://"
                            "127.0.0.1:%1/websocket\"/></endpoint></call>"_s.arg(m_backendPort)),
                diagnostics),
            qPrintable(describe(diagnostics)));
        m_client->sendTextMessage(u"one"_s);
        m_client->sendTextMessage(u"two"_s);
        QTRY_COMPARE(m_runtime->status().counters.faults, 2u);
        stillConnected();
    }

    void eventSettingsOfTheProjectApply()
    {
        copyProject();
        const QString toml = m_dir->path() + u"/deployment.toml"_s;
        const QByteArray base = readAll(toml);
        QVERIFY(writeAll(toml, base + "\n[events]\nrecord = true\ncapacity = 321\n"
                                      "capture_payload_bytes = 7\n"));
        m_runtime = std::make_unique<Runtime>();
        Diagnostics diagnostics;
        QVERIFY2(m_runtime->deploy(m_dir->path(), diagnostics), qPrintable(describe(diagnostics)));
        QCOMPARE(m_runtime->events().capacity(), 321);
        QCOMPARE(m_runtime->events().capturePayloadBytes(), 7);
        QVERIFY(m_runtime->events().recording());

        QVERIFY(writeAll(toml, base + "\n[events]\nrecord = false\ncapacity = 321\n"
                                      "capture_payload_bytes = 16\n"));
        QVERIFY2(m_runtime->redeploy(QString(), diagnostics), qPrintable(describe(diagnostics)));
        QCOMPARE(m_runtime->events().capturePayloadBytes(), 16);
        QVERIFY(!m_runtime->events().recording());
    }

    void changedPortRestartsOnlyThatEndpoint()
    {
        deployAndConnect();
        QCOMPARE(roundTrip(u"one"_s), u"one"_s);
        const int newPort = freePort();
        const QString inboundFile = file(u"inbound-endpoints/websocket.xml"_s);
        QByteArray xml = readAll(inboundFile);
        xml.replace(">" + QByteArray::number(m_frontPort) + "<",
                    ">" + QByteArray::number(newPort) + "<");
        QVERIFY(writeAll(inboundFile, xml));
        Diagnostics diagnostics;
        QVERIFY2(m_runtime->redeploy(QString(), diagnostics), qPrintable(describe(diagnostics)));
        // Its clients are closed with ws.shutdown.status.code (1001 by default)...
        QTRY_COMPARE(m_disconnected->size(), 1);
        QCOMPARE(int(m_client->closeCode()), 1001);
        // ...and the endpoint answers on the new port.
        m_frontPort = newPort;
        m_client->open(QUrl(u"ws://127.0.0.1:%1/"_s.arg(m_frontPort)));
        QTRY_COMPARE(m_client->state(), QAbstractSocket::ConnectedState);
        QCOMPARE(roundTrip(u"moved"_s), u"moved"_s);
    }

    void replacementOnTheSamePortThatCannotListenRestoresTheOldEndpoint()
    {
        deployAndConnect();
        QCOMPARE(roundTrip(u"one"_s), u"one"_s);
        // Same port, another host that is no address of this machine (TEST-NET-1): the old
        // endpoint must stop to free the port, then its replacement cannot listen.
        const QString inboundFile = file(u"inbound-endpoints/websocket.xml"_s);
        QByteArray xml = readAll(inboundFile);
        xml.replace("<parameters>",
                    "<parameters>\n<parameter name=\"inbound.ws.host\">192.0.2.1</parameter>");
        QVERIFY(writeAll(inboundFile, xml));
        Diagnostics diagnostics;
        QVERIFY(!m_runtime->redeploy(QString(), diagnostics));
        QVERIFY2(describe(diagnostics).contains(u"cannot listen on 192.0.2.1"_s),
                 qPrintable(describe(diagnostics)));
        // Its clients were closed on the way; the old endpoint listens again as it was.
        QTRY_COMPARE(m_disconnected->size(), 1);
        m_client->open(QUrl(u"ws://127.0.0.1:%1/"_s.arg(m_frontPort)));
        QTRY_COMPARE(m_client->state(), QAbstractSocket::ConnectedState);
        QCOMPARE(roundTrip(u"back"_s), u"back"_s);
        QCOMPARE(m_runtime->status().listeners.size(), 2);
        QCOMPARE(m_runtime->status().counters.deployments, 1u);
    }

    void listenerThatCannotStartRollsEverythingBack()
    {
        deployAndConnect();
        QCOMPARE(roundTrip(u"one"_s), u"one"_s);
        QTcpServer occupier;
        QVERIFY(occupier.listen(QHostAddress::LocalHost, 0));
        // A changed sequence and a new endpoint on a port that is taken: neither is applied.
        QVERIFY(writeAll(file(u"sequences/outDispatchSeq.xml"_s), outflowReplying(u"v2"_s)));
        QByteArray xml = readAll(file(u"inbound-endpoints/echoBackend.xml"_s));
        xml.replace("name=\"echoBackend\"", "name=\"second\"");
        xml.replace(">" + QByteArray::number(m_backendPort) + "<",
                    ">" + QByteArray::number(occupier.serverPort()) + "<");
        QVERIFY(writeAll(file(u"inbound-endpoints/second.xml"_s), xml));

        Diagnostics diagnostics;
        QVERIFY(!m_runtime->redeploy(QString(), diagnostics));
        const Diagnostic *error = firstError(diagnostics);
        QVERIFY(error);
        QVERIFY2(error->location.file.endsWith(u"inbound-endpoints/second.xml"_s),
                 qPrintable(describe(diagnostics)));
        QVERIFY2(error->message.contains(u"second"_s), qPrintable(error->message));

        stillConnected();
        QCOMPARE(roundTrip(u"old"_s), u"old"_s);
        QCOMPARE(m_runtime->status().listeners.size(), 2);
        QCOMPARE(m_runtime->status().counters.deployments, 1u);
    }
};

QTEST_GUILESS_MAIN(TestRuntimeRedeploy)
#include "tst_runtime_redeploy.moc"
