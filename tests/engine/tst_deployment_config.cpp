// SPDX-License-Identifier: Apache-2.0
// deployment.toml and axis2.xml: the settings of the WebSocket senders and of the server.
#include "artifacts/project.h"

#include <QtTest>

using namespace sluice;

namespace {

const QString kToml = QStringLiteral("deployment.toml");
const QString kAxis2 = QStringLiteral("conf/axis2/axis2.xml");

ProjectConfig readToml(const QByteArray &text, Diagnostics &diagnostics)
{
    return readDeploymentToml(text, kToml, diagnostics);
}

// The diagnostics of reading `text`, one "file:line:col: message" per line.
QString messagesOf(const QByteArray &text)
{
    Diagnostics diagnostics;
    readToml(text, diagnostics);
    return diagnostics.toString();
}

} // namespace

class TestDeploymentConfig : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();

    void defaults_data();
    void defaults();
    void everyKey();
    void senderParameters();
    void senderKeyWinsOverParameter();
    void environmentSubstitution();
    void environmentValuesNeverPrinted();
    void references();
    void clientTrustStore();
    void trustStoreTypes_data();
    void trustStoreTypes();
    void errors_data();
    void errors();
    void warnings_data();
    void warnings();
    void syntaxErrorKeepsDefaults();
    void httpsKeyStore();
    void httpsListenerKeys();

    void axis2Mapping();
    void axis2JksTrustStore();
    void axis2WithoutWebSocketSenders();
    void axis2OtherParameters();
    void axis2Refused_data();
    void axis2Refused();
};

void TestDeploymentConfig::initTestCase()
{
    qputenv("SLUICE_TEST_PORT", "9300");
    qputenv("SLUICE_TEST_HOST", "edge.example.org");
    qputenv("SLUICE_TEST_ENABLE", "TRUE");
    qputenv("SLUICE_TEST_TRUST_PASSWORD", "s3cr3t-value");
    qputenv("SLUICE_TEST_SECRET", "hunter2");
    qunsetenv("SLUICE_TEST_MISSING");
}

void TestDeploymentConfig::cleanupTestCase()
{
    for (const char *name : {"SLUICE_TEST_PORT", "SLUICE_TEST_HOST", "SLUICE_TEST_ENABLE",
                             "SLUICE_TEST_TRUST_PASSWORD", "SLUICE_TEST_SECRET"})
        qunsetenv(name);
}

void TestDeploymentConfig::defaults_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::newRow("empty") << QByteArray();
    QTest::newRow("comments only") << QByteArray("# nothing configured\n\n");
    QTest::newRow("empty sections") << QByteArray("[server]\n[transport.ws]\n[transport.wss]\n");
}

void TestDeploymentConfig::defaults()
{
    QFETCH(QByteArray, text);
    Diagnostics diagnostics;
    const ProjectConfig config = readToml(text, diagnostics);
    QCOMPARE(diagnostics.toString(), QString());
    QCOMPARE(config.sourceFile, kToml);
    QCOMPARE(config.server.hostname, QStringLiteral("localhost"));
    QCOMPARE(config.server.offset, 0);
    QCOMPARE(config.server.bindAddress, QStringLiteral("127.0.0.1"));
    QCOMPARE(config.server.httpListenerPort, 8290);
    QCOMPARE(config.server.httpsListenerPort, 8253);
    QCOMPARE(config.server.workerThreads, 0);
    for (const WebSocketSenderConfig *sender : {&config.ws, &config.wss}) {
        QCOMPARE(sender->enabled, false);
        QCOMPARE(sender->outflowDispatchSequence, QStringLiteral("outflowDispatchSeq"));
        QCOMPARE(sender->outflowFaultSequence, QStringLiteral("outflowFaultSeq"));
        QCOMPARE(sender->trustStoreLocation, QString());
        QCOMPARE(sender->trustStorePassword, QString());
        QCOMPARE(sender->trustStoreType, QString());
        QCOMPARE(sender->hostnameVerification, true);
        QVERIFY(sender->parameters.isEmpty());
    }
}

