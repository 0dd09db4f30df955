// SPDX-License-Identifier: Apache-2.0
// loadProject: every project layout on disk, CAR archives, and where the configuration comes from.
#include "artifacts/car_archive.h"
#include "artifacts/project.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QtEndian>
#include <QtTest>

using namespace sluice;

Q_DECLARE_METATYPE(sluice::ProjectLayout)

namespace {

QString dataProject(const QString &name)
{
    return QStringLiteral(SLUICE_TEST_DATA "/projects/") + name;
}

// "kind:name" of every artifact, sorted.
QStringList artifactNames(const ArtifactSet &artifacts)
{
    QStringList names;
    for (const Sequence &s : artifacts.sequences)
        names.append(QStringLiteral("sequence:") + s.name);
    for (const InboundEndpoint &i : artifacts.inboundEndpoints)
        names.append(QStringLiteral("inbound:") + i.name);
    for (const EndpointDefinition &e : artifacts.endpoints)
        names.append(QStringLiteral("endpoint:") + e.name);
    for (const ProxyService &p : artifacts.proxyServices)
        names.append(QStringLiteral("proxy:") + p.name);
    for (const Api &a : artifacts.apis)
        names.append(QStringLiteral("api:") + a.name);
    for (const LocalEntry &l : artifacts.localEntries)
        names.append(QStringLiteral("local:") + l.key);
    names.sort();
    return names;
}

bool writeFile(const QString &root, const QString &relativePath, const QByteArray &content)
{
    const QString path = root + QLatin1Char('/') + relativePath;
    if (!QDir().mkpath(QFileInfo(path).absolutePath()))
        return false;
    QFile file(path);
    return file.open(QIODevice::WriteOnly) && file.write(content) == content.size();
}

QByteArray sequenceXml(const QByteArray &name)
{
    return "<sequence name=\"" + name +
           "\" xmlns=\"http://ws.apache.org/ns/synapse\">\n    <log/>\n</sequence>\n";
}

QByteArray proxyXml(const QByteArray &name)
{
    return "<proxy name=\"" + name +
           "\" transports=\"http\" xmlns=\"http://ws.apache.org/ns/synapse\">\n"
           "    <target inSequence=\"a\"/>\n</proxy>\n";
}

QByteArray endpointXml(const QByteArray &name)
{
    return "<endpoint name=\"" + name +
           "\" xmlns=\"http://ws.apache.org/ns/synapse\">\n"
           "    <address uri=\"ws://localhost:8082/websocket\"/>\n</endpoint>\n";
}

QByteArray inboundXml(const QByteArray &name)
{
    return "<inboundEndpoint name=\"" + name +
           "\" protocol=\"ws\" sequence=\"a\" onError=\"a\" suspend=\"false\" "
           "xmlns=\"http://ws.apache.org/ns/synapse\">\n"
           "    <parameters>\n"
           "        <parameter name=\"inbound.ws.port\">9092</parameter>\n"
           "    </parameters>\n"
           "</inboundEndpoint>\n";
}

QByteArray carArtifactXml(const QByteArray &name, const QByteArray &type, const QByteArray &file)
{
    return "<artifact name=\"" + name + "\" groupId=\"com.example\" version=\"1.0.0\" type=\"" +
           type + "\" serverRole=\"EnterpriseIntegrator\">\n    <file>" + file +
           "</file>\n</artifact>\n";
}

// artifacts.xml of a Composite Exporter, depending on `artifacts` (all version 1.0.0).
QByteArray carDescriptor(const QList<QByteArray> &artifacts)
{
    QByteArray xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<artifacts>\n"
                     "    <artifact name=\"SampleCompositeExporter\" version=\"1.0.0\" "
                     "type=\"carbon/application\">\n";
    for (const QByteArray &name : artifacts)
        xml += "        <dependency artifact=\"" + name +
               "\" version=\"1.0.0\" include=\"true\" serverRole=\"EnterpriseIntegrator\"/>\n";
    xml += "    </artifact>\n</artifacts>\n";
    return xml;
}

// Adds artifact `name` of `type` holding `content` to a CAR's entries.
void addCarArtifact(QMap<QString, QByteArray> &entries, const QByteArray &name,
                    const QByteArray &type, const QByteArray &content)
{
    const QString folder = QString::fromUtf8(name) + QStringLiteral("_1.0.0/");
    const QByteArray file = name + "-1.0.0.xml";
    entries.insert(folder + QStringLiteral("artifact.xml"), carArtifactXml(name, type, file));
    entries.insert(folder + QString::fromUtf8(file), content);
}

// Sets the uncompressed size that every entry of a zip declares (local headers and central
// directory), without touching the data: a "zip bomb" header that the reader must refuse before
// inflating anything.
bool declareUncompressedSize(const QString &path, quint32 size)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadWrite))
        return false;
    QByteArray data = file.readAll();
    int patched = 0;
    auto patch = [&](const char *signature, int fieldOffset) {
        for (qsizetype at = data.indexOf(signature); at >= 0;
             at = data.indexOf(signature, at + 4)) {
            qToLittleEndian<quint32>(size, data.data() + at + fieldOffset);
            ++patched;
        }
    };
    patch("PK\x03\x04", 22); // local file header: uncompressed size
    patch("PK\x01\x02", 24); // central directory header: uncompressed size
    file.seek(0);
    return patched > 0 && file.write(data) == data.size();
}

} // namespace

