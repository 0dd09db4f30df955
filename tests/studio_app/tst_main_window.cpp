// SPDX-License-Identifier: Apache-2.0
// The studio's main window driven as a user would, offscreen: open the websocket-to-websocket
// sample, edit dispatchSeq on the canvas and in the source, undo, save, reopen, close.

#include "app/artifact_editor.h"
#include "app/design_view.h"
#include "app/main_window.h"
#include "app/problems_view.h"
#include "app/project_explorer.h"
#include "app/start_page.h"
#include "app_test_support.h"
#include "model/project_document.h"
#include "widgets/flow_scene.h"
#include "widgets/palette_widget.h"
#include "widgets/xml_source_editor.h"

#include <QAction>
#include <QListWidget>
#include <QMimeData>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeWidget>
#include <QUndoStack>
#include <memory>

using namespace sluice;
using namespace sluice::studio;
using namespace sluice::studio::testing;

namespace {

const ArtifactId kDispatchSeq{ArtifactKind::Sequence, QStringLiteral("dispatchSeq")};
const QString kDispatchFile = QStringLiteral("src/main/synapse-config/sequences/dispatchSeq.xml");

} // namespace

class TestMainWindow : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();

    void opensSampleProject();
    void startPageListsSamples();
    void dropFromPaletteAndUndo();
    void sourceEditShowsInDesign();
    void invalidSourceStaysOnSource();
    void saveAndReopen();
    void closingWithUnsavedChangesAsks();
    void explorerAddsRenamesAndDeletes();
    void problemOpensArtifact();
    void copyPasteAndExportDiagram();
    void openSampleCopiesIt();
    void exportAndImport();
    void proxyShowsItsSequencesAsTabs();
    void explorerSelectionShowsArtifact();

private:
    DesignView *openDispatchSeq();
    bool dropAtEnd(const QString &element);

    std::unique_ptr<QTemporaryDir> m_dir;
    QString m_project;
    std::unique_ptr<MainWindow> m_window;
    int m_asked = 0;
    MainWindow::UnsavedChoice m_answer = MainWindow::UnsavedChoice::Discard;
};

void TestMainWindow::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(QStringLiteral("sluice-tests"));
    QCoreApplication::setApplicationName(QStringLiteral("tst_main_window"));
}

void TestMainWindow::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_project = m_dir->filePath(QStringLiteral("websocket-to-websocket"));
    QVERIFY(copyTree(sampleProject(QStringLiteral("websocket-to-websocket")), m_project));
    m_window = std::make_unique<MainWindow>();
    m_asked = 0;
    m_answer = MainWindow::UnsavedChoice::Discard;
    m_window->setConfirmHandler([this](const QString &) {
        ++m_asked;
        return m_answer;
    });
    m_window->show();
    QVERIFY(m_window->openProject(m_project));
}

void TestMainWindow::cleanup()
{
    m_window.reset();
    m_dir.reset();
}

DesignView *TestMainWindow::openDispatchSeq()
{
    ArtifactEditor *editor = m_window->openArtifact(kDispatchSeq);
    if (!editor)
        return nullptr;
    editor->showDesign();
    return editor->designView();
}

bool TestMainWindow::dropAtEnd(const QString &element)
{
    DesignView *design = m_window->currentDesignView();
    if (!design)
        return false;
    FlowScene *scene = design->scene();
    const FlowDropTarget target{{}, int(scene->flow().size())};
    if (!scene->dropTargets().contains(target))
        return false;
    std::unique_ptr<QMimeData> mime(PaletteWidget::mimeDataForElement(element));
    return scene->handleDrop(scene->dropTargetAnchor(target), mime.get());
}

