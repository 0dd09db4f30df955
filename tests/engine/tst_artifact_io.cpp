// SPDX-License-Identifier: Apache-2.0
#include "artifacts/artifact_io.h"

#include <QDir>
#include <QDirIterator>
#include <QTest>

using namespace sluice;

namespace {

QString validDir()
{
    return QStringLiteral(SLUICE_TEST_DATA "/artifacts/valid");
}

// "SYN" stands for the Synapse namespace declaration, so that test documents stay short.
QByteArray synapse(const char *text)
{
    return QByteArray(text).replace("SYN", "xmlns=\"http://ws.apache.org/ns/synapse\"");
}

ArtifactSet readValid(const QString &fileName)
{
    Diagnostics diagnostics;
    ArtifactSet artifacts =
        readArtifactFile(validDir() + QLatin1Char('/') + fileName, fileName, diagnostics);
    if (!diagnostics.isEmpty())
        qWarning().noquote() << diagnostics.toString();
    return artifacts;
}

// Writes every artifact to a file of its own and reads them all back.
ArtifactSet rewriteOneByOne(const ArtifactSet &artifacts, Diagnostics &diagnostics)
{
    ArtifactSet result;
    auto reread = [&](const XmlNode &element) {
        result.append(
            readArtifactData(writeArtifact(element), QStringLiteral("written.xml"), diagnostics));
    };
    for (const Sequence &sequence : artifacts.sequences)
        reread(toXml(sequence));
    for (const EndpointDefinition &endpoint : artifacts.endpoints)
        reread(toXml(endpoint));
    for (const InboundEndpoint &inbound : artifacts.inboundEndpoints)
        reread(toXml(inbound));
    for (const ProxyService &proxy : artifacts.proxyServices)
        reread(toXml(proxy));
    for (const Api &api : artifacts.apis)
        reread(toXml(api));
    for (const LocalEntry &entry : artifacts.localEntries)
        reread(toXml(entry));
    return result;
}

} // namespace

class TestArtifactIo : public QObject {
    Q_OBJECT

private slots:
    void roundTrip_data();
    void roundTrip();
    void seedArtifacts();
    void typedFields();
    void writtenInboundEndpoint();
    void prefixesSurviveWriting();
    void modelBuiltInCode();
    void errors_data();
    void errors();
    void malformedXml();
    void doctypeRefused();
    void missingFile();
};

void TestArtifactIo::roundTrip_data()
{
    QTest::addColumn<QString>("fileName");
    QDirIterator it(validDir(), {QStringLiteral("*.xml")}, QDir::Files,
                    QDirIterator::Subdirectories);
    QStringList files;
    while (it.hasNext())
        files.append(QDir(validDir()).relativeFilePath(it.next()));
    files.sort();
    QVERIFY(files.size() >= 10);
    for (const QString &file : files)
        QTest::newRow(qPrintable(file)) << file;
}

void TestArtifactIo::roundTrip()
{
    QFETCH(QString, fileName);
    Diagnostics diagnostics;
    const ArtifactSet original =
        readArtifactFile(validDir() + QLatin1Char('/') + fileName, fileName, diagnostics);
    QVERIFY2(diagnostics.isEmpty(), qPrintable(diagnostics.toString()));
    QVERIFY(original.size() > 0);

    const ArtifactSet oneByOne = rewriteOneByOne(original, diagnostics);
    QVERIFY2(diagnostics.isEmpty(), qPrintable(diagnostics.toString()));
    QVERIFY(oneByOne == original);

    const QByteArray definitions = writeDefinitions(original);
    const ArtifactSet fromDefinitions =
        readArtifactData(definitions, QStringLiteral("definitions.xml"), diagnostics);
    QVERIFY2(diagnostics.isEmpty(), qPrintable(diagnostics.toString()));
    QVERIFY2(fromDefinitions == original, definitions.constData());
    // Writing what was read back gives the same bytes: the writer is stable.
    QCOMPARE(writeDefinitions(fromDefinitions), definitions);
}