class TestProjectLoader : public QObject {
    Q_OBJECT

private slots:
    void layouts_data();
    void layouts();
    void microIntegratorConfig();
    void esbHomeAxis2Config();
    void reloadFromRootPath();
    void layoutNames();

    void synapseLocations_data();
    void synapseLocations();
    void folderWarnings();
    void integrationStudioModules();
    void deploymentTomlBeatsAxis2();
    void trustStoreResolution();
    void notAProject_data();
    void notAProject();

    void carArchive();
    void carProblems_data();
    void carProblems();
    void carZipSlip_data();
    void carZipSlip();
    void carTooLarge();
    void carSizeLimitIsPerArchive();
};

void TestProjectLoader::layouts_data()
{
    QTest::addColumn<QString>("path");
    QTest::addColumn<ProjectLayout>("layout");
    QTest::addColumn<QStringList>("files");
    QTest::addColumn<QStringList>("names");
    QTest::addColumn<QString>("sourceFile");
    QTest::addColumn<QString>("messages");

    const QString mi = QStringLiteral("src/main/synapse-config/");
    QTest::newRow("WSO2 MI") << dataProject(QStringLiteral("mi-websocket"))
                             << ProjectLayout::MicroIntegrator
                             << QStringList{mi + QStringLiteral("sequences/dispatchSeq.xml"),
                                            mi + QStringLiteral("sequences/outDispatchSeq.xml"),
                                            mi + QStringLiteral("inbound-endpoints/websocket.xml"),
                                            mi + QStringLiteral("endpoints/wsBackend.xml"),
                                            mi + QStringLiteral(
                                                     "proxy-services/websocketProxy1.xml"),
                                            mi + QStringLiteral("api/HealthAPI.xml"),
                                            mi + QStringLiteral("local-entries/backendUrl.xml")}
                             << QStringList{QStringLiteral("api:HealthAPI"),
                                            QStringLiteral("endpoint:wsBackend"),
                                            QStringLiteral("inbound:websocket"),
                                            QStringLiteral("local:backendUrl"),
                                            QStringLiteral("proxy:websocketProxy1"),
                                            QStringLiteral("sequence:dispatchSeq"),
                                            QStringLiteral("sequence:outDispatchSeq")}
                             << QStringLiteral("deployment.toml") << QString();

    const QString sample = QStringLiteral("WebSocketSampleConfigs/src/main/synapse-config/");
    QTest::newRow("Integration Studio")
        << dataProject(QStringLiteral("integration-studio")) << ProjectLayout::IntegrationStudio
        << QStringList{QStringLiteral("WebSocketBackendConfigs/src/main/synapse-config/"
                                      "endpoints/wsBackend.xml"),
                       sample + QStringLiteral("sequences/dispatchSeq.xml"),
                       sample + QStringLiteral("sequences/outDispatchSeq.xml"),
                       sample + QStringLiteral("proxy-services/websocketProxy1.xml")}
        << QStringList{QStringLiteral("endpoint:wsBackend"),
                       QStringLiteral("proxy:websocketProxy1"),
                       QStringLiteral("sequence:dispatchSeq"),
                       QStringLiteral("sequence:outDispatchSeq")}
        << QStringLiteral("deployment/deployment.toml") << QString();

    const QStringList definitionNames{
        QStringLiteral("endpoint:wsBackend"), QStringLiteral("local:backendUrl"),
        QStringLiteral("proxy:websocketProxy1"), QStringLiteral("sequence:dispatchSeq"),
        QStringLiteral("sequence:outDispatchSeq")};
    QTest::newRow("synapse.xml directory")
        << dataProject(QStringLiteral("synapse-definitions")) << ProjectLayout::SynapseDefinitions
        << QStringList{QStringLiteral("synapse.xml")} << definitionNames << QString() << QString();
    QTest::newRow("<definitions> file")
        << dataProject(QStringLiteral("synapse-definitions/synapse.xml"))
        << ProjectLayout::SynapseDefinitions << QStringList{QStringLiteral("synapse.xml")}
        << definitionNames << QString() << QString();

    const QString esb = QStringLiteral("repository/deployment/server/synapse-configs/default/");
    QTest::newRow("ESB home")
        << dataProject(QStringLiteral("esb-home")) << ProjectLayout::SynapseDefinitions
        << QStringList{esb + QStringLiteral("synapse.xml"),
                       esb + QStringLiteral("sequences/dispatchSeq.xml"),
                       esb + QStringLiteral("sequences/fault.xml"),
                       esb + QStringLiteral("sequences/main.xml"),
                       esb + QStringLiteral("sequences/outDispatchSeq.xml"),
                       esb + QStringLiteral("inbound-endpoints/websocket.xml"),
                       esb + QStringLiteral("proxy-services/websocketProxy1.xml")}
        << QStringList{QStringLiteral("inbound:websocket"),
                       QStringLiteral("proxy:websocketProxy1"),
                       QStringLiteral("sequence:dispatchSeq"),
                       QStringLiteral("sequence:fault"),
                       QStringLiteral("sequence:main"),
                       QStringLiteral("sequence:outDispatchSeq")}
        << QStringLiteral("conf/axis2/axis2.xml")
        << esb + QStringLiteral("templates/greeting.xml: warning: not read: templates/ artifacts "
                                "are not supported by Sluice");
}