void TestMainWindow::opensSampleProject()
{
    QCOMPARE(m_window->document()->projectName(), QStringLiteral("websocket-to-websocket"));
    QVERIFY(m_window->windowTitle().contains(QStringLiteral("websocket-to-websocket")));
    QVERIFY(!m_window->isWindowModified());
    QVERIFY(recentProjects().contains(QDir::cleanPath(m_project)));

    // The explorer groups the artifacts by kind.
    ProjectExplorer *explorer = m_window->explorer();
    QVERIFY(explorer->itemFor(kDispatchSeq));
    QVERIFY(explorer->itemFor({ArtifactKind::Sequence, QStringLiteral("outDispatchSeq")}));
    QVERIFY(explorer->itemFor({ArtifactKind::InboundEndpoint, QStringLiteral("websocket")}));
    QCOMPARE(explorer->tree()->topLevelItemCount(), 6);

    DesignView *design = openDispatchSeq();
    QVERIFY(design);
    const QList<FlowNode> flow = design->scene()->flow();
    QCOMPARE(flow.size(), 4);
    QCOMPARE(flow.at(0).icon, QStringLiteral("mediator-property"));
    QVERIFY(flow.at(0).summary.contains(QStringLiteral("OUT_ONLY")));
    QCOMPARE(flow.at(3).path, FlowPath{3});

    // The inbound endpoint shows the sequences it dispatches to as tabs.
    ArtifactEditor *inbound =
        m_window->openArtifact({ArtifactKind::InboundEndpoint, QStringLiteral("websocket")});
    QVERIFY(inbound);
    QVERIFY(inbound->designView()->lists().size() >= 2);
    QVERIFY(inbound->designView()->showList(QStringLiteral("outDispatchSeq")));
    QCOMPARE(inbound->designView()->targetArtifact().name, QStringLiteral("outDispatchSeq"));
}

void TestMainWindow::startPageListsSamples()
{
    const QStringList samples = sampleProjects();
    QVERIFY2(samples.size() >= 2, qPrintable(sampleProjectsDirectory()));
    bool found = false;
    for (const QString &path : samples)
        found = found || path.endsWith(QStringLiteral("websocket-to-websocket"));
    QVERIFY(found);
    m_window->startPage()->refresh();
    QCOMPARE(m_window->startPage()->samplesList()->count(), int(samples.size()));
}

void TestMainWindow::dropFromPaletteAndUndo()
{
    DesignView *design = openDispatchSeq();
    QVERIFY(design);
    QVERIFY(m_window->palette()->entries().size() > 10);
    QVERIFY(dropAtEnd(QStringLiteral("log")));

    const QList<FlowNode> flow = design->scene()->flow();
    QCOMPARE(flow.size(), 5);
    QCOMPARE(flow.at(4).icon, QStringLiteral("mediator-log"));
    const XmlNode *log = m_window->document()->element(kDispatchSeq, MediatorPath{4});
    QVERIFY(log);
    QCOMPARE(log->name, QStringLiteral("log"));
    QVERIFY(m_window->isWindowModified());
    QCOMPARE(design->scene()->selectedPath(), FlowPath{4});
    QVERIFY(m_window->undoAction()->isEnabled());
    QVERIFY(m_window->undoAction()->text().contains(QStringLiteral("log"), Qt::CaseInsensitive));

    m_window->undoAction()->trigger();
    QCOMPARE(design->scene()->flow().size(), 4);
    QVERIFY(!m_window->document()->isDirty());
    QVERIFY(!m_window->isWindowModified());

    m_window->redoAction()->trigger();
    QCOMPARE(design->scene()->flow().size(), 5);
    m_window->undoAction()->trigger();
}

void TestMainWindow::sourceEditShowsInDesign()
{
    DesignView *design = openDispatchSeq();
    ArtifactEditor *editor = m_window->currentEditor();
    QVERIFY(design && editor);
    editor->showSource();
    QCOMPARE(editor->currentIndex(), int(ArtifactEditor::SourcePage));
    QString text = editor->sourceEditor()->toPlainText();
    QVERIFY(text.contains(QStringLiteral("value=\"application/json\"")));
    text.replace(QStringLiteral("value=\"application/json\""),
                 QStringLiteral("value=\"text/plain\""));
    editor->sourceEditor()->setPlainText(text);
    QVERIFY(editor->isSourceEdited());

    QVERIFY(editor->showDesign());
    QCOMPARE(editor->currentIndex(), int(ArtifactEditor::DesignPage));
    const XmlNode *property = m_window->document()->element(kDispatchSeq, MediatorPath{2});
    QVERIFY(property);
    QCOMPARE(property->attribute(QStringLiteral("value")), QStringLiteral("text/plain"));
    QVERIFY(design->scene()->flow().at(2).summary.contains(QStringLiteral("text/plain")));
    QVERIFY(m_window->isWindowModified());
    QVERIFY(m_window->undoAction()->isEnabled());
}