void TestDeploymentConfig::everyKey()
{
    const QByteArray text = R"([server]
hostname = "mi.example.org"
offset = 10
bind_address = "0.0.0.0"
http_listener_port = 9290
https_listener_port = 9253
worker_threads = 4

[transport.ws]
sender.enable = true
sender.outflow_dispatch_sequence = "wsOut"
sender.outflow_dispatch_fault_sequence = "wsFault"

[transport.wss]
sender.enable = true
sender.outflow_dispatch_sequence = "wssOut"
sender.outflow_dispatch_fault_sequence = "wssFault"
sender.truststore_location = "conf/security/client-truststore.p12"
sender.truststore_password = "changeit"
sender.truststore_type = "PKCS12"
sender.hostname_verification = false
sender.parameter."ws.client.side.broadcast.level" = 1
sender.parameter."ws.custom.header" = "x-trace"
)";
    Diagnostics diagnostics;
    const ProjectConfig config = readToml(text, diagnostics);
    QCOMPARE(diagnostics.toString(), QString());
    QCOMPARE(config.server.hostname, QStringLiteral("mi.example.org"));
    QCOMPARE(config.server.offset, 10);
    QCOMPARE(config.server.bindAddress, QStringLiteral("0.0.0.0"));
    QCOMPARE(config.server.httpListenerPort, 9290);
    QCOMPARE(config.server.httpsListenerPort, 9253);
    QCOMPARE(config.server.workerThreads, 4);
    QCOMPARE(config.server.location.toString(), QStringLiteral("deployment.toml:1:1"));

    QCOMPARE(config.ws.enabled, true);
    QCOMPARE(config.ws.outflowDispatchSequence, QStringLiteral("wsOut"));
    QCOMPARE(config.ws.outflowFaultSequence, QStringLiteral("wsFault"));
    QCOMPARE(config.ws.location.toString(), QStringLiteral("deployment.toml:9:1"));

    QCOMPARE(config.wss.enabled, true);
    QCOMPARE(config.wss.outflowDispatchSequence, QStringLiteral("wssOut"));
    QCOMPARE(config.wss.outflowFaultSequence, QStringLiteral("wssFault"));
    QCOMPARE(config.wss.trustStoreLocation, QStringLiteral("conf/security/client-truststore.p12"));
    QCOMPARE(config.wss.trustStorePassword, QStringLiteral("changeit"));
    QCOMPARE(config.wss.trustStoreType, QStringLiteral("PKCS12"));
    QCOMPARE(config.wss.hostnameVerification, false);
    QCOMPARE(config.wss.location.toString(), QStringLiteral("deployment.toml:14:1"));
    QCOMPARE(config.wss.trustStoreSource.toString(), QStringLiteral("deployment.toml:18:30"));
    QCOMPARE(config.wss.trustStoreFile, QString()); // resolved by loadProject only
    const QMap<QString, QString> parameters{
        {QStringLiteral("ws.client.side.broadcast.level"), QStringLiteral("1")},
        {QStringLiteral("ws.custom.header"), QStringLiteral("x-trace")}};
    QCOMPARE(config.wss.parameters, parameters);
}

void TestDeploymentConfig::senderParameters()
{
    // MI's sender.parameter."<axis2 name>" spelling maps onto the same fields; an unquoted dotted
    // name is the same parameter.
    const QByteArray text = R"([transport.wss]
sender.enable = true
sender.parameter."ws.outflow.dispatch.sequence" = "pOut"
sender.parameter."ws.outflow.dispatch.fault.sequence" = "pFault"
sender.parameter."ws.client.enable.hostname.verification" = "false"
sender.parameter."ws.trust.store.location" = "security/trust.pem"
sender.parameter."ws.trust.store.Password" = "pw"
sender.parameter.ws.worker.thread.pool.size = 8
sender.parameter."ws.flag" = true
)";
    Diagnostics diagnostics;
    const ProjectConfig config = readToml(text, diagnostics);
    QCOMPARE(diagnostics.toString(), QString());
    QCOMPARE(config.wss.enabled, true);
    QCOMPARE(config.wss.outflowDispatchSequence, QStringLiteral("pOut"));
    QCOMPARE(config.wss.outflowFaultSequence, QStringLiteral("pFault"));
    QCOMPARE(config.wss.hostnameVerification, false);
    QCOMPARE(config.wss.trustStoreLocation, QStringLiteral("security/trust.pem"));
    QCOMPARE(config.wss.trustStorePassword, QStringLiteral("pw"));
    QCOMPARE(config.wss.trustStoreType, QStringLiteral("PEM")); // from the extension
    QCOMPARE(config.wss.trustStoreSource.toString(), QStringLiteral("deployment.toml:6:46"));
    const QMap<QString, QString> parameters{
        {QStringLiteral("ws.worker.thread.pool.size"), QStringLiteral("8")},
        {QStringLiteral("ws.flag"), QStringLiteral("true")}};
    QCOMPARE(config.wss.parameters, parameters);
    QCOMPARE(config.ws.enabled, false);
}

void TestDeploymentConfig::senderKeyWinsOverParameter()
{
    const QByteArray text = R"([transport.ws]
sender.parameter."ws.outflow.dispatch.sequence" = "fromParameter"
sender.outflow_dispatch_sequence = "fromKey"
)";
    Diagnostics diagnostics;
    const ProjectConfig config = readToml(text, diagnostics);
    QCOMPARE(config.ws.outflowDispatchSequence, QStringLiteral("fromKey"));
    QCOMPARE(diagnostics.toString(),
             QStringLiteral("deployment.toml:2:18: warning: [transport.ws] "
                            "sender.parameter.\"ws.outflow.dispatch.sequence\" is overridden by "
                            "the sender key of the same meaning"));
}