void TestArtifactIo::seedArtifacts()
{
    const ArtifactSet dispatch = readValid(QStringLiteral("dispatchSeq.xml"));
    QCOMPARE(dispatch.sequences.size(), size_t(1));
    const Sequence &sequence = dispatch.sequences.front();
    QCOMPARE(sequence.name, QStringLiteral("dispatchSeq"));
    QCOMPARE(sequence.trace, QStringLiteral("disable"));
    QCOMPARE(sequence.mediators.size(), size_t(4));
    QCOMPARE(sequence.mediators[1].attribute(QStringLiteral("scope")), QStringLiteral("axis2"));
    QCOMPARE(sequence.mediators[3].name, QStringLiteral("send"));
    QCOMPARE(sequence.location.toString(), QStringLiteral("dispatchSeq.xml:2:1"));

    const ArtifactSet proxies = readValid(QStringLiteral("websocketProxy1.xml"));
    QCOMPARE(proxies.proxyServices.size(), size_t(1));
    const ProxyService &proxy = proxies.proxyServices.front();
    QCOMPARE(proxy.transports, QStringList({QStringLiteral("http"), QStringLiteral("https")}));
    QVERIFY(proxy.startOnLoad);
    QCOMPARE(proxy.target.inSequence.key, QStringLiteral("dispatchSeq"));
    QCOMPARE(proxy.target.faultSequence.key, QStringLiteral("outDispatchSeq"));
    QVERIFY(!proxy.target.outSequence.isSet());
    QCOMPARE(proxy.description, std::optional<QString>(QString()));

    const ArtifactSet inbounds = readValid(QStringLiteral("websocketInbound.xml"));
    QCOMPARE(inbounds.inboundEndpoints.size(), size_t(1));
    const InboundEndpoint &inbound = inbounds.inboundEndpoints.front();
    QCOMPARE(inbound.protocol, QStringLiteral("ws"));
    QCOMPARE(inbound.sequence, QStringLiteral("dispatchSeq"));
    QCOMPARE(inbound.onError, QStringLiteral("fault"));
    QCOMPARE(inbound.parameter(QStringLiteral("inbound.ws.port")), QStringLiteral("9092"));
    QCOMPARE(inbound.parameter(QStringLiteral("ws.client.side.broadcast.level")),
             QStringLiteral("0"));
    QCOMPARE(inbound.parameter(QStringLiteral("ws.outflow.dispatch.sequence")),
             QStringLiteral("outDispatchSeq"));
    QCOMPARE(inbound.parameter(QStringLiteral("ws.outflow.dispatch.fault.sequence")),
             QStringLiteral("fault"));
    QCOMPARE(inbound.findParameter(QStringLiteral("inbound.ws.port"))->location.toString(),
             QStringLiteral("websocketInbound.xml:4:9"));
}