void TestProjectLoader::layouts()
{
    QFETCH(QString, path);
    QFETCH(ProjectLayout, layout);
    QFETCH(QStringList, files);
    QFETCH(QStringList, names);
    QFETCH(QString, sourceFile);
    QFETCH(QString, messages);

    Diagnostics diagnostics;
    const Project project = loadProject(path, diagnostics);
    QCOMPARE(diagnostics.toString(), messages);
    QCOMPARE(project.layout, layout);
    QCOMPARE(project.rootPath, QFileInfo(path).absoluteFilePath());
    QCOMPARE(project.artifactFiles, files);
    QCOMPARE(artifactNames(project.artifacts), names);
    QCOMPARE(project.artifacts.size(), int(names.size()));
    QCOMPARE(project.config.sourceFile, sourceFile);
}

void TestProjectLoader::microIntegratorConfig()
{
    Diagnostics diagnostics;
    const Project project = loadProject(dataProject(QStringLiteral("mi-websocket")), diagnostics);
    QVERIFY(diagnostics.isEmpty());
    QCOMPARE(project.config.ws.enabled, true);
    QCOMPARE(project.config.ws.outflowDispatchSequence, QStringLiteral("outDispatchSeq"));
    QCOMPARE(project.config.ws.outflowFaultSequence, QStringLiteral("outDispatchSeq"));
    QCOMPARE(project.config.wss.enabled, false);
    QCOMPARE(project.config.server.hostname, QStringLiteral("localhost"));
    // Artifacts carry their project-relative file for messages.
    const Sequence *sequence = project.artifacts.findSequence(QStringLiteral("dispatchSeq"));
    QVERIFY(sequence);
    QCOMPARE(sequence->location.file,
             QStringLiteral("src/main/synapse-config/sequences/dispatchSeq.xml"));
}

void TestProjectLoader::esbHomeAxis2Config()
{
    Diagnostics diagnostics;
    const QString root = dataProject(QStringLiteral("esb-home"));
    const Project project = loadProject(root, diagnostics);
    QVERIFY(!diagnostics.hasErrors());
    QCOMPARE(project.config.ws.enabled, true);
    QCOMPARE(project.config.ws.outflowDispatchSequence, QStringLiteral("outflowDispatchSeq"));
    QCOMPARE(project.config.wss.enabled, true);
    QCOMPARE(project.config.wss.trustStoreType, QStringLiteral("PEM"));
    QCOMPARE(project.config.wss.trustStoreFile,
             QFileInfo(root).absoluteFilePath() +
                 QStringLiteral("/repository/resources/security/client-truststore.pem"));
}

void TestProjectLoader::reloadFromRootPath()
{
    for (const QString &name : {QStringLiteral("mi-websocket"), QStringLiteral("esb-home"),
                                QStringLiteral("synapse-definitions/synapse.xml")}) {
        Diagnostics first;
        const Project project = loadProject(dataProject(name), first);
        Diagnostics second;
        const Project again = loadProject(project.rootPath, second);
        QCOMPARE(again.rootPath, project.rootPath);
        QCOMPARE(again.artifactFiles, project.artifactFiles);
        QVERIFY(again.artifacts == project.artifacts);
    }
}

void TestProjectLoader::layoutNames()
{
    QCOMPARE(layoutName(ProjectLayout::MicroIntegrator),
             QStringLiteral("WSO2 Micro Integrator project"));
    QCOMPARE(layoutName(ProjectLayout::SynapseDefinitions),
             QStringLiteral("Apache Synapse configuration"));
    QCOMPARE(layoutName(ProjectLayout::IntegrationStudio),
             QStringLiteral("WSO2 Integration Studio project"));
    QCOMPARE(layoutName(ProjectLayout::CarchiveFile), QStringLiteral("Carbon application (.car)"));
}