void TestDeploymentConfig::environmentSubstitution()
{
    const QByteArray text = R"([server]
http_listener_port = "$env:SLUICE_TEST_PORT"
hostname = "$env{SLUICE_TEST_HOST}"

[transport.wss]
sender.enable = "$env:SLUICE_TEST_ENABLE"
sender.truststore_password = "$env:SLUICE_TEST_TRUST_PASSWORD"
sender.parameter."ws.header" = "$env:SLUICE_TEST_HOST"
)";
    Diagnostics diagnostics;
    const ProjectConfig config = readToml(text, diagnostics);
    QCOMPARE(diagnostics.toString(), QString());
    QCOMPARE(config.server.httpListenerPort, 9300);
    QCOMPARE(config.server.hostname, QStringLiteral("edge.example.org"));
    QCOMPARE(config.wss.enabled, true);
    QCOMPARE(config.wss.trustStorePassword, QStringLiteral("s3cr3t-value"));
    QCOMPARE(config.wss.parameters.value(QStringLiteral("ws.header")),
             QStringLiteral("edge.example.org"));
}

void TestDeploymentConfig::environmentValuesNeverPrinted()
{
    const QByteArray text = R"([server]
offset = "$env:SLUICE_TEST_SECRET"
[transport.wss]
sender.enable = "$env{SLUICE_TEST_SECRET}"
sender.truststore_password = "$env:SLUICE_TEST_MISSING"
)";
    const QString messages = messagesOf(text);
    QCOMPARE(messages,
             QStringLiteral(
                 "deployment.toml:2:10: [server] offset: environment variable SLUICE_TEST_SECRET "
                 "does not hold an integer\n"
                 "deployment.toml:4:17: [transport.wss] sender.enable: environment variable "
                 "SLUICE_TEST_SECRET does not hold true or false\n"
                 "deployment.toml:5:30: [transport.wss] sender.truststore_password: environment "
                 "variable SLUICE_TEST_MISSING is not set"));
    QVERIFY(!messages.contains(QLatin1String("hunter2")));
}

void TestDeploymentConfig::references()
{
    // MI's own deployment.toml points the wss sender at the [truststore] section.
    const QByteArray text = R"([truststore]
file_name = "repository/resources/security/client-truststore.p12"
password = "$env:SLUICE_TEST_TRUST_PASSWORD"

[transport.wss]
sender.enable = true
sender.truststore_location = "$ref{truststore.file_name}"
sender.truststore_password = "$ref{truststore.password}"
)";
    Diagnostics diagnostics;
    const ProjectConfig config = readToml(text, diagnostics);
    QCOMPARE(diagnostics.toString(), QString()); // [truststore] is used, so not "ignored"
    QCOMPARE(config.wss.trustStoreLocation,
             QStringLiteral("repository/resources/security/client-truststore.p12"));
    QCOMPARE(config.wss.trustStorePassword, QStringLiteral("s3cr3t-value"));
    QCOMPARE(config.wss.trustStoreType, QStringLiteral("PKCS12"));
}

void TestDeploymentConfig::clientTrustStore()
{
    // [truststore] is MI's client trust store: the CAs of the https sender.
    const QByteArray text = R"([truststore]
file_name = "security/client-truststore.p12"
password = "$env:SLUICE_TEST_TRUST_PASSWORD"
alias = "symmetric.key.value"
)";
    Diagnostics diagnostics;
    const ProjectConfig config = readToml(text, diagnostics);
    QCOMPARE(diagnostics.toString(),
             QStringLiteral("deployment.toml:4:1: warning: [truststore] alias is recognised but "
                            "ignored by Sluice"));
    QCOMPARE(config.truststore.fileName, QStringLiteral("security/client-truststore.p12"));
    QCOMPARE(config.truststore.password, QStringLiteral("s3cr3t-value"));
    QCOMPARE(config.truststore.type, QStringLiteral("PKCS12")); // from the extension
    QCOMPARE(config.truststore.fileNameSource.toString(), QStringLiteral("deployment.toml:2:13"));

    // MI's default names a JKS file: a warning with the keytool command (https:// sends fail).
    Diagnostics jks;
    const ProjectConfig fromMi =
        readToml("[truststore]\nfile_name = \"client-truststore.jks\"\n", jks);
    QVERIFY2(!jks.hasErrors(), qPrintable(jks.toString()));
    QVERIFY2(jks.toString().startsWith(
                 QStringLiteral("deployment.toml:2:13: warning: [truststore] JKS trust stores")),
             qPrintable(jks.toString()));
    QCOMPARE(fromMi.truststore.type, QStringLiteral("JKS"));
    // Other types are refused.
    Diagnostics unknown;
    readToml("[truststore]\nfile_name = \"ca.bundle\"\ntype = \"BKS\"\n", unknown);
    QVERIFY2(unknown.toString().contains(QStringLiteral("deployment.toml:3:8: unsupported trust "
                                                        "store type 'BKS'")),
             qPrintable(unknown.toString()));
}

