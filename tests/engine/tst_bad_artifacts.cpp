// SPDX-License-Identifier: Apache-2.0
// Artifacts that attack or break the reader: DTD tricks (external entities pointing at a file
// with a known secret, parameter entities, an external DTD, entity bombs), files over the size
// limit, and a project holding one of every kind of bad artifact, which the runtime must refuse
// whole: every problem named by file:line:col, nothing listening afterwards. (Malformed XML,
// namespaces, unknown mediators, missing references, cycles and invalid expressions one by one:
// tst_artifact_io, tst_project_compiler, tst_mediators_core; zip slip and the CAR size limit:
// tst_project_loader, tst_management_upload.)

#include "artifacts/artifact_io.h"
#include "artifacts/project.h"
#include "artifacts/xml_node.h"
#include "hostile_xml.h"
#include "runtime/runtime.h"

#include <QRegularExpression>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QtTest>

using namespace sluice;
using namespace Qt::StringLiterals;

namespace {

const QByteArray kSecret = "SLUICE-SECRET-51c2e8";

bool writeFile(const QString &path, const QByteArray &data)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile file(path);
    return file.open(QIODevice::WriteOnly) && file.write(data) == data.size();
}

quint16 freePort()
{
    QTcpServer probe;
    return probe.listen(QHostAddress::LocalHost, 0) ? probe.serverPort() : 0;
}

bool isListening(quint16 port)
{
    QTcpServer probe;
    return !probe.listen(QHostAddress::LocalHost, port);
}

const QByteArray kSequenceBody =
    "<sequence xmlns=\"http://ws.apache.org/ns/synapse\" name=\"s\"><log level=\"custom\">"
    "<property name=\"p\" value=\"&x;\"/></log></sequence>";

// Every line of `diagnostics` starts with "file:line:col: " (line and column from 1).
bool allLocated(const Diagnostics &diagnostics)
{
    static const QRegularExpression located(u"^[^:]+\\.xml:[1-9][0-9]*:[1-9][0-9]*: "_s);
    for (const Diagnostic &d : diagnostics.items()) {
        if (!located.match(d.toString()).hasMatch())
            return false;
    }
    return !diagnostics.isEmpty();
}

} // namespace