void TestProjectLoader::synapseLocations_data()
{
    QTest::addColumn<QString>("configDir"); // where synapse.xml and the per-kind folders are
    QTest::newRow("root") << QString();
    QTest::newRow("synapse-config") << QStringLiteral("synapse-config/");
    QTest::newRow("Apache Synapse home") << QStringLiteral("repository/conf/synapse-config/");
}

void TestProjectLoader::synapseLocations()
{
    QFETCH(QString, configDir);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QVERIFY(writeFile(
        dir.path(), configDir + QStringLiteral("synapse.xml"),
        "<definitions xmlns=\"http://ws.apache.org/ns/synapse\">\n" +
            sequenceXml("main").replace(" xmlns=\"http://ws.apache.org/ns/synapse\"", "") +
            "</definitions>\n"));
    QVERIFY(writeFile(dir.path(), configDir + QStringLiteral("endpoints/e.xml"), endpointXml("e")));
    Diagnostics diagnostics;
    const Project project = loadProject(dir.path(), diagnostics);
    QCOMPARE(diagnostics.toString(), QString());
    QCOMPARE(project.layout, ProjectLayout::SynapseDefinitions);
    QCOMPARE(project.artifactFiles, (QStringList{configDir + QStringLiteral("synapse.xml"),
                                                 configDir + QStringLiteral("endpoints/e.xml")}));
    QCOMPARE(artifactNames(project.artifacts),
             (QStringList{QStringLiteral("endpoint:e"), QStringLiteral("sequence:main")}));
}

void TestProjectLoader::folderWarnings()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString root = dir.path();
    const QString config = QStringLiteral("src/main/synapse-config/");
    QVERIFY(writeFile(root, config + QStringLiteral("sequences/b.xml"), sequenceXml("b")));
    QVERIFY(writeFile(root, config + QStringLiteral("sequences/a.xml"), sequenceXml("a")));
    QVERIFY(writeFile(root, config + QStringLiteral("sequences/p.xml"), proxyXml("p")));
    QVERIFY(writeFile(root, config + QStringLiteral("sequences/notes.txt"), "not read"));
    QVERIFY(writeFile(root, config + QStringLiteral("sequences/a.xml.bak"), "not read"));
    QVERIFY(writeFile(root, config + QStringLiteral("sequences/old/x.xml"), sequenceXml("x")));
    QVERIFY(writeFile(root, config + QStringLiteral("endpoints/e.xml"), endpointXml("e")));
    QVERIFY(writeFile(root, config + QStringLiteral("stray.xml"), sequenceXml("s")));
    QVERIFY(writeFile(root, config + QStringLiteral("templates/t.xml"), "<template/>"));
    QVERIFY(writeFile(root, QStringLiteral("pom.xml"), "<project/>")); // outside: not looked at

    Diagnostics diagnostics;
    const Project project = loadProject(root, diagnostics);
    QCOMPARE(project.layout, ProjectLayout::MicroIntegrator);
    QCOMPARE(project.artifactFiles, (QStringList{config + QStringLiteral("sequences/a.xml"),
                                                 config + QStringLiteral("sequences/b.xml"),
                                                 config + QStringLiteral("sequences/p.xml"),
                                                 config + QStringLiteral("endpoints/e.xml")}));
    // A wrongly placed artifact is still read.
    QCOMPARE(artifactNames(project.artifacts),
             (QStringList{QStringLiteral("endpoint:e"), QStringLiteral("proxy:p"),
                          QStringLiteral("sequence:a"), QStringLiteral("sequence:b")}));
    const QString elsewhere = QStringLiteral(
        "warning: not read: artifact files belong in sequences/, inbound-endpoints/, "
        "endpoints/, proxy-services/, api/ or local-entries/");
    QCOMPARE(diagnostics.toString(),
             config + QStringLiteral("sequences/old/x.xml: ") + elsewhere + QLatin1Char('\n') +
                 config +
                 QStringLiteral("sequences/p.xml:1:1: warning: proxy service 'p' found in "
                                "sequences/ (proxy services belong in proxy-services/)\n") +
                 config + QStringLiteral("stray.xml: ") + elsewhere + QLatin1Char('\n') + config +
                 QStringLiteral("templates/t.xml: warning: not read: templates/ artifacts are not "
                                "supported by Sluice"));
    QVERIFY(!diagnostics.hasErrors());
    QCOMPARE(project.config.sourceFile, QString()); // no deployment.toml: defaults
    QCOMPARE(project.config.ws.enabled, false);
    QCOMPARE(project.config.server.httpListenerPort, 8290);
}