void TestDeploymentConfig::trustStoreTypes_data()
{
    QTest::addColumn<QByteArray>("keys");
    QTest::addColumn<QString>("type");
    QTest::newRow("PEM") << QByteArray("sender.truststore_type = \"PEM\"") << "PEM";
    QTest::newRow("pem lower case") << QByteArray("sender.truststore_type = \"pem\"") << "PEM";
    QTest::newRow("PKCS12") << QByteArray("sender.truststore_type = \"PKCS12\"") << "PKCS12";
    QTest::newRow("P12") << QByteArray("sender.truststore_type = \"p12\"") << "PKCS12";
    QTest::newRow(".p12 file") << QByteArray("sender.truststore_location = \"t.p12\"") << "PKCS12";
    QTest::newRow(".pfx file") << QByteArray("sender.truststore_location = \"t.pfx\"") << "PKCS12";
    QTest::newRow(".crt file") << QByteArray("sender.truststore_location = \"ca.crt\"") << "PEM";
    QTest::newRow("unknown extension")
        << QByteArray("sender.truststore_location = \"ca.bundle\"") << "";
    QTest::newRow("type wins over extension")
        << QByteArray("sender.truststore_location = \"ca.bundle.p12\"\n"
                      "sender.truststore_type = \"PEM\"")
        << "PEM";
}

void TestDeploymentConfig::trustStoreTypes()
{
    QFETCH(QByteArray, keys);
    QFETCH(QString, type);
    Diagnostics diagnostics;
    const ProjectConfig config = readToml("[transport.wss]\n" + keys + "\n", diagnostics);
    QCOMPARE(diagnostics.toString(), QString());
    QCOMPARE(config.wss.trustStoreType, type);
}