void TestMainWindow::invalidSourceStaysOnSource()
{
    openDispatchSeq();
    ArtifactEditor *editor = m_window->currentEditor();
    editor->showSource();
    QString text = editor->sourceEditor()->toPlainText();
    text.replace(QStringLiteral("<send>"), QStringLiteral("<send"));
    editor->sourceEditor()->setPlainText(text);

    QVERIFY(!editor->showDesign());
    QCOMPARE(editor->currentIndex(), int(ArtifactEditor::SourcePage));
    QVERIFY(editor->sourceEditor()->hasProblems());
    const XmlSourceEditor::Problem problem = editor->sourceEditor()->problems().first();
    QVERIFY(problem.line >= 6);
    QVERIFY(!problem.message.isEmpty());
    // Nothing reached the document.
    QVERIFY(!m_window->document()->isDirty());
    QCOMPARE(m_window->document()->element(kDispatchSeq, MediatorPath{3})->name,
             QStringLiteral("send"));

    // Saving refuses while the source does not apply; fixing it lets design show again.
    QVERIFY(!m_window->saveProject());
    editor->sourceEditor()->setPlainText(m_window->document()->artifactSource(kDispatchSeq));
    QVERIFY(editor->showDesign());
}

void TestMainWindow::saveAndReopen()
{
    const QString file = QDir(m_project).filePath(kDispatchFile);
    const QByteArray original = readAll(file);
    DesignView *design = openDispatchSeq();
    QVERIFY(design);
    QVERIFY(dropAtEnd(QStringLiteral("log")));
    ArtifactEditor *editor = m_window->currentEditor();
    // The tab of a changed artifact says so until it is saved.
    auto *tabs = editor->parentWidget()
                     ? qobject_cast<QTabWidget *>(editor->parentWidget()->parentWidget())
                     : nullptr;
    QVERIFY(tabs);
    QCOMPARE(tabs->tabText(tabs->indexOf(editor)), QStringLiteral("dispatchSeq *"));
    editor->showSource();
    QString text = editor->sourceEditor()->toPlainText();
    text.replace(QStringLiteral("value=\"application/json\""),
                 QStringLiteral("value=\"text/plain\""));
    editor->sourceEditor()->setPlainText(text);

    QVERIFY(m_window->saveProject());
    QVERIFY(!m_window->isWindowModified());
    QVERIFY(!editor->isSourceEdited());
    QCOMPARE(tabs->tabText(tabs->indexOf(editor)), QStringLiteral("dispatchSeq"));

    // The writer puts the namespace declaration first and writes the rest as it was.
    const QByteArray expected = R"xml(<?xml version="1.0" encoding="UTF-8"?>
<sequence xmlns="http://ws.apache.org/ns/synapse" name="dispatchSeq">
    <property name="OUT_ONLY" value="true"/>
    <property name="FORCE_SC_ACCEPTED" scope="axis2" type="STRING" value="true"/>
    <property name="websocket.accept.contenType" scope="axis2" value="text/plain"/>
    <send>
        <endpoint>
            <address uri="ws://localhost:8082/websocket"/>
        </endpoint>
    </send>
    <log level="full"/>
</sequence>
)xml";
    QVERIFY(original.contains("value=\"application/json\""));
    QCOMPARE(readAll(file), expected);
    // Files that did not change are untouched.
    QCOMPARE(readAll(QDir(m_project).filePath(
                 QStringLiteral("src/main/synapse-config/sequences/outDispatchSeq.xml"))),
             readAll(QDir(sampleProject(QStringLiteral("websocket-to-websocket")))
                         .filePath(QStringLiteral(
                             "src/main/synapse-config/sequences/outDispatchSeq.xml"))));

    MainWindow second;
    second.setConfirmHandler([](const QString &) { return MainWindow::UnsavedChoice::Cancel; });
    QVERIFY(second.openProject(m_project));
    ArtifactEditor *reopened = second.openArtifact(kDispatchSeq);
    QVERIFY(reopened);
    const QList<FlowNode> flow = reopened->designView()->scene()->flow();
    QCOMPARE(flow.size(), 5);
    QVERIFY(flow.at(2).summary.contains(QStringLiteral("text/plain")));
    QCOMPARE(flow.at(4).icon, QStringLiteral("mediator-log"));
}

