// SPDX-License-Identifier: Apache-2.0
// [cluster] in deployment.toml (off by default, values, errors with file:line:column, the
// password only from the environment) and the envelope a broadcast travels in between nodes
// (bytes kept exactly, anything truncated or foreign refused).
#include "artifacts/project.h"
#include "cluster/cluster_envelope.h"
#include "cluster/cluster_view.h"
#include "toml_diagnostic.h"

#include <QTest>

using namespace sluice;
using namespace Qt::StringLiterals;

class TestClusterConfig : public QObject {
    Q_OBJECT

private slots:
    void offWithoutTheTable()
    {
        Diagnostics diagnostics;
        const ProjectConfig config =
            readDeploymentToml("[server]\nhostname = \"x\"\n", u"deployment.toml"_s, diagnostics);
        QVERIFY(diagnostics.isEmpty());
        QVERIFY(!config.cluster.enabled);
    }

    void valuesAreRead()
    {
        qputenv("TST_CLUSTER_PASSWORD", "pa ss");
        Diagnostics diagnostics;
        const ProjectConfig config = readDeploymentToml("[cluster]\n"
                                                        "redis = \"10.1.2.3:7000\"\n"
                                                        "node = \"edge-1\"\n"
                                                        "key_prefix = \"prod.eu\"\n"
                                                        "username = \"sluice\"\n"
                                                        "password_env = \"TST_CLUSTER_PASSWORD\"\n"
                                                        "tls = true\n"
                                                        "tls_ca_file = \"ca.pem\"\n"
                                                        "tls_cert_file = \"node.crt\"\n"
                                                        "tls_key_file = \"node.key\"\n"
                                                        "tls_verify_hostname = false\n"
                                                        "heartbeat_ms = 500\n",
                                                        u"deployment.toml"_s, diagnostics);
        QVERIFY2(diagnostics.isEmpty(), qPrintable(diagnostics.toString()));
        const ClusterConfig &cluster = config.cluster;
        QVERIFY(cluster.enabled);
        QCOMPARE(cluster.host, u"10.1.2.3"_s);
        QCOMPARE(cluster.port, 7000);
        QCOMPARE(cluster.node, u"edge-1"_s);
        QCOMPARE(cluster.keyPrefix, u"prod.eu"_s);
        QCOMPARE(cluster.username, u"sluice"_s);
        QCOMPARE(cluster.passwordVariable, u"TST_CLUSTER_PASSWORD"_s);
        QCOMPARE(cluster.password, QByteArray("pa ss"));
        QVERIFY(cluster.tls);
        QCOMPARE(cluster.tlsCaFile, u"ca.pem"_s);
        QCOMPARE(cluster.tlsCertFile, u"node.crt"_s);
        QCOMPARE(cluster.tlsKeyFile, u"node.key"_s);
        QVERIFY(!cluster.tlsVerifyHostname);
        QCOMPARE(cluster.heartbeatMs, 500);
        QCOMPARE(cluster.location.line, 1);
    }

    void addressForms_data()
    {
        QTest::addColumn<QByteArray>("address");
        QTest::addColumn<QString>("host");
        QTest::addColumn<int>("port");
        QTest::newRow("name only") << QByteArray("redis.internal") << u"redis.internal"_s << 6379;
        QTest::newRow("IPv6") << QByteArray("[::1]:6380") << u"::1"_s << 6380;
    }

    void addressForms()
    {
        QFETCH(QByteArray, address);
        QFETCH(QString, host);
        QFETCH(int, port);
        Diagnostics diagnostics;
        const ProjectConfig config = readDeploymentToml("[cluster]\nredis = \"" + address + "\"\n",
                                                        u"deployment.toml"_s, diagnostics);
        QVERIFY2(diagnostics.isEmpty(), qPrintable(diagnostics.toString()));
        QCOMPARE(config.cluster.host, host);
        QCOMPARE(config.cluster.port, port);
    }