void TestDeploymentConfig::errors_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<QString>("messages");

    // Wrong value types: the value's position and the expected type.
    QTest::newRow("offset string") << QByteArray("[server]\noffset = \"10\"\n")
                                   << "deployment.toml:2:10: [server] offset: expected an "
                                      "integer, found a string";
    QTest::newRow("hostname integer") << QByteArray("[server]\nhostname = 42\n")
                                      << "deployment.toml:2:12: [server] hostname: expected a "
                                         "string, found an integer";
    QTest::newRow("port float") << QByteArray("[server]\nhttp_listener_port = 80.5\n")
                                << "deployment.toml:2:22: [server] http_listener_port: expected "
                                   "an integer, found a floating-point number";
    QTest::newRow("enable string") << QByteArray("[transport.ws]\nsender.enable = \"yes\"\n")
                                   << "deployment.toml:2:17: [transport.ws] sender.enable: "
                                      "expected a boolean, found a string";
    QTest::newRow("sequence array")
        << QByteArray("[transport.ws]\nsender.outflow_dispatch_sequence = [\"a\"]\n")
        << "deployment.toml:2:36: [transport.ws] sender.outflow_dispatch_sequence: expected a "
           "string, found an array";
    QTest::newRow("hostname verification string")
        << QByteArray("[transport.wss]\nsender.hostname_verification = \"off\"\n")
        << "deployment.toml:2:32: [transport.wss] sender.hostname_verification: expected a "
           "boolean, found a string";
    QTest::newRow("server not a table") << QByteArray("server = 1\n")
                                        << "deployment.toml:1:10: server: expected a table, "
                                           "found an integer";
    QTest::newRow("sender not a table") << QByteArray("[transport.ws]\nsender = true\n")
                                        << "deployment.toml:2:10: [transport.ws] sender: "
                                           "expected a table, found a boolean";
    QTest::newRow("parameter array")
        << QByteArray("[transport.ws]\nsender.parameter.\"x\" = [1]\n")
        << "deployment.toml:2:24: [transport.ws] sender.parameter.\"x\": expected a string, a "
           "number or a boolean, found an array";

    // Ranges.
    QTest::newRow("negative workers") << QByteArray("[server]\nworker_threads = -1\n")
                                      << "deployment.toml:2:18: [server] worker_threads: must be "
                                         "between 0 and 1024";
    QTest::newRow("port too big") << QByteArray("[server]\nhttps_listener_port = 70000\n")
                                  << "deployment.toml:2:23: [server] https_listener_port: must "
                                     "be between 0 and 65535";

    // Environment and references.
    QTest::newRow("missing variable")
        << QByteArray("[server]\nhostname = \"$env:SLUICE_TEST_MISSING\"\n")
        << "deployment.toml:2:12: [server] hostname: environment variable SLUICE_TEST_MISSING is "
           "not set";
    QTest::newRow("missing variable, MI spelling")
        << QByteArray("[server]\nhostname = \"$env{SLUICE_TEST_MISSING}\"\n")
        << "deployment.toml:2:12: [server] hostname: environment variable SLUICE_TEST_MISSING is "
           "not set";
    QTest::newRow("bad variable name") << QByteArray("[server]\nhostname = \"$env:1X\"\n")
                                       << "deployment.toml:2:12: [server] hostname: '1X' is not "
                                          "a valid environment variable name";
    QTest::newRow("missing reference")
        << QByteArray("[server]\nhostname = \"$ref{nowhere.host}\"\n")
        << "deployment.toml:2:12: [server] hostname: $ref{nowhere.host} names no key of this "
           "file";
    QTest::newRow("system property") << QByteArray("[server]\nhostname = \"$sys{host}\"\n")
                                     << "deployment.toml:2:12: [server] hostname: $sys{} values "
                                        "are not supported by Sluice; use $env:NAME";
    QTest::newRow("secure vault")
        << QByteArray("[transport.wss]\nsender.truststore_password = \"$secret{pw}\"\n")
        << "deployment.toml:2:30: [transport.wss] sender.truststore_password: $secret{} values "
           "are not supported by Sluice; use $env:NAME";

    // Trust stores.
    QTest::newRow("JKS type") << QByteArray("[transport.wss]\n"
                                            "sender.truststore_location = \"conf/trust.jks\"\n"
                                            "sender.truststore_type = \"JKS\"\n")
                              << "deployment.toml:3:26: JKS trust stores are not supported; "
                                 "convert with keytool -importkeystore -srckeystore "
                                 "conf/trust.jks -destkeystore conf/trust.p12 -deststoretype "
                                 "PKCS12";
    QTest::newRow("JKS by extension")
        << QByteArray("[transport.wss]\n"
                      "sender.truststore_location = \"repository/resources/security/"
                      "client-truststore.jks\"\n")
        << "deployment.toml:2:30: JKS trust stores are not supported; convert with keytool "
           "-importkeystore -srckeystore repository/resources/security/client-truststore.jks "
           "-destkeystore repository/resources/security/client-truststore.p12 -deststoretype "
           "PKCS12";
    QTest::newRow("JKS without location")
        << QByteArray("[transport.wss]\nsender.truststore_type = \"jks\"\n")
        << "deployment.toml:2:26: JKS trust stores are not supported; convert with keytool "
           "-importkeystore -srckeystore truststore.jks -destkeystore truststore.p12 "
           "-deststoretype PKCS12";
    QTest::newRow("unknown type") << QByteArray("[transport.wss]\nsender.truststore_type = "
                                                "\"BKS\"\n")
                                  << "deployment.toml:2:26: unsupported trust store type 'BKS' "
                                     "(expected PEM or PKCS12)";

    // Syntax errors: toml++'s description at the error's position.
    QTest::newRow("missing value") << QByteArray("[server]\noffset = \n")
                                   << "deployment.toml:2:10: Error while parsing key-value pair: "
                                      "expected value, saw '\\n'";
    QTest::newRow("unterminated string") << QByteArray("[server]\nhostname = \"x\n")
                                         << "deployment.toml:2:14: Error while parsing string: "
                                            "unescaped control characters other than TAB "
                                            "(U+0009) are explicitly prohibited";
    QTest::newRow("redefined key") << QByteArray("[server]\noffset = 1\noffset = 2\n")
                                   << "deployment.toml:3:10: Error while parsing key-value pair: "
                                      "cannot redefine existing integer 'offset'";
    QTest::newRow("unclosed table header") << QByteArray("[transport.ws\nsender.enable = true\n")
                                           << "deployment.toml:1:14: Error while parsing table "
                                              "header: expected ']', saw '\\n'";
}

void TestDeploymentConfig::errors()
{
    QFETCH(QByteArray, text);
    QFETCH(QString, messages);
    Diagnostics diagnostics;
    readToml(text, diagnostics);
    QCOMPARE(diagnostics.toString(), messages);
    QVERIFY(diagnostics.hasErrors());
}

