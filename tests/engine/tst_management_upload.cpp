// SPDX-License-Identifier: Apache-2.0
// POST /management/project's unpacking: a project zipped from its parent deploys its folder, a
// .car stays one file, zip slip and garbage are refused without leaving anything on disk.
#include "artifacts/car_archive.h"
#include "runtime/management_project_upload.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QTest>

using namespace sluice;
using namespace Qt::StringLiterals;

namespace {

QByteArray zipOf(const QMap<QString, QByteArray> &entries)
{
    QTemporaryDir dir;
    const QString path = dir.filePath(u"upload.zip"_s);
    QString error;
    if (!writeZip(path, entries, &error))
        qFatal("writeZip: %s", qPrintable(error));
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        qFatal("cannot read %s", qPrintable(path));
    return file.readAll();
}

// Everything under <data>/deployments, relative, sorted.
QStringList deployedFiles(const QString &data)
{
    QStringList files;
    const QDir root(data + u"/deployments"_s);
    const QStringList all = root.entryList(QDir::AllEntries | QDir::NoDotAndDotDot);
    for (const QString &upload : all) {
        QDir dir(root.filePath(upload));
        const QStringList inside =
            dir.entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden);
        for (const QString &name : inside)
            files << name;
    }
    files.sort();
    return files;
}

} // namespace

class TestManagementUpload : public QObject {
    Q_OBJECT

private slots:
    void projectAtTheTopIsUnpackedAsItIs()
    {
        QTemporaryDir data;
        Diagnostics diagnostics;
        const QString path = unpackUploadedProject(
            zipOf({{u"deployment.toml"_s, "[server]\n"},
                   {u"src/main/synapse-config/sequences/a.xml"_s, "<sequence/>"}}),
            data.path(), diagnostics);
        QVERIFY2(!path.isEmpty(), qPrintable(diagnostics.toString()));
        QCOMPARE(QFileInfo(path).fileName(), u"project"_s);
        QVERIFY(QFileInfo::exists(path + u"/deployment.toml"_s));
        QVERIFY(QFileInfo::exists(path + u"/src/main/synapse-config/sequences/a.xml"_s));
        QCOMPARE(deployedFiles(data.path()), QStringList{u"project"_s}); // the zip is gone
    }

    void projectZippedFromItsParentDeploysTheFolder()
    {
        QTemporaryDir data;
        Diagnostics diagnostics;
        const QString path = unpackUploadedProject(
            zipOf({{u"echo/"_s, QByteArray()},
                   {u"echo/deployment.toml"_s, "[server]\n"},
                   {u"echo/src/main/synapse-config/sequences/a.xml"_s, "<sequence/>"}}),
            data.path(), diagnostics);
        QVERIFY2(!path.isEmpty(), qPrintable(diagnostics.toString()));
        QCOMPARE(QFileInfo(path).fileName(), u"echo"_s);
        QVERIFY(QFileInfo::exists(path + u"/deployment.toml"_s));
    }

    void onlyASrcFolderIsAProjectNotAWrapper()
    {
        QTemporaryDir data;
        Diagnostics diagnostics;
        const QString path = unpackUploadedProject(
            zipOf({{u"src/main/synapse-config/sequences/a.xml"_s, "<sequence/>"}}), data.path(),
            diagnostics);
        QCOMPARE(QFileInfo(path).fileName(), u"project"_s);
    }

    void carStaysOneFile()
    {
        QTemporaryDir data;
        Diagnostics diagnostics;
        const QString path = unpackUploadedProject(zipOf({{u"artifacts.xml"_s, "<artifacts/>"}}),
                                                   data.path(), diagnostics);
        QVERIFY2(path.endsWith(u"/project.car"_s), qPrintable(path));
        QVERIFY(QFileInfo(path).isFile());
        QCOMPARE(deployedFiles(data.path()), QStringList{u"project.car"_s});
    }

    void refusedUploadsLeaveNothing_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QString>("message");
        QTest::newRow("zip slip") << zipOf({{u"deployment.toml"_s, ""},
                                            {u"../../escaped.txt"_s, "x"}})
                                  << u"escaped.txt"_s;
        QTest::newRow("absolute entry")
            << zipOf({{u"/tmp/escaped.txt"_s, "x"}}) << u"escaped.txt"_s;
        QTest::newRow("not a zip") << QByteArray("hello, world") << u"upload.zip"_s;
        QTest::newRow("empty body") << QByteArray() << u"empty"_s;
    }

    void refusedUploadsLeaveNothing()
    {
        QFETCH(QByteArray, body);
        QFETCH(QString, message);
        QTemporaryDir data;
        Diagnostics diagnostics;
        QVERIFY(unpackUploadedProject(body, data.path(), diagnostics).isEmpty());
        QVERIFY(diagnostics.hasErrors());
        QVERIFY2(diagnostics.toString().contains(message), qPrintable(diagnostics.toString()));
        QCOMPARE(QDir(data.filePath(u"deployments"_s))
                     .entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden),
                 QStringList());
        QVERIFY(!QFileInfo::exists(data.filePath(u"escaped.txt"_s)));
    }
};

QTEST_GUILESS_MAIN(TestManagementUpload)
#include "tst_management_upload.moc"