void TestArtifactIo::typedFields()
{
    const ArtifactSet backend = readValid(QStringLiteral("wsBackend.xml"));
    QCOMPARE(backend.endpoints.size(), size_t(1));
    const EndpointDefinition &endpoint = backend.endpoints.front();
    QCOMPARE(endpoint.type, EndpointDefinition::Type::Address);
    QCOMPARE(endpoint.uri, QStringLiteral("ws://localhost:8082/websocket"));
    QCOMPARE(endpoint.timeoutMillis, std::optional<qint64>(30000));
    QCOMPARE(endpoint.timeoutAction, QStringLiteral("fault"));
    QCOMPARE(endpoint.otherAttributes.size(), 2);
    QCOMPARE(endpoint.otherAttributes.front().name, QStringLiteral("statistics"));
    QCOMPARE(endpoint.qualityOfService.size(), size_t(2));
    QCOMPARE(endpoint.properties.size(), 1);
    QCOMPARE(endpoint.properties.front().scope, QStringLiteral("axis2"));

    const ArtifactSet quote = readValid(QStringLiteral("quoteBackend.xml"));
    QCOMPARE(quote.endpoints.front().type, EndpointDefinition::Type::Http);
    QCOMPARE(quote.endpoints.front().method, QStringLiteral("get"));
    QCOMPARE(quote.endpoints.front().uri,
             QStringLiteral("http://localhost:9000/quotes/{uri.var.symbol}"));

    const ArtifactSet apis = readValid(QStringLiteral("orderApi.xml"));
    QCOMPARE(apis.apis.size(), size_t(1));
    const Api &api = apis.apis.front();
    QCOMPARE(api.context, QStringLiteral("/orders"));
    QCOMPARE(api.versionType, QStringLiteral("context"));
    QCOMPARE(api.resources.size(), size_t(2));
    QCOMPARE(api.resources[0].uriTemplate, QStringLiteral("/{orderId}"));
    QVERIFY(api.resources[0].inSequence.inlineSequence.has_value());
    QCOMPARE(api.resources[0].inSequence.inlineSequence->mediators.size(), size_t(2));
    QVERIFY(api.resources[0].faultSequence.inlineSequence.has_value());
    QCOMPARE(api.resources[1].methods,
             QStringList({QStringLiteral("POST"), QStringLiteral("PUT")}));
    QCOMPARE(api.resources[1].urlMapping, QStringLiteral("/*"));
    QCOMPARE(api.resources[1].inSequence.key, QStringLiteral("dispatchSeq"));

    const ArtifactSet text = readValid(QStringLiteral("backendUrl.xml"));
    QCOMPARE(text.localEntries.front().text, QStringLiteral("ws://localhost:8082/websocket"));
    QCOMPARE(text.localEntries.front().description,
             std::optional<QString>(QStringLiteral("Where the echo backend listens")));
    const ArtifactSet xml = readValid(QStringLiteral("greetingTemplate.xml"));
    QVERIFY(xml.localEntries.front().text.isEmpty());
    const XmlNode &value = *xml.localEntries.front().xmlValue;
    QCOMPARE(value.namespaceUri, QStringLiteral("urn:sluice:example"));

    const ArtifactSet definitions = readValid(QStringLiteral("synapse.xml"));
    QCOMPARE(definitions.size(), 6);
    QCOMPARE(definitions.proxyServices.front().transports,
             QStringList({QStringLiteral("ws"), QStringLiteral("wss")}));
    QCOMPARE(definitions.proxyServices.front().target.inlineEndpoint->type,
             EndpointDefinition::Type::Default);
    QCOMPARE(
        definitions.inboundEndpoints.front().parameter(QStringLiteral("wss.ssl.key.store.file")),
        QStringLiteral("conf:/keystores/wso2carbon.jks"));
}

void TestArtifactIo::writtenInboundEndpoint()
{
    const ArtifactSet inbounds = readValid(QStringLiteral("websocketInbound.xml"));
    const QByteArray expected =
        R"(<?xml version="1.0" encoding="UTF-8"?>
<inboundEndpoint xmlns="http://ws.apache.org/ns/synapse" name="websocketInbound" )"
        R"(protocol="ws" sequence="dispatchSeq" onError="fault" suspend="false">
    <parameters>
        <parameter name="inbound.ws.port">9092</parameter>
        <parameter name="ws.client.side.broadcast.level">0</parameter>
        <parameter name="ws.outflow.dispatch.sequence">outDispatchSeq</parameter>
        <parameter name="ws.outflow.dispatch.fault.sequence">fault</parameter>
    </parameters>
</inboundEndpoint>
)";
    QCOMPARE(writeArtifact(toXml(inbounds.inboundEndpoints.front())), expected);
}

// A prefix declared on the original root and used in a mediator's XPath must still be declared
// once the mediator is written into another file.
void TestArtifactIo::prefixesSurviveWriting()
{
    const ArtifactSet definitions = readValid(QStringLiteral("synapse.xml"));
    const Sequence *main = definitions.findSequence(QStringLiteral("main"));
    QVERIFY(main);
    const QByteArray written = writeArtifact(toXml(*main));
    QVERIFY(written.contains("<sequence xmlns=\"http://ws.apache.org/ns/synapse\" "
                             "xmlns:ord=\"urn:example:orders\" name=\"main\""));
    // Prefixes in scope that nothing uses (here a studio design hint) are not carried along.
    QVERIFY(!writeDefinitions(definitions).contains("urn:sluice:studio"));
    Diagnostics diagnostics;
    const ArtifactSet reread = readArtifactData(written, QStringLiteral("main.xml"), diagnostics);
    QVERIFY2(diagnostics.isEmpty(), qPrintable(diagnostics.toString()));
    QCOMPARE(reread.sequences.size(), size_t(1));
    const XmlNode &filter = reread.sequences.front().mediators.front();
    QCOMPARE(filter.namespacesInScope.value(QStringLiteral("ord")),
             QStringLiteral("urn:example:orders"));
}

