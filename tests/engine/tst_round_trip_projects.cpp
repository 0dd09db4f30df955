// SPDX-License-Identifier: Apache-2.0
// Every sample project and every test project: read, write, read again gives the same model,
// and writing is stable (writing what was written gives the same bytes).
#include "artifacts/artifact_io.h"
#include "artifacts/project.h"

#include <QDir>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QTest>

#include "sample_projects.h"

using namespace sluice;

namespace {

template <typename T> std::vector<T> &itemsOf(ArtifactSet &set)
{
    if constexpr (std::is_same_v<T, Sequence>)
        return set.sequences;
    else if constexpr (std::is_same_v<T, EndpointDefinition>)
        return set.endpoints;
    else if constexpr (std::is_same_v<T, InboundEndpoint>)
        return set.inboundEndpoints;
    else if constexpr (std::is_same_v<T, ProxyService>)
        return set.proxyServices;
    else if constexpr (std::is_same_v<T, Api>)
        return set.apis;
    else
        return set.localEntries;
}

template <typename T> void checkAll(const std::vector<T> &items, const QString &what)
{
    for (const T &item : items) {
        const QByteArray written = writeArtifact(toXml(item));
        Diagnostics diagnostics;
        ArtifactSet reread =
            readArtifactData(written, QStringLiteral("rewritten.xml"), diagnostics);
        QVERIFY2(!diagnostics.hasErrors(),
                 qPrintable(what + QStringLiteral(": ") + diagnostics.toString() +
                            QStringLiteral("\n") + QString::fromUtf8(written)));
        QCOMPARE(reread.size(), 1);
        const std::vector<T> &back = itemsOf<T>(reread);
        QCOMPARE(back.size(), size_t(1));
        QVERIFY2(back.front() == item,
                 qPrintable(what + QStringLiteral(" changed:\n") + QString::fromUtf8(written)));
        QCOMPARE(writeArtifact(toXml(back.front())), written);
    }
}

} // namespace

class RoundTripProjectsTest : public QObject {
    Q_OBJECT
private slots:
    void project_data()
    {
        QTest::addColumn<QString>("path");
        for (const QString &root : {QStringLiteral(SLUICE_SOURCE_DIR "/projects"),
                                    QStringLiteral(SLUICE_TEST_DATA "/projects")}) {
            const QDir dir(root);
            for (const QString &name : dir.entryList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name))
                QTest::newRow(qPrintable(name)) << dir.filePath(name);
        }
    }

    void project()
    {
        QFETCH(QString, path);
        // The secure sample is read from a copy with its test keys made (sample_projects.h).
        QTemporaryDir copy;
        if (QFileInfo(path).fileName() == QLatin1String("secure-websocket")) {
            const QString prepared = copy.filePath(QFileInfo(path).fileName());
            QString error;
            QVERIFY(copy.isValid() && sluice::test::copyTree(path, prepared));
            QVERIFY2(sluice::test::prepareSampleSecrets(prepared, &error), qPrintable(error));
            path = prepared;
        }
        Diagnostics diagnostics;
        const Project project = loadProject(path, diagnostics);
        QVERIFY2(!diagnostics.hasErrors(), qPrintable(diagnostics.toString()));
        QVERIFY(project.artifacts.size() > 0);
        const ArtifactSet &a = project.artifacts;
        checkAll(a.sequences, QStringLiteral("sequence"));
        checkAll(a.endpoints, QStringLiteral("endpoint"));
        checkAll(a.inboundEndpoints, QStringLiteral("inbound endpoint"));
        checkAll(a.proxyServices, QStringLiteral("proxy"));
        checkAll(a.apis, QStringLiteral("api"));
        checkAll(a.localEntries, QStringLiteral("local entry"));

        // The whole project as one <definitions> file reads back the same.
        const QByteArray definitions = writeDefinitions(a);
        Diagnostics again;
        const ArtifactSet reread =
            readArtifactData(definitions, QStringLiteral("definitions.xml"), again);
        QVERIFY2(!again.hasErrors(), qPrintable(again.toString()));
        QVERIFY(reread == a);
    }
};

QTEST_GUILESS_MAIN(RoundTripProjectsTest)
#include "tst_round_trip_projects.moc"
