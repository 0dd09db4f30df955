// SPDX-License-Identifier: Apache-2.0
// The project document without any window: opening every sample and test project and every
// valid artifact, saving unchanged (byte for byte), saving edits (only what changed), creating a
// project, the same problems as `sluice validate`, the design view's mediator lists, files that
// do not parse, read-only CAR files, export and import.
#include "artifacts/artifact_io.h"
#include "artifacts/car_archive.h"
#include "artifacts/mediator_catalog.h"
#include "artifacts/project.h"
#include "mediation/project_compiler.h"
#include "model/project_document.h"
#include "model/xml_tree.h"
#include "studio_test_support.h"

#include <QFileInfo>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QUndoStack>

using namespace sluice;
using namespace sluice::studio;
using namespace sluice::studio::test;

namespace {

// What `sluice validate` reports for a project on disk.
Diagnostics validateOnDisk(const QString &path)
{
    Diagnostics diagnostics;
    const Project project = loadProject(path, diagnostics);
    if (!diagnostics.hasErrors())
        compileProject(project, diagnostics);
    return diagnostics;
}

void addProjectRows()
{
    QTest::addColumn<QString>("source");
    for (const QString &root :
         {sourceDir() + QStringLiteral("/projects"), testData() + QStringLiteral("/projects")}) {
        const QDir dir(root);
        for (const QString &name : dir.entryList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name))
            QTest::newRow(qPrintable(QFileInfo(root).fileName() + QLatin1Char('/') + name))
                << dir.filePath(name);
    }
}

// The MI folder an artifact file belongs in, by its root element.
QString folderFor(const QByteArray &xml)
{
    Diagnostics diagnostics;
    const std::optional<XmlNode> root = parseXml(xml, QStringLiteral("a.xml"), diagnostics);
    if (!root)
        return QString();
    const std::optional<ArtifactKind> kind = artifactKindOfElement(root->name);
    return kind ? artifactKindInfo(*kind).folder : QString();
}

const ArtifactId kDispatch{ArtifactKind::Sequence, QStringLiteral("dispatchSeq")};

} // namespace

class ProjectDocumentTest : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_temp;
    int m_counter = 0;

    // A fresh copy of `source` to work on.
    QString copyOf(const QString &source)
    {
        const QString target =
            m_temp.filePath(QStringLiteral("p%1-").arg(++m_counter) + QFileInfo(source).fileName());
        return copyTree(source, target) ? target : QString();
    }

    QString freshPath(const QString &name)
    {
        return m_temp.filePath(QStringLiteral("n%1-").arg(++m_counter) + name);
    }