// The studio builds artifacts in code: no locations, no namespaces in scope.
void TestArtifactIo::modelBuiltInCode()
{
    XmlNode log = XmlNode::element(QStringLiteral("log"));
    log.setAttribute(QStringLiteral("level"), QStringLiteral("full"));
    Sequence inSequence;
    inSequence.mediators.push_back(log);

    EndpointDefinition endpoint;
    endpoint.uri = QStringLiteral("wss://backend.example.org/feed");
    endpoint.timeoutMillis = 0;
    endpoint.timeoutAction = QStringLiteral("never");
    endpoint.qualityOfService.push_back(XmlNode::element(QStringLiteral("enableAddressing")));
    XmlNode suspend = XmlNode::element(QStringLiteral("suspendOnFailure"));
    suspend.appendChild(XmlNode::element(QStringLiteral("initialDuration")))
        .appendChild(XmlNode::textNode(QStringLiteral("1000")));
    endpoint.qualityOfService.push_back(suspend);
    endpoint.properties.append({.name = QStringLiteral("p"),
                                .value = QStringLiteral("v"),
                                .scope = QStringLiteral("axis2")});

    ProxyService proxy;
    proxy.name = QStringLiteral("feed");
    proxy.transports = {QStringLiteral("ws")};
    proxy.startOnLoad = false;
    proxy.serviceGroup = QStringLiteral("feeds");
    proxy.target.inSequence.inlineSequence = inSequence;
    proxy.target.faultSequence.key = QStringLiteral("fault");
    proxy.target.inlineEndpoint = endpoint;
    proxy.parameters.append(
        {.name = QStringLiteral("serviceType"), .value = QStringLiteral("websocket")});
    proxy.description = QStringLiteral("A feed");

    Api api;
    api.name = QStringLiteral("feedApi");
    api.context = QStringLiteral("/feed");
    api.transports = QStringLiteral("https");
    ApiResource resource;
    resource.methods = QStringList{QStringLiteral("GET")};
    resource.uriTemplate = QStringLiteral("/{id}");
    resource.inSequence.inlineSequence = inSequence;
    api.resources.push_back(resource);

    LocalEntry entry;
    entry.key = QStringLiteral("limit");
    entry.text = QStringLiteral("10 < 20 & 30");

    ArtifactSet built;
    built.proxyServices.push_back(proxy);
    built.apis.push_back(api);
    built.localEntries.push_back(entry);
    Diagnostics diagnostics;
    const ArtifactSet reread = rewriteOneByOne(built, diagnostics);
    QVERIFY2(diagnostics.isEmpty(), qPrintable(diagnostics.toString()));
    QVERIFY(reread == built);
    QCOMPARE(reread.proxyServices.front().target.inlineEndpoint->qualityOfService.size(),
             size_t(2));
}