void TestProjectLoader::integrationStudioModules()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString root = dir.path();
    const QString config = QStringLiteral("/src/main/synapse-config/");
    QVERIFY(writeFile(root, QStringLiteral("BConfigs") + config + QStringLiteral("sequences/b.xml"),
                      sequenceXml("b")));
    QVERIFY(writeFile(root, QStringLiteral("AConfigs") + config + QStringLiteral("sequences/a.xml"),
                      sequenceXml("a")));
    QVERIFY(writeFile(root, QStringLiteral("AConfigs/deployment.toml"),
                      "[transport.ws]\nsender.enable = true\n"));
    QVERIFY(writeFile(root, QStringLiteral("deployment/deployment.toml"),
                      "[transport.wss]\nsender.enable = true\n"));
    QVERIFY(writeFile(root, QStringLiteral("SampleCompositeExporter/pom.xml"), "<project/>"));
    QVERIFY(writeFile(root, QStringLiteral("Other/src/main/synapse-config/sequences/o.xml"),
                      sequenceXml("o"))); // not a *Configs module

    Diagnostics diagnostics;
    const Project project = loadProject(root, diagnostics);
    QCOMPARE(project.layout, ProjectLayout::IntegrationStudio);
    QCOMPARE(
        project.artifactFiles,
        (QStringList{QStringLiteral("AConfigs") + config + QStringLiteral("sequences/a.xml"),
                     QStringLiteral("BConfigs") + config + QStringLiteral("sequences/b.xml")}));
    QCOMPARE(project.config.sourceFile, QStringLiteral("AConfigs/deployment.toml"));
    QCOMPARE(project.config.ws.enabled, true);
    QCOMPARE(project.config.wss.enabled, false);
    QCOMPARE(diagnostics.toString(), QStringLiteral("deployment/deployment.toml: warning: not "
                                                    "read: AConfigs/deployment.toml is used"));
}

void TestProjectLoader::deploymentTomlBeatsAxis2()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString root = dir.path();
    QVERIFY(writeFile(root, QStringLiteral("src/main/synapse-config/sequences/a.xml"),
                      sequenceXml("a")));
    QVERIFY(writeFile(root, QStringLiteral("conf/axis2/axis2.xml"),
                      "<axisconfig>\n    <transportSender name=\"ws\" class=\"org.wso2.carbon."
                      "websocket.transport.WebsocketTransportSender\">\n        <parameter "
                      "name=\"ws.outflow.dispatch.sequence\">fromAxis2</parameter>\n"
                      "    </transportSender>\n</axisconfig>\n"));
    {
        // axis2.xml alone configures the senders.
        Diagnostics diagnostics;
        const Project project = loadProject(root, diagnostics);
        QCOMPARE(diagnostics.toString(), QString());
        QCOMPARE(project.config.sourceFile, QStringLiteral("conf/axis2/axis2.xml"));
        QCOMPARE(project.config.ws.enabled, true);
        QCOMPARE(project.config.ws.outflowDispatchSequence, QStringLiteral("fromAxis2"));
    }
    QVERIFY(writeFile(root, QStringLiteral("deployment.toml"),
                      "[transport.ws]\nsender.outflow_dispatch_sequence = \"fromToml\"\n"));
    Diagnostics diagnostics;
    const Project project = loadProject(root, diagnostics);
    QCOMPARE(diagnostics.toString(),
             QStringLiteral("conf/axis2/axis2.xml: warning: not read: both deployment.toml and "
                            "conf/axis2/axis2.xml configure the WebSocket senders; "
                            "deployment.toml wins"));
    QCOMPARE(project.config.sourceFile, QStringLiteral("deployment.toml"));
    QCOMPARE(project.config.ws.enabled, false);
    QCOMPARE(project.config.ws.outflowDispatchSequence, QStringLiteral("fromToml"));
}

void TestProjectLoader::trustStoreResolution()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString root = dir.path();
    QVERIFY(writeFile(root, QStringLiteral("src/main/synapse-config/sequences/a.xml"),
                      sequenceXml("a")));
    QVERIFY(writeFile(root, QStringLiteral("security/trust.pem"), "# placeholder\n"));
    QVERIFY(writeFile(root, QStringLiteral("deployment.toml"),
                      "[transport.wss]\nsender.enable = true\n"
                      "sender.truststore_location = \"security/trust.pem\"\n"));
    {
        Diagnostics diagnostics;
        const Project project = loadProject(root, diagnostics);
        QCOMPARE(diagnostics.toString(), QString());
        QCOMPARE(project.config.wss.trustStoreFile,
                 QDir(root).absoluteFilePath(QStringLiteral("security/trust.pem")));
    }
    QVERIFY(writeFile(root, QStringLiteral("deployment.toml"),
                      "[transport.wss]\nsender.enable = true\n"
                      "sender.truststore_location = \"security/missing.p12\"\n"));
    Diagnostics diagnostics;
    loadProject(root, diagnostics);
    QCOMPARE(diagnostics.toString(),
             QStringLiteral("deployment.toml:3:30: the trust store file security/missing.p12 does "
                            "not exist (relative paths are relative to the project directory)"));
}