    void badValuesNameFileLineAndColumn_data()
    {
        QTest::addColumn<QByteArray>("toml");
        QTest::addColumn<QString>("expected");
        QTest::addColumn<bool>("isError");
        QTest::newRow("port out of range")
            << QByteArray("[cluster]\nredis = \"127.0.0.1:70000\"\n")
            << u"deployment.toml:2:9: [cluster] redis: '127.0.0.1:70000' is not host:port"_s
            << true;
        QTest::newRow("address with a scheme")
            << QByteArray("[cluster]\nredis = \"redis://h:1\"\n")
            << u"deployment.toml:2:9: [cluster] redis: 'redis://h:1' is not host:port"_s << true;
        QTest::newRow("password in the file")
            << QByteArray("[cluster]\npassword = \"hunter2\"\n")
            << u"deployment.toml:2:1: [cluster] password is not read from the file"_s << true;
        QTest::newRow("password variable not set")
            << QByteArray("[cluster]\npassword_env = \"TST_CLUSTER_UNSET_VARIABLE\"\n")
            << u"deployment.toml:2:16: [cluster] password_env: environment variable "
               "TST_CLUSTER_UNSET_VARIABLE is not set"_s
            << true;
        QTest::newRow("password variable name")
            << QByteArray("[cluster]\npassword_env = \"1X\"\n")
            << u"deployment.toml:2:16: [cluster] password_env: '1X' is not a valid environment "
               "variable name"_s
            << true;
        QTest::newRow("node name with a colon")
            << QByteArray("[cluster]\nnode = \"a:b\"\n")
            << u"deployment.toml:2:8: [cluster] node: 'a:b' must be 1-64 letters"_s << true;
        QTest::newRow("heartbeat too short")
            << QByteArray("[cluster]\nheartbeat_ms = 10\n")
            << u"deployment.toml:2:16: [cluster] heartbeat_ms: must be between 100 and 60000"_s
            << true;
        QTest::newRow("tls as text")
            << QByteArray("[cluster]\ntls = \"yes\"\n")
            << u"deployment.toml:2:7: [cluster] tls: expected a boolean"_s << true;
        QTest::newRow("certificate without key")
            << QByteArray("[cluster]\ntls = true\ntls_cert_file = \"n.crt\"\n")
            << u"deployment.toml:3:17: [cluster] tls_cert_file and tls_key_file go together"_s
            << true;
        QTest::newRow("tls keys without tls")
            << QByteArray("[cluster]\ntls_ca_file = \"ca.pem\"\n")
            << u"deployment.toml:2:15: warning: [cluster] tls_* keys are ignored without "
               "tls = true"_s
            << false;
        QTest::newRow("unknown key")
            << QByteArray("[cluster]\nshards = 3\n")
            << u"deployment.toml:2:1: warning: unknown key 'shards' in [cluster]"_s << false;
        QTest::newRow("not a table")
            << QByteArray("cluster = 1\n") << u"deployment.toml:1:11: cluster: expected a table"_s
            << true;
    }

    void badValuesNameFileLineAndColumn()
    {
        QFETCH(QByteArray, toml);
        QFETCH(QString, expected);
        QFETCH(bool, isError);
        const QString problem = testing::checkOneTomlDiagnostic(toml, expected, isError);
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
        // No diagnostic repeats a secret ("hunter2" of the password row).
        Diagnostics diagnostics;
        readDeploymentToml(toml, u"deployment.toml"_s, diagnostics);
        QVERIFY(!diagnostics.toString().contains(u"hunter2"_s));
    }