void TestDeploymentConfig::warnings_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<QString>("messages");

    QTest::newRow("unknown server key")
        << QByteArray("[server]\nhostname = \"a\"\nhost_name = \"b\"\n")
        << "deployment.toml:3:1: warning: unknown key 'host_name' in [server]";
    QTest::newRow("unknown sender key")
        << QByteArray("[transport.ws]\nsender.enabled = true\n")
        << "deployment.toml:2:8: warning: unknown key 'sender.enabled' in [transport.ws]";
    QTest::newRow("unknown key beside sender")
        << QByteArray("[transport.ws]\nlistener.enable = true\n")
        << "deployment.toml:2:1: warning: unknown key 'listener' in [transport.ws]";
    QTest::newRow("unknown section") << QByteArray("[sluice]\nx = 1\n")
                                     << "deployment.toml:1:2: warning: unknown section [sluice]";
    QTest::newRow("unknown top-level key")
        << QByteArray("name = \"x\"\n") << "deployment.toml:1:1: warning: unknown key 'name'";
    QTest::newRow("unknown transport") << QByteArray("[transport.websocket]\nx = 1\n")
                                       << "deployment.toml:1:12: warning: unknown section "
                                          "[transport.websocket]";
    QTest::newRow("trust store on ws")
        << QByteArray("[transport.ws]\nsender.truststore_location = \"t.pem\"\n")
        << "deployment.toml:2:8: warning: sender.truststore_location applies to [transport.wss] "
           "only; ignored in [transport.ws]";
    QTest::newRow("MI sections")
        << QByteArray(R"([server]
hostname = "localhost"
enable_mtom = true

[user_store]
type = "read_only_ldap"

[keystore.primary]
file_name = "wso2carbon.jks"

[keystore.tls]
file_name = "wso2carbon.jks"

[[datasource]]
id = "WSO2CarbonDB"

[[datasource]]
id = "Other"

[transport.http]
socket_timeout = 180000

[truststore]
file_name = "client-truststore.jks"
)")
        << "deployment.toml:3:1: warning: [server] enable_mtom is recognised but ignored by "
           "Sluice\n"
           "deployment.toml:5:2: warning: [user_store] is recognised but ignored by Sluice\n"
           // [keystore.tls] / [keystore.primary] are read: the HTTPS listener's key store.
           "deployment.toml:14:3: warning: [[datasource]] is recognised but ignored by Sluice\n"
           // [transport.http] socket_timeout is read: the HTTP listener's idle timeout.
           // [truststore] is read: MI's default names a JKS file, which only https:// sends need.
           "deployment.toml:24:13: warning: [truststore] JKS trust stores are not supported; "
           "convert with keytool -importkeystore -srckeystore client-truststore.jks "
           "-destkeystore client-truststore.p12 -deststoretype PKCS12; until then https:// "
           "endpoints fail";
}

void TestDeploymentConfig::warnings()
{
    QFETCH(QByteArray, text);
    QFETCH(QString, messages);
    Diagnostics diagnostics;
    readToml(text, diagnostics);
    QCOMPARE(diagnostics.toString(), messages);
    QVERIFY(!diagnostics.hasErrors());
}

void TestDeploymentConfig::syntaxErrorKeepsDefaults()
{
    Diagnostics diagnostics;
    const ProjectConfig config = readToml("[transport.ws]\nsender.enable = tru\n", diagnostics);
    QCOMPARE(diagnostics.errorCount(), 1);
    QCOMPARE(config.sourceFile, kToml);
    QCOMPARE(config.ws.enabled, false);
}

void TestDeploymentConfig::axis2Mapping()
{
    const QByteArray xml = R"(<?xml version="1.0" encoding="UTF-8"?>
<axisconfig name="AxisJava2.0">
  <transportSender name="http"
                   class="org.apache.synapse.transport.passthru.PassThroughHttpSender"/>
  <transportSender name="ws"
                   class="org.wso2.carbon.websocket.transport.WebsocketTransportSender">
    <parameter name="ws.outflow.dispatch.sequence" locked="false">outflowDispatchSeq</parameter>
    <parameter name="ws.outflow.dispatch.fault.sequence" locked="false">outflowFaultSeq</parameter>
  </transportSender>
  <transportSender name="wss"
                   class="org.wso2.carbon.websocket.transport.WebsocketTransportSender">
    <parameter name="ws.outflow.dispatch.sequence" locked="false">secureOut</parameter>
    <parameter name="ws.outflow.dispatch.fault.sequence" locked="false">secureFault</parameter>
    <parameter name="ws.trust.store" locked="false">
      <ws.trust.store.location>
        repository/resources/security/client-truststore.p12
      </ws.trust.store.location>
      <ws.trust.store.Password>wso2carbon</ws.trust.store.Password>
    </parameter>
  </transportSender>
</axisconfig>
)";
    Diagnostics diagnostics;
    ProjectConfig config;
    readAxis2Senders(xml, kAxis2, config, diagnostics);
    QCOMPARE(diagnostics.toString(), QString());
    QCOMPARE(config.sourceFile, kAxis2);
    QCOMPARE(config.ws.enabled, true);
    QCOMPARE(config.ws.outflowDispatchSequence, QStringLiteral("outflowDispatchSeq"));
    QCOMPARE(config.ws.outflowFaultSequence, QStringLiteral("outflowFaultSeq"));
    QCOMPARE(config.ws.location.toString(), QStringLiteral("conf/axis2/axis2.xml:5:3"));
    QCOMPARE(config.ws.trustStoreLocation, QString());
    QCOMPARE(config.wss.enabled, true);
    QCOMPARE(config.wss.outflowDispatchSequence, QStringLiteral("secureOut"));
    QCOMPARE(config.wss.outflowFaultSequence, QStringLiteral("secureFault"));
    QCOMPARE(config.wss.trustStoreLocation,
             QStringLiteral("repository/resources/security/client-truststore.p12"));
    QCOMPARE(config.wss.trustStorePassword, QStringLiteral("wso2carbon"));
    QCOMPARE(config.wss.trustStoreType, QStringLiteral("PKCS12"));
    QCOMPARE(config.wss.trustStoreSource.toString(), QStringLiteral("conf/axis2/axis2.xml:15:7"));
    QVERIFY(config.wss.parameters.isEmpty());
    QCOMPARE(config.server.httpListenerPort, 8290); // untouched
}