void TestProjectLoader::notAProject_data()
{
    QTest::addColumn<QString>("relativePath");
    QTest::addColumn<QByteArray>("content"); // written to relativePath unless it ends with '/'
    QTest::addColumn<QString>("message");

    const QString layouts = QStringLiteral(
        "looked for a WSO2 Micro Integrator project (src/main/synapse-config/ with sequences/, "
        "inbound-endpoints/, endpoints/, proxy-services/, api/ and local-entries/, and an "
        "optional deployment.toml), a WSO2 Integration Studio project (a *Configs/ module with "
        "src/main/synapse-config/), an Apache Synapse or WSO2 ESB configuration (synapse.xml, "
        "synapse-config/synapse.xml, repository/conf/synapse-config/synapse.xml or "
        "repository/deployment/server/synapse-configs/default/), a <definitions> .xml file, or "
        "a .car file");
    QTest::newRow("missing") << QStringLiteral("nowhere") << QByteArray()
                             << QStringLiteral("%1: no such file or directory");
    QTest::newRow("empty directory") << QStringLiteral("empty/") << QByteArray()
                                     << QStringLiteral("%1: no project found: ") + layouts;
    QTest::newRow("text file") << QStringLiteral("notes.txt") << QByteArray("hello")
                               << QStringLiteral("notes.txt: not a project: ") + layouts;
    QTest::newRow("single artifact")
        << QStringLiteral("seq.xml") << QByteArray("<?xml version=\"1.0\"?>\n") + sequenceXml("a")
        << QStringLiteral("seq.xml:2:1: the root element is <sequence>, not <definitions>: not a "
                          "project; ") +
               layouts;
}

void TestProjectLoader::notAProject()
{
    QFETCH(QString, relativePath);
    QFETCH(QByteArray, content);
    QFETCH(QString, message);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QString path = dir.path() + QLatin1Char('/') + relativePath;
    if (relativePath.endsWith(QLatin1Char('/'))) {
        QVERIFY(QDir().mkpath(path));
        path.chop(1);
    } else if (!content.isEmpty()) {
        QVERIFY(writeFile(dir.path(), relativePath, content));
    }
    Diagnostics diagnostics;
    const Project project = loadProject(path, diagnostics);
    QCOMPARE(diagnostics.toString(),
             message.contains(QLatin1String("%1")) ? message.arg(path) : message);
    QCOMPARE(project.artifacts.size(), 0);
}

void TestProjectLoader::carArchive()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QMap<QString, QByteArray> entries;
    entries.insert(
        QStringLiteral("artifacts.xml"),
        carDescriptor({"dispatchSeq", "wsBackend", "websocket", "websocketProxy1", "settings"}));
    addCarArtifact(entries, "dispatchSeq", "synapse/sequence", sequenceXml("dispatchSeq"));
    addCarArtifact(entries, "wsBackend", "synapse/endpoint", endpointXml("wsBackend"));
    addCarArtifact(entries, "websocket", "synapse/inbound-endpoint", inboundXml("websocket"));
    addCarArtifact(entries, "websocketProxy1", "synapse/proxy-service",
                   proxyXml("websocketProxy1"));
    addCarArtifact(entries, "settings", "registry/resource", "<resources/>");
    entries.insert(QStringLiteral("unlisted_1.0.0/artifact.xml"), "<not-read/>");
    const QString car = dir.filePath(QStringLiteral("sample.car"));
    QString error;
    QVERIFY2(writeZip(car, entries, &error), qPrintable(error));
    // A CAR carries no deployment.toml: one beside it is used.
    QVERIFY(writeFile(dir.path(), QStringLiteral("deployment.toml"),
                      "[transport.ws]\nsender.enable = true\n"));

    Diagnostics diagnostics;
    const Project project = loadProject(car, diagnostics);
    QCOMPARE(diagnostics.toString(),
             QStringLiteral("sample.car!/settings_1.0.0/artifact.xml:1:65: warning: not read: "
                            "artifact 'settings' of type registry/resource (Sluice reads "
                            "synapse/* artifacts only)"));
    QCOMPARE(project.layout, ProjectLayout::CarchiveFile);
    QCOMPARE(project.rootPath, QFileInfo(car).absoluteFilePath());
    QCOMPARE(project.artifactFiles,
             (QStringList{QStringLiteral("sample.car!/dispatchSeq_1.0.0/dispatchSeq-1.0.0.xml"),
                          QStringLiteral("sample.car!/wsBackend_1.0.0/wsBackend-1.0.0.xml"),
                          QStringLiteral("sample.car!/websocket_1.0.0/websocket-1.0.0.xml"),
                          QStringLiteral("sample.car!/websocketProxy1_1.0.0/"
                                         "websocketProxy1-1.0.0.xml")}));
    QCOMPARE(artifactNames(project.artifacts),
             (QStringList{QStringLiteral("endpoint:wsBackend"), QStringLiteral("inbound:websocket"),
                          QStringLiteral("proxy:websocketProxy1"),
                          QStringLiteral("sequence:dispatchSeq")}));
    QCOMPARE(project.artifacts.sequences.front().location.file,
             QStringLiteral("sample.car!/dispatchSeq_1.0.0/dispatchSeq-1.0.0.xml"));
    QCOMPARE(project.config.sourceFile, QStringLiteral("deployment.toml"));
    QCOMPARE(project.config.ws.enabled, true);
}