void TestMainWindow::closingWithUnsavedChangesAsks()
{
    // Unchanged: no question.
    QVERIFY(m_window->close());
    QCOMPARE(m_asked, 0);
    m_window->show();

    openDispatchSeq();
    QVERIFY(dropAtEnd(QStringLiteral("drop")));
    m_answer = MainWindow::UnsavedChoice::Cancel;
    QVERIFY(!m_window->close());
    QCOMPARE(m_asked, 1);
    QVERIFY(m_window->isVisible());
    QVERIFY(m_window->document()->isDirty());

    // Opening another project asks too.
    QVERIFY(!m_window->openProject(sampleProject(QStringLiteral("websocket-echo"))));
    QCOMPARE(m_asked, 2);
    QCOMPARE(m_window->document()->projectName(), QStringLiteral("websocket-to-websocket"));

    m_answer = MainWindow::UnsavedChoice::Discard;
    QVERIFY(m_window->close());
    QCOMPARE(m_asked, 3);
    // Discarding does not write.
    QCOMPARE(
        readAll(QDir(m_project).filePath(kDispatchFile)),
        readAll(
            QDir(sampleProject(QStringLiteral("websocket-to-websocket"))).filePath(kDispatchFile)));
}

void TestMainWindow::explorerAddsRenamesAndDeletes()
{
    ProjectExplorer *explorer = m_window->explorer();
    QVERIFY(explorer->addArtifact(ArtifactKind::Sequence, QStringLiteral("auditSeq")));
    const ArtifactId audit{ArtifactKind::Sequence, QStringLiteral("auditSeq")};
    QVERIFY(explorer->itemFor(audit));
    QVERIFY(m_window->editorFor(audit)); // a new artifact opens
    QVERIFY(explorer->renameArtifact(audit, QStringLiteral("auditSeq2")));
    const ArtifactId renamed{ArtifactKind::Sequence, QStringLiteral("auditSeq2")};
    QVERIFY(explorer->itemFor(renamed));
    QVERIFY(!explorer->itemFor(audit));
    QVERIFY(m_window->editorFor(renamed));
    QVERIFY(explorer->duplicateArtifact(renamed, QStringLiteral("auditSeq3")));
    QVERIFY(explorer->deleteArtifact(renamed, false));
    QVERIFY(!explorer->itemFor(renamed));
    QVERIFY(!m_window->editorFor(renamed));
    QVERIFY(m_window->document()->contains({ArtifactKind::Sequence, QStringLiteral("auditSeq3")}));
    // Every step is undoable.
    QUndoStack *stack = m_window->document()->undoStack();
    while (stack->canUndo())
        stack->undo();
    QVERIFY(!explorer->itemFor({ArtifactKind::Sequence, QStringLiteral("auditSeq3")}));
    QVERIFY(!m_window->document()->isDirty());
    // The references to an artifact are what a delete warns about.
    QVERIFY(!m_window->document()->referencesTo(kDispatchSeq).isEmpty());
}

void TestMainWindow::problemOpensArtifact()
{
    ProjectDocument *document = m_window->document();
    // A filter with an expression that does not compile.
    openDispatchSeq();
    XmlNode filter = XmlNode::element(QStringLiteral("filter"));
    filter.setAttribute(QStringLiteral("xpath"), QStringLiteral("//a[["));
    QVERIFY(document->insertMediator(kDispatchSeq, MediatorPath(), 1, filter));
    document->validate();
    QTRY_VERIFY(m_window->problemsView()->problemCount() > 0);

    // Show another artifact, then activate the problem.
    m_window->openArtifact({ArtifactKind::Sequence, QStringLiteral("outDispatchSeq")});
    int row = -1;
    const QList<Diagnostic> problems = document->problems().sorted();
    for (int i = 0; i < problems.size(); ++i) {
        const auto where = document->locateProblem(problems.at(i).location);
        if (where && where->id == kDispatchSeq && where->path == MediatorPath{1})
            row = i;
    }
    QVERIFY2(row >= 0, qPrintable(document->problems().toString()));
    m_window->problemsView()->activate(row);
    QCOMPARE(m_window->currentEditor()->artifact(), kDispatchSeq);
    QCOMPARE(m_window->currentDesignView()->scene()->selectedPath(), FlowPath{1});
    QVERIFY(!m_window->currentDesignView()->scene()->flow().at(1).problem.isEmpty());
}

void TestMainWindow::copyPasteAndExportDiagram()
{
    DesignView *design = openDispatchSeq();
    QVERIFY(design);
    QSignalSpy selections(m_window.get(), &MainWindow::selectionChanged);
    design->scene()->selectNode({0});
    QCOMPARE(selections.size(), 1);
    QCOMPARE(selections.first().at(1).value<MediatorPath>(), MediatorPath{0});
    QVERIFY(m_window->copySelection());
    QVERIFY(m_window->pasteAfterSelection());
    QCOMPARE(design->scene()->flow().size(), 5);
    QCOMPARE(m_window->document()
                 ->element(kDispatchSeq, MediatorPath{1})
                 ->attribute(QStringLiteral("name")),
             QStringLiteral("OUT_ONLY"));
    design->scene()->selectNode({1});
    QVERIFY(m_window->deleteSelection());
    QCOMPARE(design->scene()->flow().size(), 4);

    const QString png = m_dir->filePath(QStringLiteral("diagram.png"));
    const QString svg = m_dir->filePath(QStringLiteral("diagram.svg"));
    QVERIFY(m_window->exportDiagram(png));
    QVERIFY(m_window->exportDiagram(svg));
    QVERIFY(QFileInfo(png).size() > 1000);
    QVERIFY(readAll(svg).contains("<svg"));
}