void TestArtifactIo::errors_data()
{
    QTest::addColumn<QByteArray>("xml");
    QTest::addColumn<QString>("expected");

    auto row = [](const char *name, const char *xml, const char *expected) {
        QTest::newRow(name) << synapse(xml) << QString::fromUtf8(expected);
    };

    // Roots and namespaces
    row("other namespace", R"(<sequence xmlns="urn:other" name="s"/>)",
        "bad.xml:1:1: <sequence> must be in the namespace 'http://ws.apache.org/ns/synapse', "
        "found the namespace 'urn:other'");
    row("no namespace", R"(<sequence name="s"/>)",
        "bad.xml:1:1: <sequence> must be in the namespace 'http://ws.apache.org/ns/synapse', "
        "found no namespace");
    row("unknown root", R"(<foo SYN/>)",
        "bad.xml:1:1: unknown element <foo> (expected <sequence>, <endpoint>, "
        "<inboundEndpoint>, <proxy>, <api>, <localEntry> or <definitions>)");
    row("task root", R"(<task name="t" SYN/>)",
        "bad.xml:1:1: unsupported element <task> (Sluice does not run tasks yet)");
    row("definitions", R"(<definitions SYN>
    <registry provider="x"/>
    <task name="t"/>
    <messageStore name="s"/>
    <messageProcessor name="p"/>
    <template name="t"/>
    <import name="c"/>
    <eventSource name="e"/>
    <executor name="x"/>
    <foo/>
    <sequence name="ok"/>
    text
</definitions>)",
        "bad.xml:1:1: unexpected text 'text' in <definitions>\n"
        "bad.xml:2:5: unsupported element <registry> in <definitions> (Sluice has no registry; "
        "use local entries)\n"
        "bad.xml:3:5: unsupported element <task> in <definitions> (Sluice does not run tasks "
        "yet)\n"
        "bad.xml:4:5: unsupported element <messageStore> in <definitions> (Sluice has no "
        "message stores yet)\n"
        "bad.xml:5:5: unsupported element <messageProcessor> in <definitions> (Sluice has no "
        "message processors yet)\n"
        "bad.xml:6:5: unsupported element <template> in <definitions> (Sluice does not support "
        "templates yet)\n"
        "bad.xml:7:5: unsupported element <import> in <definitions> (Sluice does not support "
        "connectors yet)\n"
        "bad.xml:8:5: unsupported element <eventSource> in <definitions> (Sluice does not "
        "support event sources)\n"
        "bad.xml:9:5: unsupported element <executor> in <definitions> (Sluice does not support "
        "priority executors)\n"
        "bad.xml:10:5: unknown element <foo> in <definitions> (expected <sequence>, "
        "<endpoint>, <inboundEndpoint>, <proxy>, <api> or <localEntry>)");
    row("definitions child namespace", R"(<definitions SYN>
    <proxy xmlns="urn:x" name="p"/>
</definitions>)",
        "bad.xml:2:5: <proxy> must be in the namespace 'http://ws.apache.org/ns/synapse', found "
        "the namespace 'urn:x'");

    // Sequences
    row("sequence without name", R"(<sequence SYN><log/></sequence>)",
        "bad.xml:1:1: <sequence> needs the attribute 'name'");
    row("sequence empty name", R"(<sequence name="" SYN/>)",
        "bad.xml:1:11: <sequence> needs the attribute 'name'");
    row("sequence attributes", R"(<sequence name="s" key="k" description="d" SYN/>)",
        "bad.xml:1:20: unknown attribute 'key' on <sequence>\n"
        "bad.xml:1:28: unknown attribute 'description' on <sequence>");
    row("mediators unvalidated", R"(<sequence name="s" SYN>
    <noSuchMediator whatever="1"/>
    <description>d</description>
</sequence>)",
        "");
    row("design hints", R"(<sequence name="s" xmlns:s="urn:studio" s:x="1" SYN/>)", "");
    row("sequence text", R"(<sequence name="s" SYN>
    <log/> stray
</sequence>)",
        "bad.xml:1:1: unexpected text 'stray' in <sequence>");
    row("sequence duplicate description", R"(<sequence name="s" SYN>
    <description>a</description>
    <description>b</description>
</sequence>)",
        "bad.xml:3:5: duplicate element <description> in <sequence>");
    row("description content", R"(<sequence name="s" SYN>
    <description>a <b>c</b></description>
</sequence>)",
        "bad.xml:2:20: unknown element <b> in <description>");

    // Proxy services
    row("proxy unknown attribute", R"(<proxy name="p" foo="1" SYN>
    <target inSequence="s"/>
    <bar/>
    <m:baz xmlns:m="urn:m"/>
</proxy>)",
        "bad.xml:1:17: unknown attribute 'foo' on <proxy>\n"
        "bad.xml:3:5: unknown element <bar> in <proxy>\n"
        "bad.xml:4:5: unknown element <baz> (namespace 'urn:m') in <proxy>");
    row("proxy without name", R"(<proxy SYN>
    <target inSequence="s"/>
</proxy>)",
        "bad.xml:1:1: <proxy> needs the attribute 'name'");
    row("proxy without target", R"(<proxy name="p" SYN/>)",
        "bad.xml:1:1: <proxy> needs a <target>");
    row("proxy unsupported", R"(<proxy name="p" SYN>
    <target inSequence="s"/>
    <publishWSDL key="wsdl"/>
    <policy key="p"/>
    <enableSec/>
    <enableAddressing/>
</proxy>)",
        "bad.xml:3:5: unsupported element <publishWSDL> in <proxy>\n"
        "bad.xml:4:5: unsupported element <policy> in <proxy>\n"
        "bad.xml:5:5: unsupported element <enableSec> in <proxy>\n"
        "bad.xml:6:5: unsupported element <enableAddressing> in <proxy>");
    row("proxy startOnLoad", R"(<proxy name="p" startOnLoad="yes" SYN>
    <target inSequence="s"/>
</proxy>)",
        "bad.xml:1:17: the attribute 'startOnLoad' of <proxy> must be true or false, not 'yes'");
    row("proxy two targets", R"(<proxy name="p" SYN>
    <target inSequence="s"/>
    <target inSequence="t"/>
</proxy>)",
        "bad.xml:3:5: duplicate element <target> in <proxy>");
    row("target both", R"(<proxy name="p" SYN>
    <target inSequence="s" endpoint="e">
        <inSequence><log/></inSequence>
        <endpoint key="x"/>
        <sequence/>
    </target>
</proxy>)",
        "bad.xml:3:9: <target> has both the attribute 'inSequence' and an inline <inSequence>\n"
        "bad.xml:4:9: <target> has both the attribute 'endpoint' and an inline <endpoint>\n"
        "bad.xml:5:9: unknown element <sequence> in <target>");
    row("target empty", R"(<proxy name="p" SYN>
    <target outSequence="o"/>
</proxy>)",
        "bad.xml:2:5: <target> needs an inSequence or an endpoint");
    row("inline sequence name", R"(<proxy name="p" SYN>
    <target>
        <inSequence name="x" onError="fault"/>
    </target>
</proxy>)",
        "bad.xml:3:21: unknown attribute 'name' on <inSequence>");
    row("proxy parameter", R"(<proxy name="p" SYN>
    <target inSequence="s"/>
    <parameter>v</parameter>
    <parameter name="x"><v/></parameter>
</proxy>)",
        "bad.xml:3:5: <parameter> needs the attribute 'name'\n"
        "bad.xml:4:25: unknown element <v> in <parameter>");

    // Endpoints
    row("endpoint without name", R"(<endpoint SYN><address uri="ws://h/x"/></endpoint>)",
        "bad.xml:1:1: <endpoint> needs the attribute 'name'");
    row("endpoint scheme", R"(<endpoint name="e" SYN>
    <address uri="ftp://host/x"/>
</endpoint>)",
        "bad.xml:2:14: unsupported endpoint scheme 'ftp' in uri 'ftp://host/x' (use ws, wss, "
        "http or https)");
    row("endpoint invalid uri", R"(<endpoint name="e" SYN>
    <address uri="ws://host:port/x"/>
</endpoint>)",
        "bad.xml:2:14: invalid endpoint uri 'ws://host:port/x': Invalid port or port number "
        "out of range");
    row("endpoint without uri", R"(<endpoint name="e" SYN>
    <address format="soap11"/>
</endpoint>)",
        "bad.xml:2:5: <address> needs the attribute 'uri'");
    row("endpoint address attributes", R"(<endpoint name="e" SYN>
    <address uri="ws://h/x" method="get">
        <foo/>
    </address>
</endpoint>)",
        "bad.xml:2:29: unknown attribute 'method' on <address>\n"
        "bad.xml:3:9: unknown element <foo> in <address>");
    row("endpoint timeout", R"(<endpoint name="e" SYN>
    <address uri="ws://h/x">
        <timeout>
            <duration>-5</duration>
            <responseAction>retry</responseAction>
            <action>x</action>
        </timeout>
    </address>
</endpoint>)",
        "bad.xml:4:13: timeout duration '-5' is not a non-negative number of milliseconds\n"
        "bad.xml:5:13: unknown timeout responseAction 'retry' (expected discard, fault or "
        "never)\n"
        "bad.xml:6:13: unknown element <action> in <timeout>");
    row("endpoint timeout text", R"(<endpoint name="e" SYN>
    <http uri-template="http://h/{id}">
        <timeout><duration>1.5s</duration></timeout>
    </http>
</endpoint>)",
        "bad.xml:3:18: timeout duration '1.5s' is not a non-negative number of milliseconds");
    row("endpoint http scheme", R"(<endpoint name="e" SYN>
    <http uri-template="jms:/queue/{id}" verb="get"/>
</endpoint>)",
        "bad.xml:2:11: unsupported endpoint scheme 'jms' in uri 'jms:/queue/{id}' (use ws, wss, "
        "http or https)\n"
        "bad.xml:2:42: unknown attribute 'verb' on <http>");
    row("endpoint empty", R"(<endpoint name="e" SYN>
    <description>nothing</description>
</endpoint>)",
        "bad.xml:1:1: <endpoint> needs an <address>, <http> or <default> element");
    row("endpoint two definitions", R"(<endpoint name="e" SYN>
    <address uri="ws://h/x"/>
    <http uri-template="http://h/x"/>
</endpoint>)",
        "bad.xml:3:5: <endpoint> defines both <address> and <http>");
    row("endpoint reference", R"(<endpoint name="e" key="k" SYN>
    <address uri="ws://h/x"/>
    <property name="p" value="v"/>
</endpoint>)",
        "bad.xml:2:5: <endpoint key=\"k\"> refers to another endpoint and cannot define "
        "<address>");
    row("endpoint unsupported kind", R"(<endpoint name="e" SYN>
    <failover>
        <endpoint key="a"/>
    </failover>
</endpoint>)",
        "bad.xml:2:5: unsupported element <failover> in <endpoint> (Sluice supports address, "
        "http and default endpoints)");
    row("endpoint property", R"(<endpoint name="e" SYN>
    <default/>
    <property value="v" expression="$ctx:x"/>
</endpoint>)",
        "bad.xml:3:5: <property> needs the attribute 'name'\n"
        "bad.xml:3:25: unknown attribute 'expression' on <property>");

    // Inbound endpoints
    row("inbound", R"(<inboundEndpoint name="i" interval="5" SYN>
    <parameters>
        <parameter name="inbound.ws.port">9092</parameter>
        <param name="x">1</param>
    </parameters>
    <parameters/>
</inboundEndpoint>)",
        "bad.xml:1:1: <inboundEndpoint> needs the attribute 'protocol' or 'class'\n"
        "bad.xml:1:27: unknown attribute 'interval' on <inboundEndpoint>\n"
        "bad.xml:4:9: unknown element <param> in <parameters>\n"
        "bad.xml:6:5: duplicate element <parameters> in <inboundEndpoint>");
    row("inbound without name", R"(<inboundEndpoint protocol="ws" SYN/>)",
        "bad.xml:1:1: <inboundEndpoint> needs the attribute 'name'");

    // APIs
    row("api", R"(<api name="a" context="orders" port="http" version-type="header" SYN>
    <resource methods="GET FETCH GET" uri-template="/{id}" url-mapping="/*" protocol="jms"/>
    <handlers/>
</api>)",
        "bad.xml:1:15: the context 'orders' of <api> must start with '/'\n"
        "bad.xml:1:32: the port 'http' of <api> is not a port number\n"
        "bad.xml:1:44: unknown version-type 'header' on <api> (expected context or url)\n"
        "bad.xml:2:15: unknown HTTP method 'FETCH' in <resource> (expected GET, POST, PUT, "
        "DELETE, PATCH, HEAD or OPTIONS)\n"
        "bad.xml:2:15: duplicate HTTP method 'GET' in <resource>\n"
        "bad.xml:2:60: <resource> has both 'uri-template' and 'url-mapping'\n"
        "bad.xml:2:77: unsupported protocol 'jms' on <resource> (use http or https)\n"
        "bad.xml:3:5: unsupported element <handlers> in <api>");
    row("api required", R"(<api transports="jms" SYN/>)",
        "bad.xml:1:1: <api> needs the attribute 'name'\n"
        "bad.xml:1:1: <api> needs the attribute 'context'\n"
        "bad.xml:1:1: <api> needs at least one <resource>\n"
        "bad.xml:1:6: unsupported transports 'jms' on <api> (use http or https)");
    row("api resource sequences", R"(<api name="a" context="/a" SYN>
    <resource methods="GET" inSequence="s">
        <inSequence/>
        <outSequence><respond/></outSequence>
        <outSequence/>
    </resource>
</api>)",
        "bad.xml:3:9: <resource> has both the attribute 'inSequence' and an inline <inSequence>\n"
        "bad.xml:5:9: duplicate element <outSequence> in <resource>");

    // Local entries
    row("local entry without key", R"(<localEntry SYN>text</localEntry>)",
        "bad.xml:1:1: <localEntry> needs the attribute 'key'");
    row("local entry two elements", R"(<localEntry key="k" SYN>
    <a/>
    <b/>
</localEntry>)",
        "bad.xml:3:5: <localEntry> holds one element as its value, found <b> after <a>");
    row("local entry text and element", R"(<localEntry key="k" SYN>text<a/></localEntry>)",
        "bad.xml:1:1: <localEntry> holds either text or an element, not both");
    row("local entry attribute", R"(<localEntry key="k" type="xml" SYN/>)",
        "bad.xml:1:21: unknown attribute 'type' on <localEntry>");
}