void TestProjectLoader::carProblems_data()
{
    QTest::addColumn<QStringList>("dependencies");
    QTest::addColumn<QStringList>("artifacts"); // name|type|content, or name|type|-: no file
    QTest::addColumn<QString>("messages");
    QTest::addColumn<int>("count");

    QTest::newRow("unsupported synapse type")
        << QStringList{QStringLiteral("a"), QStringLiteral("store")}
        << QStringList{QStringLiteral("a|synapse/sequence|<sequence name=\"a\" "
                                      "xmlns=\"http://ws.apache.org/ns/synapse\"/>"),
                       QStringLiteral("store|synapse/message-store|<messageStore/>")}
        << QStringLiteral("sample.car!/store_1.0.0/artifact.xml:1:62: artifact 'store': the "
                          "artifact type synapse/message-store is not supported by Sluice")
        << 1;
    QTest::newRow("unknown synapse type")
        << QStringList{QStringLiteral("x")}
        << QStringList{QStringLiteral("x|synapse/gadget|<gadget/>")}
        << QStringLiteral("sample.car!/x_1.0.0/artifact.xml:1:58: artifact 'x': the artifact "
                          "type synapse/gadget is unknown")
        << 0;
    QTest::newRow("wrong kind")
        << QStringList{QStringLiteral("p")}
        << QStringList{QStringLiteral("p|synapse/sequence|<proxy name=\"p\" transports=\"http\" "
                                      "xmlns=\"http://ws.apache.org/ns/synapse\"><target "
                                      "inSequence=\"a\"/></proxy>")}
        << QStringLiteral("sample.car!/p_1.0.0/p-1.0.0.xml:1:1: warning: proxy service 'p' found "
                          "in an artifact of type synapse/sequence")
        << 1;
    QTest::newRow("missing folder") << QStringList{QStringLiteral("gone")} << QStringList()
                                    << QStringLiteral("sample.car!/artifacts.xml:4:9: artifact "
                                                      "'gone' is listed but "
                                                      "gone_1.0.0/artifact.xml is missing from "
                                                      "the archive")
                                    << 0;
    QTest::newRow("missing file")
        << QStringList{QStringLiteral("a")} << QStringList{QStringLiteral("a|synapse/sequence|-")}
        << QStringLiteral("sample.car!/a_1.0.0/artifact.xml:2:5: artifact 'a': a_1.0.0/a-1.0.0.xml "
                          "is missing from the archive")
        << 0;
    QTest::newRow("broken artifact")
        << QStringList{QStringLiteral("a")}
        << QStringList{QStringLiteral("a|synapse/sequence|<sequence name=\"a\">")}
        << QStringLiteral("sample.car!/a_1.0.0/a-1.0.0.xml:1:19: XML is not well-formed: "
                          "Premature end of document.")
        << 0;
}

void TestProjectLoader::carProblems()
{
    QFETCH(QStringList, dependencies);
    QFETCH(QStringList, artifacts);
    QFETCH(QString, messages);
    QFETCH(int, count);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QMap<QString, QByteArray> entries;
    QList<QByteArray> names;
    for (const QString &dependency : dependencies)
        names.append(dependency.toUtf8());
    entries.insert(QStringLiteral("artifacts.xml"), carDescriptor(names));
    for (const QString &artifact : artifacts) {
        const QStringList parts = artifact.split(QLatin1Char('|'));
        const QByteArray name = parts.at(0).toUtf8();
        addCarArtifact(entries, name, parts.at(1).toUtf8(), parts.at(2).toUtf8());
        if (parts.at(2) == QLatin1String("-"))
            entries.remove(parts.at(0) + QStringLiteral("_1.0.0/") + parts.at(0) +
                           QStringLiteral("-1.0.0.xml"));
    }
    const QString car = dir.filePath(QStringLiteral("sample.car"));
    QVERIFY(writeZip(car, entries));
    Diagnostics diagnostics;
    const Project project = loadProject(car, diagnostics);
    QCOMPARE(diagnostics.toString(), messages);
    QCOMPARE(project.artifacts.size(), count);
}

