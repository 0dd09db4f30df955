// SPDX-License-Identifier: Apache-2.0
// [management] and [events] in deployment.toml (defaults, values, type errors, unknown keys,
// the shipped resources/deployment.toml reads without a warning), and the management token file
// (created private, refused when others can read it, compared without short cuts).
#include "artifacts/project.h"
#include "runtime/management_token.h"
#include "runtime/message_events.h"
#include "toml_diagnostic.h"

#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QTest>

using namespace sluice;
using namespace Qt::StringLiterals;

class TestManagementConfig : public QObject {
    Q_OBJECT

private slots:
    void defaultsWithoutSections()
    {
        Diagnostics diagnostics;
        const ProjectConfig config = readDeploymentToml("", u"deployment.toml"_s, diagnostics);
        QVERIFY(diagnostics.isEmpty());
        QVERIFY(config.management.enabled);
        QCOMPARE(config.management.host, u"127.0.0.1"_s);
        QCOMPARE(config.management.port, 9164);
        QVERIFY(config.management.tokenFile.isEmpty());
        QVERIFY(config.events.record);
        QCOMPARE(config.events.capacity, MessageEventHub::kDefaultCapacity);
        QCOMPARE(config.events.capturePayloadBytes, 4096);
        QVERIFY(!config.events.location.isValid());
    }

    void valuesAreRead()
    {
        Diagnostics diagnostics;
        const ProjectConfig config = readDeploymentToml("[management]\n"
                                                        "enabled = false\n"
                                                        "host = \"::1\"\n"
                                                        "port = 0\n"
                                                        "token_file = \"conf/token\"\n"
                                                        "[events]\n"
                                                        "record = false\n"
                                                        "capacity = 50\n"
                                                        "capture_payload_bytes = 0\n",
                                                        u"deployment.toml"_s, diagnostics);
        QVERIFY2(diagnostics.isEmpty(), qPrintable(diagnostics.toString()));
        QVERIFY(!config.management.enabled);
        QCOMPARE(config.management.host, u"::1"_s);
        QCOMPARE(config.management.port, 0);
        QCOMPARE(config.management.tokenFile, u"conf/token"_s);
        QVERIFY(!config.events.record);
        QCOMPARE(config.events.capacity, 50);
        QCOMPARE(config.events.capturePayloadBytes, 0);
        QCOMPARE(config.events.location.line, 6);
    }

    void badValuesAreErrorsAndUnknownKeysWarnings_data()
    {
        QTest::addColumn<QByteArray>("toml");
        QTest::addColumn<QString>("expected");
        QTest::addColumn<bool>("isError");
        QTest::newRow("port out of range")
            << QByteArray("[management]\nport = 70000\n")
            << u"deployment.toml:2:8: [management] port: must be between 0 and 65535"_s << true;
        QTest::newRow("enabled as text")
            << QByteArray("[management]\nenabled = \"yes\"\n")
            << u"deployment.toml:2:11: [management] enabled: expected a boolean"_s << true;
        QTest::newRow("zero capacity") << QByteArray("[events]\ncapacity = 0\n")
                                       << u"deployment.toml:2:12: [events] capacity"_s << true;
        QTest::newRow("unknown management key")
            << QByteArray("[management]\nusers = 3\n")
            << u"deployment.toml:2:1: warning: unknown key 'users' in [management]"_s << false;
        QTest::newRow("unknown events key")
            << QByteArray("[events]\nsampling = 1\n")
            << u"deployment.toml:2:1: warning: unknown key 'sampling' in [events]"_s << false;
    }

    void badValuesAreErrorsAndUnknownKeysWarnings()
    {
        QFETCH(QByteArray, toml);
        QFETCH(QString, expected);
        QFETCH(bool, isError);
        const QString problem = testing::checkOneTomlDiagnostic(toml, expected, isError);
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
    }

    void shippedDefaultFileReadsCleanly()
    {
        QFile file(QStringLiteral(SLUICE_SOURCE_DIR "/resources/deployment.toml"));
        QVERIFY(file.open(QIODevice::ReadOnly));
        Diagnostics diagnostics;
        const ProjectConfig config =
            readDeploymentToml(file.readAll(), u"deployment.toml"_s, diagnostics);
        QVERIFY2(diagnostics.isEmpty(), qPrintable(diagnostics.toString()));
        QCOMPARE(config.management.port, 9164);
        QCOMPARE(config.events.capacity, MessageEventHub::kDefaultCapacity);
    }

    void tokenFileIsCreatedPrivateAndReadBack()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(u"nested/sluice/management-token"_s);
        QByteArray token;
        QString error;
        QVERIFY2(ManagementToken::loadOrCreate(path, token, error), qPrintable(error));
        QCOMPARE(token.size(), 64);
        QVERIFY(QByteArray::fromHex(token).toHex() == token);
        const auto permissions = QFileInfo(path).permissions();
        QCOMPARE(permissions & (QFileDevice::ReadGroup | QFileDevice::ReadOther |
                                QFileDevice::WriteGroup | QFileDevice::WriteOther),
                 QFileDevice::Permissions());
        const auto dirPermissions = QFileInfo(QFileInfo(path).path()).permissions();
        QCOMPARE(dirPermissions & (QFileDevice::ReadGroup | QFileDevice::ReadOther),
                 QFileDevice::Permissions());

        QByteArray again;
        QVERIFY(ManagementToken::loadOrCreate(path, again, error));
        QCOMPARE(again, token); // kept, not regenerated
        QVERIFY(ManagementToken::generate() != token);
    }

    void tokenFileReadableByOthersIsRefused()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(u"token"_s);
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("abc\n");
        file.close();
        QVERIFY(file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner |
                                    QFileDevice::ReadOther));
        QByteArray token;
        QString error;
        QVERIFY(!ManagementToken::loadOrCreate(path, token, error));
        QVERIFY2(error.contains(u"accessible by group or others"_s), qPrintable(error));
        QVERIFY(error.startsWith(path));
    }

    void emptyOrMissingTokenFilesAreRefusedByLoad()
    {
        QTemporaryDir dir;
        QByteArray token;
        QString error;
        QVERIFY(!ManagementToken::load(dir.filePath(u"missing"_s), token, error));
        QVERIFY(error.contains(u"no such token file"_s));
        const QString empty = dir.filePath(u"empty"_s);
        QFile file(empty);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.close();
        QVERIFY(file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner));
        QVERIFY(!ManagementToken::load(empty, token, error));
        QVERIFY(error.contains(u"empty"_s));
    }

    void tokensCompareExactly()
    {
        QVERIFY(ManagementToken::equals("abcd", "abcd"));
        QVERIFY(!ManagementToken::equals("abcd", "abce"));
        QVERIFY(!ManagementToken::equals("abcd", "abc"));
        QVERIFY(!ManagementToken::equals("abcd", "abcde"));
        QVERIFY(!ManagementToken::equals("abcd", ""));
        QVERIFY(!ManagementToken::equals("", "")); // no token configured: nothing matches
    }
};

QTEST_GUILESS_MAIN(TestManagementConfig)
#include "tst_management_config.moc"