void TestMainWindow::openSampleCopiesIt()
{
    const QString sample = sampleProject(QStringLiteral("websocket-echo"));
    QVERIFY(m_window->openSample(sample, m_dir->path()));
    const QString copy = QDir(m_dir->path()).filePath(QStringLiteral("websocket-echo"));
    QCOMPARE(QDir::cleanPath(m_window->document()->rootPath()), QDir::cleanPath(copy));
    QVERIFY(QFileInfo::exists(QDir(copy).filePath(QStringLiteral("deployment.toml"))));
    QVERIFY(m_window->currentEditor());
    // A second copy gets a new folder.
    QVERIFY(m_window->openSample(sample, m_dir->path()));
    QCOMPARE(QFileInfo(m_window->document()->rootPath()).fileName(),
             QStringLiteral("websocket-echo-2"));
}

void TestMainWindow::exportAndImport()
{
    const QString folder = m_dir->filePath(QStringLiteral("exported"));
    const QString archive = m_dir->filePath(QStringLiteral("exported.zip"));
    const QString imported = m_dir->filePath(QStringLiteral("imported"));
    QVERIFY(m_window->exportFolder(folder));
    QCOMPARE(readAll(QDir(folder).filePath(kDispatchFile)),
             readAll(QDir(m_project).filePath(kDispatchFile)));
    QVERIFY(m_window->exportArchive(archive));
    QVERIFY(m_window->importArchive(archive, imported));
    QCOMPARE(QDir::cleanPath(m_window->document()->rootPath()), QDir::cleanPath(imported));
    QVERIFY(m_window->document()->contains(kDispatchSeq));
    QCOMPARE(readAll(QDir(imported).filePath(kDispatchFile)),
             readAll(QDir(m_project).filePath(kDispatchFile)));
}

void TestMainWindow::proxyShowsItsSequencesAsTabs()
{
    QVERIFY(m_window->explorer()->addArtifact(ArtifactKind::ProxyService, QStringLiteral("p")));
    const ArtifactId proxy{ArtifactKind::ProxyService, QStringLiteral("p")};
    ArtifactEditor *editor = m_window->openArtifact(proxy);
    QVERIFY(editor);
    DesignView *design = editor->designView();
    const QList<MediatorListRef> lists = design->lists();
    QVERIFY2(!lists.isEmpty(), "a new proxy has an inSequence");
    QVERIFY(!lists.first().reference);
    QCOMPARE(design->targetArtifact(), proxy);
    // A drop lands inside the inline sequence, at the document path below it.
    const int before = int(design->scene()->flow().size());
    QVERIFY(dropAtEnd(QStringLiteral("respond")));
    QCOMPARE(int(design->scene()->flow().size()), before + 1);
    const MediatorPath dropped = design->selectedPath();
    QCOMPARE(dropped.parent(), lists.first().path);
    QCOMPARE(m_window->document()->element(proxy, dropped)->name, QStringLiteral("respond"));
}

void TestMainWindow::explorerSelectionShowsArtifact()
{
    QSignalSpy selections(m_window.get(), &MainWindow::selectionChanged);
    ProjectExplorer *explorer = m_window->explorer();
    const ArtifactId inbound{ArtifactKind::InboundEndpoint, QStringLiteral("websocket")};
    explorer->tree()->setCurrentItem(explorer->itemFor(inbound));
    QVERIFY(!selections.isEmpty());
    QCOMPARE(selections.last().at(0).value<ArtifactId>(), inbound);
    QVERIFY(selections.last().at(1).value<MediatorPath>().isRoot());
    // Activating it opens its editor.
    emit explorer->tree()->itemActivated(explorer->itemFor(inbound), 0);
    QCOMPARE(m_window->currentEditor()->artifact(), inbound);
}

QTEST_MAIN(TestMainWindow)
#include "tst_main_window.moc"