void TestProjectLoader::carZipSlip_data()
{
    QTest::addColumn<QString>("entry");
    QTest::newRow("parent") << QStringLiteral("../evil.xml");
    QTest::newRow("nested parent") << QStringLiteral("a_1.0.0/../../evil.xml");
    QTest::newRow("absolute") << QStringLiteral("/etc/evil.xml");
    QTest::newRow("backslash parent") << QStringLiteral("a_1.0.0\\..\\..\\evil.xml");
    QTest::newRow("drive letter") << QStringLiteral("C:/evil.xml");
}

void TestProjectLoader::carZipSlip()
{
    QFETCH(QString, entry);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QMap<QString, QByteArray> entries;
    entries.insert(QStringLiteral("artifacts.xml"), carDescriptor({"a"}));
    addCarArtifact(entries, "a", "synapse/sequence", sequenceXml("a"));
    entries.insert(entry, sequenceXml("evil"));
    const QString car = dir.filePath(QStringLiteral("sample.car"));
    QString error;
    QVERIFY2(writeZip(car, entries, &error), qPrintable(error));

    Diagnostics diagnostics;
    const Project project = loadProject(car, diagnostics);
    QCOMPARE(diagnostics.toString(),
             QStringLiteral("sample.car: refused: the archive entry '%1' has an absolute path or "
                            "a '..' component and would point outside the archive")
                 .arg(entry));
    QCOMPARE(project.artifacts.size(), 0); // nothing at all is read from such an archive
    QVERIFY(!QFile::exists(dir.filePath(QStringLiteral("evil.xml"))));
    QVERIFY(!QFile::exists(QFileInfo(dir.path()).absolutePath() + QStringLiteral("/evil.xml")));
}

void TestProjectLoader::carTooLarge()
{
    // Two entries that claim 128 MiB + 1 byte each: over the 256 MiB limit together, refused
    // from the directory before anything is inflated.
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QMap<QString, QByteArray> entries;
    entries.insert(QStringLiteral("artifacts.xml"), carDescriptor({"a"}));
    entries.insert(QStringLiteral("a_1.0.0/artifact.xml"),
                   carArtifactXml("a", "synapse/sequence", "a-1.0.0.xml"));
    const QString car = dir.filePath(QStringLiteral("sample.car"));
    QVERIFY(writeZip(car, entries));
    QVERIFY(declareUncompressedSize(car, 128u * 1024 * 1024 + 1));

    Diagnostics diagnostics;
    const Project project = loadProject(car, diagnostics);
    QCOMPARE(diagnostics.toString(),
             QStringLiteral("sample.car: refused: the archive expands to more than 256.0 MiB (the "
                            "limit for a CAR file)"));
    QCOMPARE(project.artifacts.size(), 0);
}

void TestProjectLoader::carSizeLimitIsPerArchive()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QMap<QString, QByteArray> entries;
    entries.insert(QStringLiteral("artifacts.xml"), carDescriptor({"a"}));
    addCarArtifact(entries, "a", "synapse/sequence", sequenceXml("a"));
    const QString car = dir.filePath(QStringLiteral("sample.car"));
    QVERIFY(writeZip(car, entries));
    qint64 total = 0;
    for (const QByteArray &data : std::as_const(entries))
        total += data.size();

    {
        Diagnostics diagnostics;
        QStringList files;
        const ArtifactSet set =
            readCarArchive(car, QStringLiteral("sample.car"), files, diagnostics, total);
        QCOMPARE(diagnostics.toString(), QString());
        QCOMPARE(set.size(), 1);
    }
    Diagnostics diagnostics;
    QStringList files;
    const ArtifactSet set =
        readCarArchive(car, QStringLiteral("sample.car"), files, diagnostics, total - 1);
    QCOMPARE(set.size(), 0);
    QVERIFY(files.isEmpty());
    QVERIFY(diagnostics.toString().startsWith(
        QLatin1String("sample.car: refused: the archive expands to more than")));

    ZipReader reader;
    Diagnostics readerDiagnostics;
    QVERIFY(reader.open(car, QStringLiteral("sample.car"), readerDiagnostics));
    QCOMPARE(reader.entryNames().size(), entries.size());
    QCOMPARE(reader.read(QStringLiteral("artifacts.xml"), readerDiagnostics),
             std::optional<QByteArray>(entries.value(QStringLiteral("artifacts.xml"))));
    QVERIFY(!reader.read(QStringLiteral("nope.xml"), readerDiagnostics));
    QCOMPARE(readerDiagnostics.toString(),
             QStringLiteral("sample.car!/nope.xml: no such entry in the archive"));
}

QTEST_GUILESS_MAIN(TestProjectLoader)
#include "tst_project_loader.moc"