void TestDeploymentConfig::axis2JksTrustStore()
{
    // The EI 6.x sample as documented: a JKS trust store, refused with the conversion command.
    const QByteArray xml = R"(<axisconfig>
  <transportSender name="wss"
                   class="org.wso2.carbon.websocket.transport.WebsocketTransportSender">
    <parameter name="ws.outflow.dispatch.sequence" locked="false">outflowDispatchSeq</parameter>
    <parameter name="ws.outflow.dispatch.fault.sequence" locked="false">outflowFaultSeq</parameter>
    <parameter name="ws.trust.store" locked="false">
      <ws.trust.store.location>
        repository/resources/security/client-truststore.jks
      </ws.trust.store.location>
      <ws.trust.store.Password>wso2carbon</ws.trust.store.Password>
    </parameter>
  </transportSender>
</axisconfig>
)";
    Diagnostics diagnostics;
    ProjectConfig config;
    readAxis2Senders(xml, kAxis2, config, diagnostics);
    QCOMPARE(diagnostics.toString(),
             QStringLiteral("conf/axis2/axis2.xml:7:7: JKS trust stores are not supported; "
                            "convert with keytool -importkeystore -srckeystore "
                            "repository/resources/security/client-truststore.jks -destkeystore "
                            "repository/resources/security/client-truststore.p12 -deststoretype "
                            "PKCS12"));
    QCOMPARE(config.wss.trustStoreType, QStringLiteral("JKS"));
    QVERIFY(!diagnostics.toString().contains(QLatin1String("wso2carbon")));
}

void TestDeploymentConfig::axis2WithoutWebSocketSenders()
{
    // The senders commented out, as axis2.xml ships: nothing is enabled.
    const QByteArray xml = R"(<axisconfig>
    <!--
    <transportSender name="ws" class="org.wso2.carbon.websocket.transport.WebsocketTransportSender">
        <parameter name="ws.outflow.dispatch.sequence" locked="false">outflowDispatchSeq</parameter>
    </transportSender>
    -->
    <transportSender name="http"
                     class="org.apache.synapse.transport.passthru.PassThroughHttpSender"/>
</axisconfig>
)";
    Diagnostics diagnostics;
    ProjectConfig config;
    readAxis2Senders(xml, kAxis2, config, diagnostics);
    QCOMPARE(diagnostics.toString(), QString());
    QCOMPARE(config.sourceFile, kAxis2);
    QCOMPARE(config.ws.enabled, false);
    QCOMPARE(config.wss.enabled, false);
}

void TestDeploymentConfig::axis2OtherParameters()
{
    const QByteArray xml = R"(<axisconfig>
    <transportSender name="ws" class="org.example.OtherSender">
        <parameter name="ws.client.enable.hostname.verification">false</parameter>
        <parameter name="ws.worker.thread.pool.size">4</parameter>
    </transportSender>
</axisconfig>
)";
    Diagnostics diagnostics;
    ProjectConfig config;
    readAxis2Senders(xml, kAxis2, config, diagnostics);
    QCOMPARE(diagnostics.toString(),
             QStringLiteral("conf/axis2/axis2.xml:2:32: warning: transportSender 'ws' has class "
                            "'org.example.OtherSender'; Sluice reads its parameters as those of "
                            "org.wso2.carbon.websocket.transport.WebsocketTransportSender"));
    QCOMPARE(config.ws.enabled, true);
    QCOMPARE(config.ws.hostnameVerification, false);
    const QMap<QString, QString> parameters{
        {QStringLiteral("ws.worker.thread.pool.size"), QStringLiteral("4")}};
    QCOMPARE(config.ws.parameters, parameters);
}