    void envelopeKeepsEveryByte()
    {
        QByteArray payload;
        for (int i = 0; i < 256; ++i)
            payload.append(char(i));
        const ClusterEnvelope sent{"0123abcd",        u"node-ä"_s, u"room"_s, u"/ws/r:1"_s,
                                   FrameKind::Binary, u"ws-7"_s,   payload};
        const std::optional<ClusterEnvelope> got = ClusterEnvelope::decode(sent.encode());
        QVERIFY(got);
        QCOMPARE(got->originInstance, sent.originInstance);
        QCOMPARE(got->originNode, sent.originNode);
        QCOMPARE(got->endpoint, sent.endpoint);
        QCOMPARE(got->path, sent.path);
        QCOMPARE(got->kind, FrameKind::Binary);
        QCOMPARE(got->exceptId, sent.exceptId);
        QCOMPARE(got->payload, payload);
        const ClusterEnvelope empty{"i", u"n"_s, u"e"_s, u"/"_s, FrameKind::Text, {}, {}};
        const auto emptyBack = ClusterEnvelope::decode(empty.encode());
        QVERIFY(emptyBack && emptyBack->payload.isEmpty() && emptyBack->kind == FrameKind::Text);
    }

    void envelopeRefusesWhatIsNotOne()
    {
        const ClusterEnvelope sent{"i", u"n"_s, u"e"_s, u"/p"_s, FrameKind::Text, {}, "hello"};
        const QByteArray bytes = sent.encode();
        for (qsizetype cut = 0; cut < bytes.size(); ++cut)
            QVERIFY2(!ClusterEnvelope::decode(bytes.left(cut)), qPrintable(QString::number(cut)));
        QVERIFY(!ClusterEnvelope::decode(bytes + "x"));
        QVERIFY(!ClusterEnvelope::decode("SLB2" + bytes.mid(4)));
        QByteArray badKind = bytes;
        badKind[4] = 'q';
        QVERIFY(!ClusterEnvelope::decode(badKind));
        // A length that points past the end.
        QByteArray huge = bytes;
        huge[5] = char(0x7f);
        QVERIFY(!ClusterEnvelope::decode(huge));
    }

    // What GET /management/cluster answers is what the studio's remote runtime reads back.
    void viewJsonRoundTrip()
    {
        ClusterView view;
        view.enabled = true;
        view.node = u"a"_s;
        view.redis = u"127.0.0.1:6379"_s;
        view.tls = true;
        view.state = u"degraded"_s;
        view.stateSinceMs = 1795381916883;
        view.relayed = 7;
        view.received = 8;
        view.dropped = 9;
        view.malformed = 1;
        view.nodes = {{u"a"_s, true, 3, 10.5, 11.5, 2, 1, 1795381916000},
                      {u"b"_s, false, 4, 1, 2, 3, 4, 1795381915000}};
        const QJsonObject json = clusterViewToJson(view);
        QCOMPARE(json.value(u"connected"_s).toBool(), false);
        const ClusterView back = clusterViewFromJson(json);
        QCOMPARE(back.node, view.node);
        QCOMPARE(back.redis, view.redis);
        QVERIFY(back.tls);
        QCOMPARE(back.state, view.state);
        QCOMPARE(back.stateSinceMs, view.stateSinceMs);
        QCOMPARE(back.relayed, 7u);
        QCOMPARE(back.dropped, 9u);
        QCOMPARE(back.nodes.size(), 2);
        QVERIFY(back.nodes[0].self && !back.nodes[1].self);
        QCOMPARE(back.nodes[1].name, u"b"_s);
        QCOMPARE(back.nodes[0].connections, 3);
        QCOMPARE(back.nodes[0].outPerSecond, 11.5);
        QCOMPARE(back.nodes[1].updatedMs, 1795381915000);
        QVERIFY(!clusterViewFromJson(clusterViewToJson(ClusterView())).enabled);
    }

    void channelPerEndpointAndPath()
    {
        QCOMPARE(broadcastChannel(u"sluice"_s, u"room"_s, u"/ws/a"_s),
                 QByteArray("sluice:bc:room:/ws/a"));
        QCOMPARE(broadcastPattern(u"sluice"_s), QByteArray("sluice:bc:*"));
    }
};

QTEST_GUILESS_MAIN(TestClusterConfig)
#include "tst_cluster_config.moc"