class TestBadArtifacts : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QByteArray m_secretUrl;

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        const QString secret = m_dir.filePath(u"secret.txt"_s);
        QVERIFY(writeFile(secret, kSecret + "\n"));
        m_secretUrl = QUrl::fromLocalFile(secret).toEncoded();
    }

    void dtdTricksAreRefused_data()
    {
        QTest::addColumn<QByteArray>("xml");
        QTest::newRow("external entity")
            << "<!DOCTYPE sequence [<!ENTITY x SYSTEM \"" + m_secretUrl + "\">]>\n" + kSequenceBody;
        QTest::newRow("parameter entity") << "<!DOCTYPE sequence [<!ENTITY % p SYSTEM \"" +
                                                 m_secretUrl + "\"> %p;]>\n" + kSequenceBody;
        QTest::newRow("external DTD")
            << "<!DOCTYPE sequence SYSTEM \"" + m_secretUrl + "\">\n" + kSequenceBody;
        QTest::newRow("billion laughs") << sluice::test::billionLaughsDoctype("sequence") +
                                               QByteArray(kSequenceBody).replace("&x;", "&l10;");
        QTest::newRow("undeclared entity") << kSequenceBody;
    }
    // From memory (CAR entries, uploads) and from a project on disk: refused at the DOCTYPE (or
    // the entity), with its position; the secret never read, the bomb never expanded.
    void dtdTricksAreRefused()
    {
        QFETCH(QByteArray, xml);
        Diagnostics fromData;
        const ArtifactSet read = readArtifactData(xml, u"sequences/s.xml"_s, fromData);
        QCOMPARE(read.size(), 0);
        QVERIFY2(allLocated(fromData), qPrintable(fromData.toString()));
        QVERIFY(!fromData.toString().toUtf8().contains(kSecret));
        QVERIFY(!fromData.toString().contains(u"lollol"_s));

        QTemporaryDir project;
        QVERIFY(writeFile(project.filePath(u"deployment.toml"_s), "[server]\n"));
        QVERIFY(writeFile(project.filePath(u"src/main/synapse-config/sequences/s.xml"_s), xml));
        Diagnostics fromDisk;
        const Project loaded = loadProject(project.path(), fromDisk);
        QVERIFY(fromDisk.hasErrors());
        QVERIFY2(allLocated(fromDisk), qPrintable(fromDisk.toString()));
        QVERIFY(!fromDisk.toString().toUtf8().contains(kSecret));
        QCOMPARE(loaded.artifacts.size(), 0);
    }

    void oversizedArtifactsAreRefused_data()
    {
        QTest::addColumn<qint64>("size");
        QTest::newRow("just over the limit") << kMaxXmlDocumentBytes + 1;
        QTest::newRow("50 MB") << qint64(50) * 1000 * 1000;
    }
    // A well-formed sequence of many small mediators, bigger than the limit: refused before
    // parsing (on disk: before reading), with the size and the limit in the message.
    void oversizedArtifactsAreRefused()
    {
        QFETCH(qint64, size);
        QByteArray xml = "<sequence xmlns=\"http://ws.apache.org/ns/synapse\" name=\"big\">\n";
        const QByteArray item = "<property name=\"p\" value=\"v\"/>\n";
        const QByteArray end = "</sequence>\n";
        xml.reserve(size);
        while (xml.size() + item.size() + end.size() <= size)
            xml += item;
        xml += end;
        xml += QByteArray(size - xml.size(), ' ');
        QCOMPARE(xml.size(), size);

        const QString expected =
            u"sequences/big.xml:1:1: refused: the file is %1 bytes, over the limit of 4 MiB for "
            "an XML artifact"_s.arg(size);
        Diagnostics fromData;
        QCOMPARE(readArtifactData(xml, u"sequences/big.xml"_s, fromData).size(), 0);
        QCOMPARE(fromData.toString(), expected);

        QTemporaryDir project;
        QVERIFY(writeFile(project.filePath(u"deployment.toml"_s), "[server]\n"));
        QVERIFY(writeFile(project.filePath(u"src/main/synapse-config/sequences/big.xml"_s), xml));
        xml.clear();
        Diagnostics fromDisk;
        const Project loaded = loadProject(project.path(), fromDisk);
        QCOMPARE(fromDisk.toString(), u"src/main/synapse-config/"_s + expected);
        QCOMPARE(loaded.artifacts.size(), 0);
    }

    void exactlyTheLimitIsRead()
    {
        QByteArray xml = "<sequence xmlns=\"http://ws.apache.org/ns/synapse\" name=\"s\"><drop/>"
                         "</sequence>";
        xml += QByteArray(kMaxXmlDocumentBytes - xml.size(), '\n');
        Diagnostics diagnostics;
        QCOMPARE(readArtifactData(xml, u"sequences/s.xml"_s, diagnostics).size(), 1);
        QCOMPARE(diagnostics.toString(), QString());
    }

    // One project with a good inbound endpoint and one bad artifact of every kind: the runtime
    // refuses it whole, lists every problem with its file, line and column, and nothing listens.
    void aProjectWithBadArtifactsIsNotHalfDeployed()
    {
        QTemporaryDir project;
        const quint16 port = freePort();
        QVERIFY(port > 0);
        const QString config = project.filePath(u"src/main/synapse-config/"_s);
        const QByteArray ns = "xmlns=\"http://ws.apache.org/ns/synapse\"";
        QVERIFY(writeFile(project.filePath(u"deployment.toml"_s), "[server]\n"));
        QVERIFY(writeFile(config + u"inbound-endpoints/good.xml"_s,
                          "<inboundEndpoint " + ns +
                              " name=\"good\" sequence=\"ok\" protocol=\"ws\" onError=\"ok\">"
                              "<parameters><parameter name=\"inbound.ws.port\">" +
                              QByteArray::number(port) +
                              "</parameter></parameters>"
                              "</inboundEndpoint>"));
        QVERIFY(writeFile(config + u"sequences/ok.xml"_s,
                          "<sequence " + ns + " name=\"ok\"><respond/></sequence>"));
        // Problems found when the artifacts are checked together ...
        const QMap<QString, QByteArray> compileProblems{
            {u"unknown"_s, "<sequence " + ns + " name=\"unknown\"><frobnicate/></sequence>"},
            {u"missing"_s, "<sequence " + ns +
                               " name=\"missing\"><sequence key=\"nowhere\"/>"
                               "</sequence>"},
            {u"cycleA"_s, "<sequence " + ns +
                              " name=\"cycleA\"><sequence key=\"cycleB\"/>"
                              "</sequence>"},
            {u"cycleB"_s, "<sequence " + ns +
                              " name=\"cycleB\"><sequence key=\"cycleA\"/>"
                              "</sequence>"},
            {u"expression"_s, "<sequence " + ns +
                                  " name=\"expression\"><property name=\"p\" "
                                  "expression=\"//a[\"/></sequence>"},
        };
        // ... and files that do not even read (reported first: the check waits for them).
        const QMap<QString, QByteArray> readProblems{
            {u"malformed"_s, "<sequence " + ns + " name=\"malformed\"><log></sequence>"},
            {u"namespace"_s, "<sequence xmlns=\"urn:other\" name=\"namespace\"/>"},
            {u"entity"_s, "<!DOCTYPE sequence [<!ENTITY x SYSTEM \"" + m_secretUrl +
                              "\">]><sequence " + ns + " name=\"entity\">&x;</sequence>"},
            {u"huge"_s, QByteArray(kMaxXmlDocumentBytes + 1, ' ')},
        };
        for (const auto *problems : {&compileProblems, &readProblems}) {
            for (auto it = problems->begin(); it != problems->end(); ++it)
                QVERIFY(writeFile(config + u"sequences/"_s + it.key() + u".xml"_s, it.value()));
            Runtime runtime;
            Diagnostics diagnostics;
            QVERIFY(!runtime.deploy(project.path(), diagnostics));
            QVERIFY(!runtime.isDeployed());
            QVERIFY(!isListening(port));
            const QString text = diagnostics.toString();
            QVERIFY(!text.toUtf8().contains(kSecret));
            for (auto it = problems->begin(); it != problems->end(); ++it) {
                // A cycle is reported once, at one of its sequences.
                const QString file = it.key().startsWith(u"cycle"_s) ? u"cycle[AB]"_s : it.key();
                const QRegularExpression located(
                    u"sequences/%1\\.xml:[1-9][0-9]*:[1-9][0-9]*: "_s.arg(file));
                QVERIFY2(located.match(text).hasMatch(),
                         qPrintable(it.key() + u" not named with a position in:\n"_s + text));
            }
        }
    }
};

QTEST_GUILESS_MAIN(TestBadArtifacts)
#include "tst_bad_artifacts.moc"