void TestArtifactIo::errors()
{
    QFETCH(QByteArray, xml);
    QFETCH(QString, expected);
    Diagnostics diagnostics;
    readArtifactData(xml, QStringLiteral("bad.xml"), diagnostics);
    QCOMPARE(diagnostics.toString(), expected);
}

void TestArtifactIo::malformedXml()
{
    Diagnostics diagnostics;
    const ArtifactSet artifacts = readArtifactData(synapse(R"(<sequence name="s" SYN>
    <log level="full">
</sequence>)"),
                                                   QStringLiteral("bad.xml"), diagnostics);
    QCOMPARE(artifacts.size(), 0);
    QCOMPARE(diagnostics.toString(),
             QStringLiteral("bad.xml:3:11: XML is not well-formed: Opening and ending tag "
                            "mismatch."));
}

void TestArtifactIo::doctypeRefused()
{
    Diagnostics diagnostics;
    const ArtifactSet artifacts = readArtifactData(synapse(R"(<?xml version="1.0"?>
<!DOCTYPE sequence [<!ENTITY boom "boom">]>
<sequence name="s" SYN>&boom;</sequence>)"),
                                                   QStringLiteral("bad.xml"), diagnostics);
    QCOMPARE(artifacts.size(), 0);
    QCOMPARE(diagnostics.toString(),
             QStringLiteral("bad.xml:2:43: XML is not well-formed: a DOCTYPE is not allowed here "
                            "(entity declarations and external entities are refused)"));
}

void TestArtifactIo::missingFile()
{
    Diagnostics diagnostics;
    const ArtifactSet artifacts = readArtifactFile(
        QStringLiteral("/nonexistent/seq.xml"), QStringLiteral("sequences/seq.xml"), diagnostics);
    QCOMPARE(artifacts.size(), 0);
    const QString expected = QStringLiteral("sequences/seq.xml: cannot read file: ");
    QVERIFY2(diagnostics.toString().startsWith(expected), qPrintable(diagnostics.toString()));
}

QTEST_GUILESS_MAIN(TestArtifactIo)
#include "tst_artifact_io.moc"