private slots:
    void initTestCase() { QVERIFY(m_temp.isValid()); }

    // ----- every sample project, every test project, every valid artifact

    void saveUnchangedIsByteForByte_data() { addProjectRows(); }
    void saveUnchangedIsByteForByte()
    {
        QFETCH(QString, source);
        const QString path = copyOf(source);
        QVERIFY(!path.isEmpty());
        QString error;
        QVERIFY2(sluice::test::prepareSampleSecrets(path, &error), qPrintable(error));
        const QMap<QString, QByteArray> before = snapshot(path);
        ProjectDocument document;
        document.setAutoValidate(false);
        Diagnostics diagnostics;
        QVERIFY2(document.open(path, &diagnostics), qPrintable(diagnostics.toString()));
        QVERIFY2(!diagnostics.hasErrors(), qPrintable(diagnostics.toString()));
        QVERIFY(!document.artifactIds().isEmpty());
        QVERIFY(!document.isDirty());
        for (const ArtifactId &id : document.artifactIds()) {
            QVERIFY(!document.isArtifactModified(id));
            QVERIFY2(document.artifactXml(id), qPrintable(id.toString()));
        }
        QVERIFY2(document.save(&diagnostics), qPrintable(diagnostics.toString()));
        QCOMPARE(snapshot(path), before);
    }

    // Written again (as save writes a changed artifact), every artifact reads back the same and
    // writing it once more gives the same bytes: equal after canonicalisation (parse, compare
    // trees). Files that the writer happens to reproduce byte for byte are counted.
    void rewrittenArtifactsAreCanonicallyEqual_data() { addProjectRows(); }
    void rewrittenArtifactsAreCanonicallyEqual()
    {
        QFETCH(QString, source);
        ProjectDocument document;
        document.setAutoValidate(false);
        QVERIFY(document.open(source));
        int identical = 0;
        const QList<ArtifactId> ids = document.artifactIds();
        for (const ArtifactId &id : ids) {
            const XmlNode &tree = *document.artifactXml(id);
            const QByteArray written = canonicalXml(tree);
            Diagnostics diagnostics;
            const std::optional<XmlNode> reread =
                parseXml(written, QStringLiteral("rewritten.xml"), diagnostics);
            QVERIFY2(reread, qPrintable(diagnostics.toString()));
            QVERIFY2(sameArtifactXml(*reread, tree),
                     qPrintable(id.toString() + QLatin1Char('\n') + QString::fromUtf8(written)));
            QCOMPARE(canonicalXml(*reread), written);
            // The model reads the same from the rewritten text as from the file.
            Diagnostics original;
            Diagnostics again;
            QVERIFY(readArtifacts(tree, original) == readArtifacts(*reread, again));
            if (!document.isDefinitionsFile(document.artifactFile(id)) &&
                readAll(QDir(document.projectDirectory()).filePath(document.artifactFile(id))) ==
                    written)
                ++identical;
        }
        qInfo("%d of %d artifact files are byte-identical when rewritten", identical,
              int(ids.size()));
    }

    void everyValidArtifact_data()
    {
        QTest::addColumn<QString>("file");
        const QDir dir(testData() + QStringLiteral("/artifacts/valid"));
        for (const QString &name :
             dir.entryList({QStringLiteral("*.xml")}, QDir::Files, QDir::Name))
            QTest::newRow(qPrintable(name)) << dir.filePath(name);
    }

    void everyValidArtifact()
    {
        QFETCH(QString, file);
        const QByteArray xml = readAll(file);
        const QString path = freshPath(QFileInfo(file).completeBaseName());
        QString relative;
        const QString folder = folderFor(xml);
        if (folder.isEmpty()) {
            relative = QStringLiteral("synapse.xml"); // a <definitions> file
        } else {
            relative = QStringLiteral("src/main/synapse-config/") + folder + QLatin1Char('/') +
                       QFileInfo(file).fileName();
        }
        QVERIFY(QDir().mkpath(QFileInfo(QDir(path).filePath(relative)).absolutePath()));
        QFile output(QDir(path).filePath(relative));
        QVERIFY(output.open(QIODevice::WriteOnly));
        output.write(xml);
        output.close();

        ProjectDocument document;
        document.setAutoValidate(false);
        Diagnostics diagnostics;
        QVERIFY2(document.open(path, &diagnostics), qPrintable(diagnostics.toString()));
        QVERIFY(!document.artifactIds().isEmpty());
        QCOMPARE(document.artifactSource(document.artifactIds().constFirst()).isEmpty(), false);
        QVERIFY(document.save());
        QCOMPARE(readAll(QDir(path).filePath(relative)), xml);
        QCOMPARE(sortedText(document.validate()), sortedText(validateOnDisk(path)));

        // Every artifact rewritten reads back as the same tree.
        for (const ArtifactId &id : document.artifactIds()) {
            const XmlNode &tree = *document.artifactXml(id);
            Diagnostics d;
            const std::optional<XmlNode> reread = parseXml(canonicalXml(tree), relative, d);
            QVERIFY(reread && sameArtifactXml(*reread, tree));
        }
    }

    // ----- validation

    void validateMatchesSluiceValidate_data()
    {
        addProjectRows();
        QTest::newRow("cli/broken-project") << testData() + QStringLiteral("/cli/broken-project");
    }

    void validateMatchesSluiceValidate()
    {
        QFETCH(QString, source);
        ProjectDocument document;
        document.setAutoValidate(false);
        QVERIFY(document.open(source));
        QSignalSpy problems(&document, &ProjectDocument::problemsChanged);
        const Diagnostics diagnostics = document.validate();
        QCOMPARE(problems.count(), 1);
        QCOMPARE(sortedText(diagnostics), sortedText(validateOnDisk(source)));
        QCOMPARE(sortedText(document.problems()), sortedText(diagnostics));
    }

    void validateFollowsEdits()
    {
        const QString path = copyOf(testData() + QStringLiteral("/projects/mi-websocket"));
        ProjectDocument document;
        QVERIFY(document.open(path));
        QVERIFY(!document.problems().hasErrors());
        const ArtifactId inbound{ArtifactKind::InboundEndpoint, QStringLiteral("websocket")};
        QSignalSpy problems(&document, &ProjectDocument::problemsChanged);
        QVERIFY(document.setInboundParameter(inbound, QStringLiteral("inbound.ws.port"),
                                             QStringLiteral("abc")));
        // Validation runs by itself, once, from the event loop.
        QTRY_COMPARE(problems.count(), 1);
        QCOMPARE(document.problems().errorCount(), 1);
        const Diagnostic problem = document.problems().items().constFirst();
        QVERIFY2(problem.message.contains(QLatin1String("bad value for 'inbound.ws.port'")),
                 qPrintable(problem.message));
        QCOMPARE(problem.location.file, document.artifactFile(inbound));
        // The line is the one the source view shows.
        const QStringList lines = document.artifactSource(inbound).split(QLatin1Char('\n'));
        QVERIFY(lines.value(problem.location.line - 1).contains(QLatin1String("inbound.ws.port")));
        const std::optional<ProblemLocation> located = document.locateProblem(problem.location);
        QVERIFY(located);
        QCOMPARE(located->id, inbound);
        QCOMPARE(located->path, (MediatorPath{0, 0}));

        document.undoStack()->undo();
        QTRY_COMPARE(problems.count(), 2);
        QVERIFY(!document.problems().hasErrors());

        // A problem in an unchanged file points into the file as it is on disk.
        QVERIFY(document.insertMediator(kDispatch, {}, 4, QStringLiteral("sequence")));
        const Diagnostics found = document.validate();
        QVERIFY2(found.toString().contains(QLatin1String("sequenceName")),
                 qPrintable(found.toString()));
        for (const Diagnostic &diagnostic : found.items()) {
            const auto where = document.locateProblem(diagnostic.location);
            QVERIFY(where);
            QCOMPARE(where->id, kDispatch);
            QCOMPARE(where->path, (MediatorPath{4}));
        }
    }

    // ----- creating, saving

    void createNewProject()
    {
        const QString path = freshPath(QStringLiteral("fresh"));
        ProjectDocument document;
        QSignalSpy opened(&document, &ProjectDocument::projectOpened);
        Diagnostics diagnostics;
        QVERIFY2(document.createNew(path, &diagnostics), qPrintable(diagnostics.toString()));
        QCOMPARE(opened.count(), 1);
        QVERIFY(QFile::exists(path + QStringLiteral("/deployment.toml")));
        for (const ArtifactKindInfo &info : artifactKinds())
            QVERIFY(QFileInfo(path + QStringLiteral("/src/main/synapse-config/") + info.folder)
                        .isDir());
        QCOMPARE(document.layout(), ProjectLayout::MicroIntegrator);
        QVERIFY(document.config().ws.enabled);
        QVERIFY(document.artifactIds().isEmpty());

        const ArtifactId main{ArtifactKind::Sequence, QStringLiteral("main")};
        const ArtifactId ws{ArtifactKind::InboundEndpoint, QStringLiteral("ws")};
        QVERIFY(document.addArtifact(ArtifactKind::Sequence, main.name));
        QVERIFY(document.insertMediator(main, {}, 0, QStringLiteral("log")));
        QVERIFY(document.insertMediator(main, {}, 1, QStringLiteral("respond")));
        QVERIFY(document.addArtifact(ArtifactKind::InboundEndpoint, ws.name));
        QVERIFY(document.validate().toString().contains(QLatin1String("sequence")));
        QVERIFY(document.setAttribute(ws, {}, QStringLiteral("sequence"), main.name));
        const Diagnostics problems = document.validate();
        QVERIFY2(!problems.hasErrors(), qPrintable(problems.toString()));
        QVERIFY(document.isDirty());
        QVERIFY(document.save());
        QVERIFY(!document.isDirty());
        QVERIFY(
            QFile::exists(path + QStringLiteral("/src/main/synapse-config/sequences/main.xml")));
        QCOMPARE(sortedText(validateOnDisk(path)), sortedText(problems));

        ProjectDocument reopened;
        QVERIFY(reopened.open(path));
        QCOMPARE(reopened.artifactIds().size(), 2);
        QVERIFY(reopened.artifactXml(main)->sameAs(*document.artifactXml(main)));

        // Only into an empty folder.
        QVERIFY(!document.createNew(path, &diagnostics));
        QVERIFY(diagnostics.toString().contains(QLatin1String("not empty")));
        QCOMPARE(document.rootPath(), QDir::cleanPath(QFileInfo(path).absoluteFilePath()));
    }

    void saveWritesOnlyWhatChanged()
    {
        const QString path = copyOf(testData() + QStringLiteral("/projects/mi-websocket"));
        const QMap<QString, QByteArray> before = snapshot(path);
        ProjectDocument document;
        QVERIFY(document.open(path));
        QSignalSpy saved(&document, &ProjectDocument::saved);
        QVERIFY(document.setAttribute(kDispatch, {0}, QStringLiteral("value"),
                                      QStringLiteral("false")));
        QVERIFY(document.isArtifactModified(kDispatch));
        QVERIFY(document.save());
        QCOMPARE(saved.count(), 1);
        const QMap<QString, QByteArray> after = snapshot(path);
        const QString file = document.artifactFile(kDispatch);
        QCOMPARE(after.keys(), before.keys());
        for (auto it = before.constBegin(); it != before.constEnd(); ++it) {
            if (it.key() == file)
                QCOMPARE(after.value(it.key()), canonicalXml(*document.artifactXml(kDispatch)));
            else
                QCOMPARE(after.value(it.key()), it.value());
        }
        // Now the unchanged state is the saved file: the source view shows it as written.
        QVERIFY(!document.isArtifactModified(kDispatch));
        QCOMPARE(document.artifactSource(kDispatch), QString::fromUtf8(after.value(file)));

        ProjectDocument reopened;
        QVERIFY(reopened.open(path));
        for (const ArtifactId &id : document.artifactIds())
            QVERIFY(reopened.artifactXml(id)->sameAs(*document.artifactXml(id)));
    }

    void unknownMediatorsAndCommentsRoundTrip()
    {
        const QString path = copyOf(testData() + QStringLiteral("/projects/mi-websocket"));
        ProjectDocument document;
        QVERIFY(document.open(path));
        const QString xml =
            QStringLiteral("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                           "<!-- dispatch: written by hand -->\n"
                           "<sequence xmlns=\"%1\" name=\"dispatchSeq\">\n"
                           "    <!-- first a clone, which Sluice does not run -->\n"
                           "    <clone>\n"
                           "        <target sequence=\"outDispatchSeq\"/>\n"
                           "    </clone>\n"
                           "    <x:audit xmlns:x=\"urn:example\" when=\"now\">text</x:audit>\n"
                           "    <send>\n"
                           "        <endpoint key=\"wsBackend\"/>\n"
                           "    </send>\n"
                           "</sequence>\n")
                .arg(kSynapseNamespace);
        QVERIFY(document.replaceArtifactSource(kDispatch, xml));
        QCOMPARE(summarize(*document.element(kDispatch, {0})),
                 QStringLiteral("<clone> (not editable in design)"));
        // Design edits around the opaque boxes keep them.
        QVERIFY(document.insertMediator(kDispatch, {}, 2, QStringLiteral("log")));
        QVERIFY(document.moveMediator(kDispatch, {1}, {}, 0));
        QVERIFY(document.save());
        const QByteArray written = readAll(QDir(path).filePath(document.artifactFile(kDispatch)));
        QVERIFY(written.contains("<!-- dispatch: written by hand -->"));
        QVERIFY(written.contains("<!-- first a clone, which Sluice does not run -->"));
        QVERIFY(written.contains("<x:audit xmlns:x=\"urn:example\" when=\"now\">text</x:audit>"));
        ProjectDocument reopened;
        QVERIFY(reopened.open(path));
        QVERIFY(reopened.artifactXml(kDispatch)->sameAs(*document.artifactXml(kDispatch)));
        QCOMPARE(reopened.artifactSource(kDispatch), QString::fromUtf8(written));
        // Validation says what Sluice cannot run, at the line of the file.
        const Diagnostics problems = reopened.validate();
        QVERIFY2(problems.toString().contains(QLatin1String("unknown mediator <clone>")),
                 qPrintable(problems.toString()));
        QCOMPARE(sortedText(problems), sortedText(validateOnDisk(path)));
    }

    void definitionsFile()
    {
        const QString path = copyOf(testData() + QStringLiteral("/projects/synapse-definitions"));
        const QString file = path + QStringLiteral("/synapse.xml");
        ProjectDocument document;
        QVERIFY(document.open(path));
        QCOMPARE(document.artifactIds().size(), 5);
        QVERIFY(document.isDefinitionsFile(QStringLiteral("synapse.xml")));
        QVERIFY(document.insertMediator(kDispatch, {}, 0, QStringLiteral("log")));
        const ArtifactId added{ArtifactKind::Sequence, QStringLiteral("extra")};
        QVERIFY(document.addArtifact(ArtifactKind::Sequence, added.name));
        QCOMPARE(document.artifactFile(added), QStringLiteral("synapse.xml"));
        QVERIFY(document.deleteArtifact({ArtifactKind::LocalEntry, QStringLiteral("backendUrl")}));
        QVERIFY(document.save());
        const QString written = QString::fromUtf8(readAll(file));
        // The comment before <definitions> is kept.
        QVERIFY2(written.startsWith(QLatin1String("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                                                  "<!-- Apache Synapse style")),
                 qPrintable(written));
        QVERIFY(!written.contains(QLatin1String("backendUrl")));
        QCOMPARE(written.count(QLatin1String("xmlns=")), 1);
        QVERIFY(!QDir(path).exists(QStringLiteral("src")));

        ProjectDocument reopened;
        QVERIFY(reopened.open(path));
        QCOMPARE(reopened.artifactIds(), document.artifactIds());
        for (const ArtifactId &id : document.artifactIds())
            QVERIFY(reopened.artifactXml(id)->sameAs(*document.artifactXml(id)));
        QCOMPARE(sortedText(reopened.validate()), sortedText(validateOnDisk(path)));

        // Undo everything and save: the same artifacts as at first.
        while (document.undoStack()->canUndo())
            document.undoStack()->undo();
        QVERIFY(document.save());
        ProjectDocument original;
        QVERIFY(original.open(testData() + QStringLiteral("/projects/synapse-definitions")));
        ProjectDocument back;
        QVERIFY(back.open(path));
        QCOMPARE(back.artifactIds(), original.artifactIds());
        for (const ArtifactId &id : original.artifactIds())
            QVERIFY(back.artifactXml(id)->sameAs(*original.artifactXml(id)));
    }

    void integrationStudioProject()
    {
        const QString path = copyOf(testData() + QStringLiteral("/projects/integration-studio"));
        ProjectDocument document;
        QVERIFY(document.open(path));
        QCOMPARE(document.layout(), ProjectLayout::IntegrationStudio);
        const ArtifactId added{ArtifactKind::Sequence, QStringLiteral("extra")};
        QVERIFY(document.addArtifact(ArtifactKind::Sequence, added.name));
        const QString file = document.artifactFile(added);
        QVERIFY2(file.contains(QRegularExpression(
                     QStringLiteral("^\\w+Configs/src/main/synapse-config/sequences/extra.xml$"))),
                 qPrintable(file));
        QVERIFY(document.save());
        Diagnostics diagnostics;
        const Project project = loadProject(path, diagnostics);
        QVERIFY(project.artifacts.findSequence(added.name));
    }

    void fileThatDoesNotParseIsKept()
    {
        const QString path = copyOf(testData() + QStringLiteral("/projects/mi-websocket"));
        const QString relative = QStringLiteral("src/main/synapse-config/sequences/broken.xml");
        const QByteArray broken = "<sequence name=\"broken\" xmlns=\"" +
                                  kSynapseNamespace.toUtf8() + "\">\n    <log>\n</sequence>\n";
        QFile output(QDir(path).filePath(relative));
        QVERIFY(output.open(QIODevice::WriteOnly));
        output.write(broken);
        output.close();

        ProjectDocument document;
        Diagnostics diagnostics;
        QVERIFY(document.open(path, &diagnostics));
        QVERIFY(diagnostics.hasErrors());
        const ArtifactId id{ArtifactKind::Sequence, QStringLiteral("broken")};
        QVERIFY(document.contains(id));
        QVERIFY(!document.artifactXml(id));
        QCOMPARE(document.artifactSource(id), QString::fromUtf8(broken));
        QCOMPARE(sortedText(document.validate()), sortedText(validateOnDisk(path)));
        QVERIFY(document.problems().items().constFirst().location.line > 0);
        QString error;
        QVERIFY(!document.insertMediator(id, {}, 0, QStringLiteral("log"), &error));
        QVERIFY(error.contains(QLatin1String("does not parse")));
        QVERIFY(document.save());
        QCOMPARE(readAll(QDir(path).filePath(relative)), broken);

        // Corrected in the source view.
        const QString fixed =
            QString::fromUtf8(broken).replace(QStringLiteral("<log>"), QStringLiteral("<log/>"));
        QVERIFY(document.replaceArtifactSource(id, fixed));
        QVERIFY(document.artifactXml(id));
        QVERIFY(!document.validate().hasErrors());
        document.undoStack()->undo();
        QCOMPARE(document.artifactSource(id), QString::fromUtf8(broken));
        document.undoStack()->redo();
        QVERIFY(document.save());
        QVERIFY(!validateOnDisk(path).hasErrors());
    }

    void mediatorLists()
    {
        ProjectDocument document;
        QVERIFY(document.open(testData() + QStringLiteral("/projects/mi-websocket")));
        QList<MediatorListRef> lists = document.mediatorLists(kDispatch);
        QCOMPARE(lists.size(), 1);
        QVERIFY(lists.first().path.isRoot() && !lists.first().reference);

        lists =
            document.mediatorLists({ArtifactKind::ProxyService, QStringLiteral("websocketProxy1")});
        QCOMPARE(lists.size(), 2);
        QCOMPARE(lists.at(0).label, QStringLiteral("inSequence"));
        QCOMPARE(lists.at(0).reference, kDispatch);
        QCOMPARE(lists.at(1).label, QStringLiteral("faultSequence"));

        lists = document.mediatorLists({ArtifactKind::Api, QStringLiteral("HealthAPI")});
        QCOMPARE(lists.size(), 1);
        QCOMPARE(lists.at(0).label, QStringLiteral("GET / inSequence"));
        QCOMPARE(lists.at(0).path, (MediatorPath{0, 0}));
        QVERIFY(!lists.at(0).reference);

        lists =
            document.mediatorLists({ArtifactKind::InboundEndpoint, QStringLiteral("websocket")});
        QStringList labels;
        for (const MediatorListRef &list : lists)
            labels << list.label + QLatin1Char('=') + list.reference->name;
        QCOMPARE(labels, (QStringList{QStringLiteral("sequence=dispatchSeq"),
                                      QStringLiteral("onError=outDispatchSeq"),
                                      QStringLiteral("ws.outflow.dispatch.sequence=outDispatchSeq"),
                                      QStringLiteral("ws.outflow.dispatch.fault.sequence="
                                                     "outDispatchSeq")}));
        QVERIFY(document.mediatorLists({ArtifactKind::Endpoint, QStringLiteral("wsBackend")})
                    .isEmpty());
        QCOMPARE(document.artifactNames(ArtifactKind::Sequence),
                 (QStringList{QStringLiteral("dispatchSeq"), QStringLiteral("outDispatchSeq")}));
    }

    // ----- CAR, export, import

    void carIsReadOnly()
    {
        const QString car = freshPath(QStringLiteral("sample.car"));
        QMap<QString, QByteArray> entries;
        entries.insert(QStringLiteral("artifacts.xml"),
                       "<artifacts><artifact name=\"SampleCompositeExporter\" version=\"1.0.0\" "
                       "type=\"carbon/application\"><dependency artifact=\"main\" "
                       "version=\"1.0.0\" include=\"true\"/></artifact></artifacts>");
        entries.insert(QStringLiteral("main_1.0.0/artifact.xml"),
                       "<artifact name=\"main\" version=\"1.0.0\" type=\"synapse/sequence\">"
                       "<file>main-1.0.0.xml</file></artifact>");
        entries.insert(QStringLiteral("main_1.0.0/main-1.0.0.xml"),
                       "<sequence name=\"main\" xmlns=\"" + kSynapseNamespace.toUtf8() +
                           "\"><log level=\"full\"/><drop/></sequence>");
        QString error;
        QVERIFY2(writeZip(car, entries, &error), qPrintable(error));

        ProjectDocument document;
        Diagnostics diagnostics;
        QVERIFY2(document.open(car, &diagnostics), qPrintable(diagnostics.toString()));
        QVERIFY(document.isReadOnly());
        const ArtifactId main{ArtifactKind::Sequence, QStringLiteral("main")};
        QCOMPARE(elementCount(*document.artifactXml(main)), 2);
        QVERIFY(document.insertMediator(main, {}, 0, QStringLiteral("property")));
        QVERIFY(!document.save(&diagnostics));
        QVERIFY(diagnostics.toString().contains(QLatin1String("read-only")));

        // Exported, it becomes an editable MI project (with the edit).
        const QString archive = freshPath(QStringLiteral("export.zip"));
        QVERIFY(document.exportToArchive(archive));
        const QString imported = freshPath(QStringLiteral("imported"));
        ProjectDocument editable;
        QVERIFY(editable.openArchive(archive, imported, &diagnostics));
        QVERIFY(!editable.isReadOnly());
        QCOMPARE(editable.artifactFile(main),
                 QStringLiteral("src/main/synapse-config/sequences/main.xml"));
        QVERIFY(editable.artifactXml(main)->sameAs(*document.artifactXml(main)));
    }

    void exportImportRoundTrip_data() { addProjectRows(); }
    void exportImportRoundTrip()
    {
        QFETCH(QString, source);
        ProjectDocument document;
        document.setAutoValidate(false);
        QVERIFY(document.open(source));
        Diagnostics diagnostics;

        const QString archive = freshPath(QStringLiteral("project.zip"));
        QVERIFY2(document.exportToArchive(archive, &diagnostics),
                 qPrintable(diagnostics.toString()));
        const QString imported = freshPath(QStringLiteral("imported"));
        ProjectDocument fromArchive;
        QVERIFY2(fromArchive.openArchive(archive, imported, &diagnostics),
                 qPrintable(diagnostics.toString()));
        QVERIFY(QFile::exists(imported + QStringLiteral("/src/main/synapse-config")));

        const QString folder = freshPath(QStringLiteral("folder"));
        QVERIFY(document.exportToFolder(folder, &diagnostics));
        ProjectDocument fromFolder;
        QVERIFY(fromFolder.open(folder, &diagnostics));
        // Both are the same files: those of exportFiles().
        QCOMPARE(snapshot(folder), document.exportFiles());
        QMap<QString, QByteArray> unpacked = snapshot(imported);
        QCOMPARE(unpacked, document.exportFiles());

        for (ProjectDocument *copy : {&fromArchive, &fromFolder}) {
            QCOMPARE(copy->layout(), ProjectLayout::MicroIntegrator);
            QCOMPARE(copy->artifactIds().size(), document.artifactIds().size());
            for (const ArtifactId &id : document.artifactIds()) {
                QVERIFY2(copy->contains(id), qPrintable(id.toString()));
                QVERIFY(sameArtifactXml(*copy->artifactXml(id), *document.artifactXml(id)));
                // An MI file that did not change is exported as it was.
                if (document.layout() == ProjectLayout::MicroIntegrator)
                    QCOMPARE(copy->artifactSource(id), document.artifactSource(id));
            }
            QCOMPARE(copy->validate().errorCount(), document.validate().errorCount());
        }
        // Not into a folder that holds something.
        QVERIFY(!document.exportToFolder(folder, &diagnostics));
        QVERIFY(!ProjectDocument::importArchive(archive, folder, diagnostics));
    }

    void importRefusesDamagedArchives()
    {
        ProjectDocument document;
        QVERIFY(document.open(testData() + QStringLiteral("/projects/mi-websocket")));
        const QString archive = freshPath(QStringLiteral("good.zip"));
        QVERIFY(document.exportToArchive(archive));
        Diagnostics diagnostics;
        ZipReader reader;
        QVERIFY(reader.open(archive, QStringLiteral("good.zip"), diagnostics));
        QMap<QString, QByteArray> entries;
        for (const QString &name : reader.entryNames())
            entries.insert(name, *reader.read(name, diagnostics));
        reader.close();
        QVERIFY(entries.contains(QStringLiteral("sluice-manifest.json")));

        // A file changed after export.
        QMap<QString, QByteArray> tampered = entries;
        const QString sequence =
            QStringLiteral("src/main/synapse-config/sequences/dispatchSeq.xml");
        QVERIFY(tampered.contains(sequence));
        tampered[sequence].replace("OUT_ONLY", "IN_ONLY_");
        const QString bad = freshPath(QStringLiteral("bad.zip"));
        QVERIFY(writeZip(bad, tampered));
        diagnostics = Diagnostics();
        QVERIFY(!ProjectDocument::importArchive(bad, freshPath(QStringLiteral("x")), diagnostics));
        QVERIFY2(diagnostics.toString().contains(QLatin1String("checksum")),
                 qPrintable(diagnostics.toString()));

        // No manifest.
        QMap<QString, QByteArray> bare = entries;
        bare.remove(QStringLiteral("sluice-manifest.json"));
        const QString plain = freshPath(QStringLiteral("plain.zip"));
        QVERIFY(writeZip(plain, bare));
        diagnostics = Diagnostics();
        QVERIFY(
            !ProjectDocument::importArchive(plain, freshPath(QStringLiteral("y")), diagnostics));
        QVERIFY(diagnostics.toString().contains(QLatin1String("sluice-manifest.json")));

        // A file the manifest does not list is left out, with a warning.
        QMap<QString, QByteArray> extra = entries;
        extra.insert(QStringLiteral("notes.txt"), "hello");
        const QString more = freshPath(QStringLiteral("more.zip"));
        QVERIFY(writeZip(more, extra));
        diagnostics = Diagnostics();
        const QString target = freshPath(QStringLiteral("z"));
        QVERIFY(ProjectDocument::importArchive(more, target, diagnostics));
        QCOMPARE(diagnostics.warningCount(), 1);
        QVERIFY(!QFile::exists(target + QStringLiteral("/notes.txt")));
    }

    void openFailsForNoProject()
    {
        ProjectDocument document;
        QVERIFY(document.open(testData() + QStringLiteral("/projects/mi-websocket")));
        Diagnostics diagnostics;
        QVERIFY(!document.open(freshPath(QStringLiteral("missing")), &diagnostics));
        QVERIFY(diagnostics.hasErrors());
        QVERIFY(document.isOpen()); // the open project stays
        QCOMPARE(document.projectName(), QStringLiteral("mi-websocket"));
        QSignalSpy closed(&document, &ProjectDocument::projectClosed);
        document.close();
        QCOMPARE(closed.count(), 1);
        QVERIFY(!document.isOpen());
        QVERIFY(document.artifactIds().isEmpty());
    }
};

QTEST_GUILESS_MAIN(ProjectDocumentTest)
#include "tst_project_document.moc"