void TestDeploymentConfig::axis2Refused_data()
{
    QTest::addColumn<QByteArray>("xml");
    QTest::addColumn<QString>("messages");
    QTest::newRow("doctype") << QByteArray("<!DOCTYPE axisconfig [<!ENTITY x \"y\">]>\n"
                                           "<axisconfig>&x;</axisconfig>\n")
                             << "conf/axis2/axis2.xml:1:39: XML is not well-formed: a DOCTYPE is "
                                "not allowed here (entity declarations and external entities are "
                                "refused)";
    QTest::newRow("not well-formed") << QByteArray("<axisconfig>\n<transportSender>\n")
                                     << "conf/axis2/axis2.xml:3:1: XML is not well-formed: "
                                        "Premature end of document.";
}

void TestDeploymentConfig::axis2Refused()
{
    QFETCH(QByteArray, xml);
    QFETCH(QString, messages);
    Diagnostics diagnostics;
    ProjectConfig config;
    readAxis2Senders(xml, kAxis2, config, diagnostics);
    QCOMPARE(diagnostics.toString(), messages);
    QCOMPARE(config.ws.enabled, false);
}

// The HTTPS listener's key store: MI's [keystore.tls] wins over [keystore.primary], whichever
// comes first; passwords come from the environment; other key stores stay ignored.
void TestDeploymentConfig::httpsKeyStore()
{
    qputenv("SLUICE_TEST_TLS_KEY_PASS", "from-the-environment");
    Diagnostics diagnostics;
    const ProjectConfig config = readToml(R"([keystore.tls]
file_name = "security/tls.p12"
password = "$env:SLUICE_TEST_TLS_KEY_PASS"
alias = "tls"

[keystore.primary]
file_name = "security/primary.p12"
password = "primary"

[keystore.internal]
file_name = "internal.jks"
)",
                                          diagnostics);
    qunsetenv("SLUICE_TEST_TLS_KEY_PASS");
    QCOMPARE(diagnostics.toString(), QStringLiteral("deployment.toml:10:11: warning: "
                                                    "[keystore.internal] is recognised but "
                                                    "ignored by Sluice"));
    const KeyStoreConfig &store = config.httpsKeyStore;
    QCOMPARE(store.table, QStringLiteral("keystore.tls"));
    QCOMPARE(store.fileName, QStringLiteral("security/tls.p12"));
    QCOMPARE(store.password, QStringLiteral("from-the-environment"));
    QCOMPARE(store.alias, QStringLiteral("tls"));
    QCOMPARE(store.fileLocation.line, 2);

    Diagnostics primaryOnly;
    const ProjectConfig primary =
        readToml("[keystore.primary]\nfile_name = \"p.pem\"\nkey_password = \"k\"\n", primaryOnly);
    QVERIFY(!primaryOnly.hasErrors());
    QCOMPARE(primary.httpsKeyStore.table, QStringLiteral("keystore.primary"));
    QCOMPARE(primary.httpsKeyStore.keyPassword, QStringLiteral("k"));
    QVERIFY(readToml(QByteArray(), primaryOnly).httpsKeyStore.table.isEmpty());
}

// MI's [transport.http] listener.* keys of the HTTPS listener: its own key store (winning over
// [keystore.tls] wherever that comes), trust store, client verification, protocols, ciphers.
void TestDeploymentConfig::httpsListenerKeys()
{
    Diagnostics diagnostics;
    const ProjectConfig config = readToml(R"([transport.http]
listener.secured_port = 9443
listener.verify_client = "require"
listener.secured_protocols = "TLSv1.3"
listener.preferred_ciphers = "TLS_AES_256_GCM_SHA384"
listener.keystore.file_name = "listener.p12"
listener.keystore.password = "ks"
listener.truststore.file_name = "clients.pem"
listener.truststore.type = "PEM"
listener.ssl_profile.read_interval = "1h"

[keystore.tls]
file_name = "tls.p12"
)",
                                          diagnostics);
    QCOMPARE(diagnostics.toString(),
             QStringLiteral("deployment.toml:10:10: warning: [transport.http] "
                            "listener.ssl_profile is recognised but ignored by Sluice"));
    QCOMPARE(config.server.httpsListenerPort, 9443);
    QCOMPARE(config.httpsKeyStore.fileName, QStringLiteral("listener.p12"));
    QCOMPARE(config.httpsKeyStore.password, QStringLiteral("ks"));
    QCOMPARE(config.httpsKeyStore.keyPrefix, QStringLiteral("[transport.http] listener.keystore."));
    const HttpsListenerTlsConfig &tls = config.httpsListener;
    QCOMPARE(tls.trustStoreFile, QStringLiteral("clients.pem"));
    QCOMPARE(tls.verifyClient, QStringLiteral("require"));
    QCOMPARE(tls.protocols, QStringLiteral("TLSv1.3"));
    QCOMPARE(tls.ciphers, QStringLiteral("TLS_AES_256_GCM_SHA384"));
    QCOMPARE(tls.verifyClientLocation.line, 3);
}

QTEST_GUILESS_MAIN(TestDeploymentConfig)
#include "tst_deployment_config.moc"
