// SPDX-License-Identifier: Apache-2.0
#include "main_window.h"

#include "artifact_editor.h"
#include "artifacts/mediator_catalog.h"
#include "busy_indicator.h"
#include "cluster_panel.h"
#include "connections_view.h"
#include "design_view.h"
#include "embedded_runtime.h"
#include "log_dock.h"
#include "model/project_document.h"
#include "problems_view.h"
#include "project_explorer.h"
#include "remote_runtime.h"
#include "remote_runtime_dialog.h"
#include "start_page.h"
#include "try_it_panel.h"
#include "widgets/flow_scene.h"
#include "widgets/flow_view.h"
#include "widgets/icons.h"
#include "widgets/palette_widget.h"
#include "widgets/xml_source_editor.h"

#if __has_include("properties_panel.h")
#include "properties_panel.h"
#define SLUICE_HAS_PROPERTIES_PANEL 1
#endif

#include <QApplication>
#include <QClipboard>
#include <QCloseEvent>
#include <QDir>
#include <QDirIterator>
#include <QDockWidget>
#include <QFileDialog>
#include <QFileInfo>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QStackedWidget>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTabWidget>
#include <QToolBar>
#include <QTreeWidget>
#include <QUndoStack>
#include <QUndoView>
#include <QVBoxLayout>

namespace sluice::studio {

namespace {

QList<PaletteEntry> catalogEntries()
{
    QList<PaletteEntry> entries;
    for (const MediatorDescription &description : mediatorCatalog()) {
        PaletteEntry entry;
        entry.element = description.elementName;
        entry.displayName = description.displayName;
        entry.group = mediatorGroupName(description.group).toLower();
        entry.icon = description.iconName;
        entry.help = description.help;
        entries.append(entry);
    }
    return entries;
}

} // namespace

MainWindow::MainWindow(QWidget *parent)
    : QMainWindow(parent)
    , m_document(new ProjectDocument(this))
{
    setObjectName(QStringLiteral("MainWindow"));
    setWindowIcon(studioIcon(QStringLiteral("sluice")));
    setDockOptions(QMainWindow::AnimatedDocks | QMainWindow::AllowTabbedDocks);
    setCorner(Qt::BottomLeftCorner, Qt::LeftDockWidgetArea);
    setCorner(Qt::BottomRightCorner, Qt::RightDockWidgetArea);

    m_startPage = new StartPage(this);
    m_editors = new QTabWidget(this);
    m_editors->setDocumentMode(true);
    m_editors->setTabsClosable(true);
    m_editors->setMovable(true);
    m_center = new QStackedWidget(this);
    m_center->addWidget(m_startPage);
    m_center->addWidget(m_editors);
    setCentralWidget(m_center);

    createDocks();
    createMenus();

    m_busy = new BusyIndicator(this);
    statusBar()->addPermanentWidget(m_busy);
    m_runtimeStatus = new QLabel(this);
    m_runtimeStatus->setObjectName(QStringLiteral("RuntimeStatus"));
    statusBar()->addPermanentWidget(m_runtimeStatus);
    m_problemCount = new QLabel(this);
    statusBar()->addPermanentWidget(m_problemCount);
    setRuntimeController(new EmbeddedRuntime(this));

    connect(m_startPage, &StartPage::newProjectRequested, this, &MainWindow::askNewProject);
    connect(m_startPage, &StartPage::openProjectRequested, this, &MainWindow::askOpenProject);
    connect(m_startPage, &StartPage::openPathRequested, this, &MainWindow::openProject);
    connect(m_startPage, &StartPage::openSampleRequested, this,
            [this](const QString &path) { askOpenSample(path); });
    connect(m_editors, &QTabWidget::tabCloseRequested, this, [this](int index) {
        auto *editor = qobject_cast<ArtifactEditor *>(m_editors->widget(index));
        if (editor && !editor->applySource()) {
            m_editors->setCurrentIndex(index);
            return;
        }
        delete m_editors->widget(index);
    });
    connect(m_editors, &QTabWidget::currentChanged, this, [this] {
        updateActions();
        if (ArtifactEditor *editor = currentEditor()) {
            m_explorer->setCurrentArtifact(editor->artifact());
            const MediatorPath path = editor->designView()->selectedPath();
            onEditorSelection(
                path.isRoot() ? editor->artifact() : editor->designView()->targetArtifact(), path);
        }
    });

    connect(m_document, &ProjectDocument::projectOpened, this, &MainWindow::onProjectOpened);
    connect(m_document, &ProjectDocument::projectClosed, this, [this] {
        m_runtime->stop();
        while (m_editors->count() > 0)
            delete m_editors->widget(0);
        m_center->setCurrentWidget(m_startPage);
        m_startPage->refresh();
        updateTitle();
        updateActions();
    });
    connect(m_document, &ProjectDocument::dirtyChanged, this, &MainWindow::updateTitle);
    connect(m_document, &ProjectDocument::saved, this, &MainWindow::updateTitle);
    connect(m_document, &ProjectDocument::artifactChanged, this, &MainWindow::updateTitle);
    connect(m_document, &ProjectDocument::artifactRemoved, this, &MainWindow::onArtifactRemoved);
    connect(m_document, &ProjectDocument::artifactRenamed, this,
            [this](const ArtifactId &, const ArtifactId &newId) {
                if (editorFor(newId))
                    updateTitle();
            });
    connect(m_explorer, &ProjectExplorer::artifactActivated, this, &MainWindow::openArtifact);
    connect(m_explorer, &ProjectExplorer::statusMessage, this, &MainWindow::showStatus);
    connect(m_explorer->tree(), &QTreeWidget::currentItemChanged, this, [this] {
        // Picking an artifact in the explorer shows its settings.
        if (const std::optional<ArtifactId> id = m_explorer->currentArtifact())
            emit selectionChanged(*id, MediatorPath());
    });
    connect(m_problems, &ProblemsView::problemActivated, this, &MainWindow::showProblem);
    connect(m_log, &LogDock::mediatorActivated, this, &MainWindow::showMediatorAt);
    connect(m_problems, &ProblemsView::countsChanged, this, [this](int errors, int warnings) {
        m_problemCount->setText(tr("%1 errors, %2 warnings").arg(errors).arg(warnings));
    });
    connect(m_palette, &PaletteWidget::entryActivated, this, [this](const QString &element) {
        DesignView *view = currentDesignView();
        QString error;
        if (view && !view->insertAfterSelection(element, &error))
            showStatus(error);
    });

    resize(1280, 800);
    setTheme(currentTheme());
    updateTitle();
    updateActions();
}

MainWindow::~MainWindow()
{
    // The views listen to the document (a child created first, so deleted first by QObject):
    // delete them before it, with its signals blocked.
    m_document->blockSignals(true);
    // The runtime first: it stops its thread and must not report to half-deleted views.
    delete m_runtime;
    m_runtime = nullptr;
    while (m_editors->count() > 0)
        delete m_editors->widget(0);
    for (QDockWidget *dock : findChildren<QDockWidget *>(Qt::FindDirectChildrenOnly))
        delete dock;
    delete takeCentralWidget();
    delete m_document;
}

void MainWindow::createDocks()
{
    m_explorer = new ProjectExplorer(m_document, this);
    m_explorerDock = new QDockWidget(tr("Project"), this);
    m_explorerDock->setObjectName(QStringLiteral("ProjectDock"));
    m_explorerDock->setWidget(m_explorer);
    addDockWidget(Qt::LeftDockWidgetArea, m_explorerDock);

    m_palette = new PaletteWidget(this);
    m_palette->setEntries(catalogEntries());
    m_paletteDock = new QDockWidget(tr("Palette"), this);
    m_paletteDock->setObjectName(QStringLiteral("PaletteDock"));
    m_paletteDock->setWidget(m_palette);
    addDockWidget(Qt::LeftDockWidgetArea, m_paletteDock);
    splitDockWidget(m_explorerDock, m_paletteDock, Qt::Vertical);

#ifdef SLUICE_HAS_PROPERTIES_PANEL
    auto *panel = new PropertiesPanel(m_document, this);
    connect(this, &MainWindow::selectionChanged, panel, &PropertiesPanel::setSelection);
    m_properties = panel;
#else
    // The properties panel (properties_panel.h) is not part of this build yet.
    auto *placeholder = new QLabel(tr("Select a mediator to see its properties."), this);
    placeholder->setAlignment(Qt::AlignCenter);
    placeholder->setWordWrap(true);
    placeholder->setForegroundRole(QPalette::PlaceholderText);
    m_properties = placeholder;
#endif
    m_propertiesDock = new QDockWidget(tr("Properties"), this);
    m_propertiesDock->setObjectName(QStringLiteral("PropertiesDock"));
    m_propertiesDock->setWidget(m_properties);
    addDockWidget(Qt::RightDockWidgetArea, m_propertiesDock);

    m_problems = new ProblemsView(m_document, this);
    m_problemsDock = new QDockWidget(tr("Problems"), this);
    m_problemsDock->setObjectName(QStringLiteral("ProblemsDock"));
    m_problemsDock->setWidget(m_problems);
    addDockWidget(Qt::BottomDockWidgetArea, m_problemsDock);

    m_undoView = new QUndoView(m_document->undoStack(), this);
    m_undoView->setEmptyLabel(tr("<opened>"));
    m_undoView->setFrameShape(QFrame::NoFrame);
    m_undoDock = new QDockWidget(tr("History"), this);
    m_undoDock->setObjectName(QStringLiteral("HistoryDock"));
    m_undoDock->setWidget(m_undoView);
    addDockWidget(Qt::BottomDockWidgetArea, m_undoDock);
    tabifyDockWidget(m_problemsDock, m_undoDock);

    // Running and watching: the message log, the open connections and the try-it client share
    // the bottom area with the problems.
    m_log = new LogDock(this);
    m_logDock = new QDockWidget(tr("Message Log"), this);
    m_logDock->setObjectName(QStringLiteral("MessageLogDock"));
    m_logDock->setWidget(m_log);
    addDockWidget(Qt::BottomDockWidgetArea, m_logDock);
    tabifyDockWidget(m_problemsDock, m_logDock);

    m_connections = new ConnectionsView(this);
    m_connectionsDock = new QDockWidget(tr("Connections"), this);
    m_connectionsDock->setObjectName(QStringLiteral("ConnectionsDock"));
    m_connectionsDock->setWidget(m_connections);
    addDockWidget(Qt::BottomDockWidgetArea, m_connectionsDock);
    tabifyDockWidget(m_problemsDock, m_connectionsDock);
    connect(m_connections, &ConnectionsView::closeRequested, this,
            [this](const QString &id, int code, const QString &reason) {
                m_runtime->closeConnection(id, code, reason);
            });

    m_cluster = new ClusterPanel(this);
    m_clusterDock = new QDockWidget(tr("Cluster"), this);
    m_clusterDock->setObjectName(QStringLiteral("ClusterDock"));
    m_clusterDock->setWidget(m_cluster);
    addDockWidget(Qt::BottomDockWidgetArea, m_clusterDock);
    tabifyDockWidget(m_problemsDock, m_clusterDock);

    m_tryIt = new TryItPanel(this);
    m_tryItDock = new QDockWidget(tr("Try It"), this);
    m_tryItDock->setObjectName(QStringLiteral("TryItDock"));
    m_tryItDock->setWidget(m_tryIt);
    addDockWidget(Qt::RightDockWidgetArea, m_tryItDock);
    tabifyDockWidget(m_propertiesDock, m_tryItDock);
    m_propertiesDock->raise();
    m_problemsDock->raise();
}

void MainWindow::showEvent(QShowEvent *event)
{
    QMainWindow::showEvent(event);
    if (m_docksSized)
        return;
    // Dock sizes apply once the window has its size.
    m_docksSized = true;
    resizeDocks({m_explorerDock, m_propertiesDock}, {260, 320}, Qt::Horizontal);
    resizeDocks({m_explorerDock, m_paletteDock}, {200, 500}, Qt::Vertical);
    resizeDocks({m_problemsDock}, {180}, Qt::Vertical);
}

void MainWindow::createMenus()
{
    QMenu *file = menuBar()->addMenu(tr("&File"));
    file->addAction(tr("&New Project\u2026"), QKeySequence::New, this, &MainWindow::askNewProject);
    file->addAction(tr("&Open Project\u2026"), QKeySequence::Open, this,
                    &MainWindow::askOpenProject);
    file->addAction(tr("Open &Sample\u2026"), this, [this] { askOpenSample(); });
    m_recentMenu = file->addMenu(tr("Open &Recent"));
    connect(m_recentMenu, &QMenu::aboutToShow, this, &MainWindow::updateRecentMenu);
    file->addSeparator();
    m_saveAction = file->addAction(tr("&Save"), QKeySequence::Save, this, &MainWindow::saveProject);
    m_projectActions.append(m_saveAction);
    file->addSeparator();
    m_projectActions.append(
        file->addAction(tr("Export to &Folder\u2026"), this, &MainWindow::askExportFolder));
    m_projectActions.append(
        file->addAction(tr("Export &Archive\u2026"), this, &MainWindow::askExportArchive));
    file->addAction(tr("&Import Archive\u2026"), this, &MainWindow::askImportArchive);
    QAction *diagram =
        file->addAction(tr("Export &Diagram (PNG/SVG)\u2026"), this, &MainWindow::askExportDiagram);
    m_editActions.append(diagram);
    file->addSeparator();
    m_projectActions.append(
        file->addAction(tr("&Close Project"), this, [this] { closeProject(); }));
    file->addAction(tr("&Quit"), QKeySequence::Quit, this, &QWidget::close);

    QMenu *edit = menuBar()->addMenu(tr("&Edit"));
    m_undoAction = m_document->undoStack()->createUndoAction(this, tr("&Undo"));
    m_undoAction->setShortcut(QKeySequence::Undo);
    m_redoAction = m_document->undoStack()->createRedoAction(this, tr("&Redo"));
    m_redoAction->setShortcut(QKeySequence::Redo);
    edit->addAction(m_undoAction);
    edit->addAction(m_redoAction);
    edit->addSeparator();
    m_editActions.append(edit->addAction(tr("&Copy Mediator"), QKeySequence::Copy, this,
                                         [this] { copySelection(); }));
    m_editActions.append(edit->addAction(tr("&Paste Mediator"), QKeySequence::Paste, this,
                                         [this] { pasteAfterSelection(); }));
    m_editActions.append(
        edit->addAction(tr("&Delete Mediator"), this, [this] { deleteSelection(); }));
    // Copy and Paste are enabled only while a design canvas is current (updateActions), so
    // that the source editor and the search fields keep their own shortcuts otherwise.

    QMenu *view = menuBar()->addMenu(tr("&View"));
    m_editActions.append(view->addAction(tr("Zoom &In"), QKeySequence::ZoomIn, this, [this] {
        if (DesignView *design = currentDesignView())
            design->view()->zoomIn();
    }));
    m_editActions.append(view->addAction(tr("Zoom &Out"), QKeySequence::ZoomOut, this, [this] {
        if (DesignView *design = currentDesignView())
            design->view()->zoomOut();
    }));
    m_editActions.append(view->addAction(tr("&Actual Size"), this, [this] {
        if (DesignView *design = currentDesignView())
            design->view()->resetZoom();
    }));
    m_editActions.append(view->addAction(tr("&Fit to Window"), this, [this] {
        if (DesignView *design = currentDesignView())
            design->view()->fitToView();
    }));
    view->addSeparator();
    m_darkAction = view->addAction(tr("&Dark Theme"));
    m_darkAction->setCheckable(true);
    connect(m_darkAction, &QAction::toggled, this,
            [this](bool dark) { setTheme(dark ? Theme::Dark : Theme::Light); });
    view->addSeparator();
    for (QDockWidget *dock : {m_explorerDock, m_paletteDock, m_propertiesDock, m_problemsDock,
                              m_undoDock, m_logDock, m_connectionsDock, m_clusterDock, m_tryItDock})
        view->addAction(dock->toggleViewAction());

    QMenu *run = menuBar()->addMenu(tr("&Run"));
    m_runAction = run->addAction(tr("&Run"), this, [this] { runProject(); });
    m_runAction->setShortcut(Qt::Key_F5);
    m_runAction->setToolTip(tr("Save and run the project (F5)"));
    m_stopAction = run->addAction(tr("&Stop"), this, &MainWindow::stopProject);
    m_stopAction->setShortcut(QKeySequence(Qt::SHIFT | Qt::Key_F5));
    m_stopAction->setToolTip(tr("Stop the runtime (Shift+F5)"));
    m_redeployAction = run->addAction(tr("Re&deploy"), this, [this] { redeployProject(); });
    m_redeployAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_F5));
    m_redeployAction->setToolTip(
        tr("Save and redeploy the running project; connected clients stay (Ctrl+F5)"));
    run->addSeparator();
    m_remoteAction =
        run->addAction(tr("Deploy to &Remote Runtime\u2026"), this, &MainWindow::askDeployToRemote);
    m_embeddedAction =
        run->addAction(tr("Use the &Embedded Runtime"), this, &MainWindow::useEmbeddedRuntime);
    run->addSeparator();
    run->addAction(tr("Clear the Message &Log"), this, [this] { m_log->clear(); });

    QToolBar *toolbar = addToolBar(tr("Run"));
    toolbar->setObjectName(QStringLiteral("RunToolBar"));
    toolbar->setToolButtonStyle(Qt::ToolButtonTextOnly);
    toolbar->addAction(m_runAction);
    toolbar->addAction(m_stopAction);
    toolbar->addAction(m_redeployAction);
}

void MainWindow::setTheme(Theme theme)
{
    m_theme = theme;
    applyTheme(theme);
    if (m_darkAction) {
        const QSignalBlocker blocker(m_darkAction);
        m_darkAction->setChecked(theme == Theme::Dark);
    }
}

void MainWindow::updateTitle()
{
    const QString app = tr("Sluice Studio");
    if (!m_document->isOpen()) {
        setWindowTitle(app);
        setWindowModified(false);
        return;
    }
    QString name = m_document->projectName();
    if (m_document->isReadOnly())
        name += tr(" (read-only)");
    setWindowModified(m_document->isDirty());
    setWindowTitle(QStringLiteral("%1[*] \u2014 %2").arg(name, app));
    // Each editor tab says whether its artifact has unsaved changes.
    for (int i = 0; i < m_editors->count(); ++i) {
        if (auto *editor = qobject_cast<ArtifactEditor *>(m_editors->widget(i))) {
            const ArtifactId id = editor->artifact();
            m_editors->setTabText(
                i, m_document->isArtifactModified(id) ? id.name + QStringLiteral(" *") : id.name);
        }
    }
}

void MainWindow::updateActions()
{
    const bool open = m_document->isOpen();
    for (QAction *action : std::as_const(m_projectActions))
        action->setEnabled(open);
    m_saveAction->setEnabled(open && !m_document->isReadOnly());
    const bool design = currentDesignView() != nullptr;
    for (QAction *action : std::as_const(m_editActions))
        action->setEnabled(design);
    if (m_runAction && m_runtime) {
        const RuntimeState state = m_runtime->state();
        m_runAction->setEnabled(open && !m_runtime->isActive());
        m_stopAction->setEnabled(state != RuntimeState::Stopped);
        m_redeployAction->setEnabled(open && state == RuntimeState::Running);
        m_remoteAction->setEnabled(open);
        m_embeddedAction->setEnabled(!qobject_cast<EmbeddedRuntime *>(m_runtime));
    }
}

void MainWindow::updateRecentMenu()
{
    m_recentMenu->clear();
    const QStringList recent = recentProjects();
    for (const QString &path : recent)
        m_recentMenu->addAction(QDir::toNativeSeparators(path), this,
                                [this, path] { openProject(path); });
    if (recent.isEmpty())
        m_recentMenu->addAction(tr("(none)"))->setEnabled(false);
}

void MainWindow::showStatus(const QString &message)
{
    statusBar()->showMessage(message, 8000);
}

void MainWindow::beginDeploy(const QString &what)
{
    if (m_deployPending)
        return;
    m_deployPending = true;
    m_busy->start(what);
}

void MainWindow::endDeploy()
{
    if (!m_deployPending)
        return;
    m_deployPending = false;
    m_busy->finish();
}

void MainWindow::reportDiagnostics(const QString &what, const Diagnostics &diagnostics)
{
    QString text = what;
    if (!diagnostics.isEmpty())
        text += QLatin1String("\n\n") + diagnostics.toString();
    showStatus(what);
    if (!m_confirm) // tests inject a handler and want no modal dialogs
        QMessageBox::warning(this, tr("Sluice Studio"), text);
}

// ----- unsaved changes

MainWindow::UnsavedChoice MainWindow::askUnsaved(const QString &question)
{
    if (m_confirm)
        return m_confirm(question);
    const auto answer = QMessageBox::question(
        this, tr("Unsaved changes"), question,
        QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel, QMessageBox::Save);
    if (answer == QMessageBox::Save)
        return UnsavedChoice::Save;
    if (answer == QMessageBox::Discard)
        return UnsavedChoice::Discard;
    return UnsavedChoice::Cancel;
}

bool MainWindow::maybeKeepChanges(const QString &question)
{
    // An edited source tab counts as a change.
    bool sourceEdited = false;
    for (int i = 0; i < m_editors->count(); ++i) {
        auto *editor = qobject_cast<ArtifactEditor *>(m_editors->widget(i));
        sourceEdited = sourceEdited || (editor && editor->isSourceEdited());
    }
    if (!m_document->isOpen() || (!m_document->isDirty() && !sourceEdited))
        return true;
    switch (askUnsaved(question)) {
    case UnsavedChoice::Save:
        return saveProject();
    case UnsavedChoice::Discard:
        return true;
    case UnsavedChoice::Cancel:
        break;
    }
    return false;
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    if (maybeKeepChanges(tr("The project '%1' has unsaved changes. Save them before quitting?")
                             .arg(m_document->projectName()))) {
        event->accept();
    } else {
        event->ignore();
    }
}

// ----- projects

bool MainWindow::openProject(const QString &path)
{
    if (!maybeKeepChanges(tr("The project '%1' has unsaved changes. Save them before opening "
                             "another project?")
                              .arg(m_document->projectName())))
        return false;
    Diagnostics diagnostics;
    bool opened = false;
    {
        // Reading and checking a large project takes a while, in the GUI thread.
        const BusyIndicator::Scope busy(
            m_busy, tr("Opening and checking %1").arg(QFileInfo(path).fileName()));
        opened = m_document->open(path, &diagnostics);
    }
    if (!opened) {
        reportDiagnostics(tr("Cannot open %1").arg(QDir::toNativeSeparators(path)), diagnostics);
        return false;
    }
    addRecentProject(m_document->rootPath());
    if (diagnostics.hasErrors())
        showStatus(tr("Opened with %n problem(s) in its files", nullptr, diagnostics.errorCount()));
    return true;
}

bool MainWindow::newProject(const QString &directory)
{
    if (!maybeKeepChanges(tr("The project '%1' has unsaved changes. Save them first?")
                              .arg(m_document->projectName())))
        return false;
    Diagnostics diagnostics;
    if (!m_document->createNew(directory, &diagnostics)) {
        reportDiagnostics(
            tr("Cannot create a project in %1").arg(QDir::toNativeSeparators(directory)),
            diagnostics);
        return false;
    }
    addRecentProject(m_document->rootPath());
    return true;
}

bool MainWindow::openSample(const QString &samplePath, const QString &parentDirectory)
{
    if (!maybeKeepChanges(tr("The project '%1' has unsaved changes. Save them first?")
                              .arg(m_document->projectName())))
        return false;
    const QString name = QFileInfo(samplePath).fileName();
    const QDir parent(parentDirectory);
    QString target = parent.filePath(name);
    for (int i = 2; QFileInfo::exists(target); ++i)
        target = parent.filePath(QStringLiteral("%1-%2").arg(name).arg(i));
    const QDir source(samplePath);
    bool copied = QDir().mkpath(target);
    QDirIterator it(samplePath, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
    while (copied && it.hasNext()) {
        const QString file = it.next();
        const QString copy = QDir(target).filePath(source.relativeFilePath(file));
        copied = QDir().mkpath(QFileInfo(copy).absolutePath()) && QFile::copy(file, copy);
        // Bundled files may be read-only (installed): the copy is the user's to edit.
        QFile::setPermissions(copy, QFile::permissions(copy) | QFileDevice::WriteOwner);
    }
    if (!copied) {
        reportDiagnostics(tr("Cannot copy the sample to %1").arg(QDir::toNativeSeparators(target)),
                          {});
        return false;
    }
    return openProject(target);
}

bool MainWindow::saveProject()
{
    if (!m_document->isOpen())
        return false;
    // Edited source tabs are applied first; one that does not parse stops saving.
    for (int i = 0; i < m_editors->count(); ++i) {
        auto *editor = qobject_cast<ArtifactEditor *>(m_editors->widget(i));
        if (editor && !editor->applySource()) {
            m_editors->setCurrentIndex(i);
            editor->showSource();
            showStatus(
                tr("Not saved: the source of %1 does not apply").arg(editor->artifact().name));
            return false;
        }
    }
    Diagnostics diagnostics;
    if (!m_document->save(&diagnostics)) {
        reportDiagnostics(tr("The project was not saved."), diagnostics);
        return false;
    }
    showStatus(tr("Saved %1").arg(QDir::toNativeSeparators(m_document->rootPath())));
    return true;
}

bool MainWindow::closeProject()
{
    if (!maybeKeepChanges(tr("The project '%1' has unsaved changes. Save them before closing?")
                              .arg(m_document->projectName())))
        return false;
    m_document->close();
    return true;
}

bool MainWindow::exportFolder(const QString &directory)
{
    Diagnostics diagnostics;
    bool exported = false;
    {
        const BusyIndicator::Scope busy(m_busy, tr("Exporting %1").arg(m_document->projectName()));
        exported = m_document->exportToFolder(directory, &diagnostics);
    }
    if (!exported) {
        reportDiagnostics(tr("The project was not exported."), diagnostics);
        return false;
    }
    showStatus(tr("Exported to %1").arg(QDir::toNativeSeparators(directory)));
    return true;
}

bool MainWindow::exportArchive(const QString &archivePath)
{
    Diagnostics diagnostics;
    bool exported = false;
    {
        const BusyIndicator::Scope busy(m_busy, tr("Exporting %1").arg(m_document->projectName()));
        exported = m_document->exportToArchive(archivePath, &diagnostics);
    }
    if (!exported) {
        reportDiagnostics(tr("The archive was not written."), diagnostics);
        return false;
    }
    showStatus(tr("Exported to %1").arg(QDir::toNativeSeparators(archivePath)));
    return true;
}

bool MainWindow::importArchive(const QString &archivePath, const QString &directory)
{
    if (!maybeKeepChanges(tr("The project '%1' has unsaved changes. Save them first?")
                              .arg(m_document->projectName())))
        return false;
    Diagnostics diagnostics;
    if (!m_document->openArchive(archivePath, directory, &diagnostics)) {
        reportDiagnostics(tr("The archive was not imported."), diagnostics);
        return false;
    }
    addRecentProject(m_document->rootPath());
    return true;
}

bool MainWindow::exportDiagram(const QString &fileName)
{
    DesignView *view = currentDesignView();
    if (!view)
        return false;
    const bool ok = fileName.endsWith(QStringLiteral(".svg"), Qt::CaseInsensitive)
                        ? view->scene()->exportSvg(fileName)
                        : view->scene()->exportPng(fileName);
    showStatus(ok ? tr("Wrote %1").arg(QDir::toNativeSeparators(fileName))
                  : tr("Could not write %1").arg(QDir::toNativeSeparators(fileName)));
    return ok;
}

void MainWindow::onProjectOpened()
{
    while (m_editors->count() > 0)
        delete m_editors->widget(0);
    m_center->setCurrentWidget(m_editors);
    updateTitle();
    updateActions();
    // Open the first sequence an inbound endpoint or proxy runs, else the first artifact.
    const QList<ArtifactId> sequences = m_document->artifactIds(ArtifactKind::Sequence);
    const QList<ArtifactId> all = m_document->artifactIds();
    if (!sequences.isEmpty())
        openArtifact(sequences.first());
    else if (!all.isEmpty())
        openArtifact(all.first());
}

void MainWindow::onArtifactRemoved(const ArtifactId &id)
{
    if (ArtifactEditor *editor = editorFor(id))
        delete editor;
    updateActions();
}

void MainWindow::onEditorSelection(const ArtifactId &artifact, const MediatorPath &path)
{
    emit selectionChanged(artifact, path);
}

// ----- editors

ArtifactEditor *MainWindow::editorFor(const ArtifactId &id) const
{
    for (int i = 0; i < m_editors->count(); ++i) {
        auto *editor = qobject_cast<ArtifactEditor *>(m_editors->widget(i));
        if (editor && editor->artifact() == id)
            return editor;
    }
    return nullptr;
}

ArtifactEditor *MainWindow::currentEditor() const
{
    return qobject_cast<ArtifactEditor *>(m_editors->currentWidget());
}

DesignView *MainWindow::currentDesignView() const
{
    ArtifactEditor *editor = currentEditor();
    if (!editor || editor->currentIndex() != ArtifactEditor::DesignPage)
        return nullptr;
    return editor->designView();
}

ArtifactEditor *MainWindow::openArtifact(const ArtifactId &id)
{
    if (!m_document->contains(id))
        return nullptr;
    ArtifactEditor *editor = editorFor(id);
    if (!editor) {
        editor = new ArtifactEditor(m_document, id, m_editors);
        connect(editor, &ArtifactEditor::selectionChanged, this, &MainWindow::onEditorSelection);
        connect(editor, &ArtifactEditor::statusMessage, this, &MainWindow::showStatus);
        connect(editor, &QTabWidget::currentChanged, this, &MainWindow::updateActions);
        const int index =
            m_editors->addTab(editor, studioIcon(ProjectExplorer::kindIcon(id.kind)), id.name);
        m_editors->setTabToolTip(index, m_document->artifactFile(id));
        updateTitle();
    }
    m_editors->setCurrentWidget(editor);
    m_explorer->setCurrentArtifact(id);
    updateActions();
    return editor;
}

bool MainWindow::showProblem(const Diagnostic &problem)
{
    const std::optional<ProblemLocation> where = m_document->locateProblem(problem.location);
    if (!where)
        return false;
    ArtifactEditor *editor = openArtifact(where->id);
    if (!editor)
        return false;
    if (!where->path.isRoot() && editor->currentIndex() == ArtifactEditor::DesignPage &&
        editor->designView()->selectMediator(where->id, where->path))
        return true;
    if (where->path.isRoot() || !m_document->artifactXml(where->id)) {
        editor->showSource();
        editor->sourceEditor()->goToPosition(problem.location.line, problem.location.column);
        return true;
    }
    return editor->designView()->selectMediator(where->id, where->path);
}

// ----- edit menu

bool MainWindow::copySelection()
{
    DesignView *view = currentDesignView();
    if (!view || view->selectedPath().isRoot())
        return false;
    const XmlNode *element = m_document->element(view->targetArtifact(), view->selectedPath());
    if (!element)
        return false;
    m_clipboard = *element;
    XmlWriteOptions options;
    options.declaration = false;
    QApplication::clipboard()->setText(QString::fromUtf8(writeXml(*element, options)));
    showStatus(tr("Copied %1").arg(mediatorDisplayName(*element)));
    return true;
}

bool MainWindow::pasteAfterSelection()
{
    DesignView *view = currentDesignView();
    if (!view || !m_clipboard)
        return false;
    QString error;
    if (!view->insertAfterSelection(*m_clipboard, &error)) {
        showStatus(tr("Cannot paste: %1").arg(error));
        return false;
    }
    return true;
}

bool MainWindow::deleteSelection()
{
    DesignView *view = currentDesignView();
    if (!view)
        return false;
    QString error;
    if (!view->deleteSelected(&error)) {
        showStatus(tr("Cannot delete: %1").arg(error));
        return false;
    }
    return true;
}

// ----- dialogs

void MainWindow::askNewProject()
{
    const QString directory =
        QFileDialog::getExistingDirectory(this, tr("New project: choose an empty folder"));
    if (!directory.isEmpty())
        newProject(directory);
}

void MainWindow::askOpenProject()
{
    const QString directory = QFileDialog::getExistingDirectory(this, tr("Open project"));
    if (!directory.isEmpty())
        openProject(directory);
}

void MainWindow::askOpenSample(const QString &samplePath)
{
    QString sample = samplePath;
    if (sample.isEmpty()) {
        sample = QFileDialog::getExistingDirectory(this, tr("Open sample project"),
                                                   sampleProjectsDirectory());
        if (sample.isEmpty())
            return;
    }
    const QString documents = QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation);
    const QString parent = QFileDialog::getExistingDirectory(
        this, tr("Copy the sample '%1' into").arg(QFileInfo(sample).fileName()), documents);
    if (!parent.isEmpty())
        openSample(sample, parent);
}

void MainWindow::askExportFolder()
{
    const QString directory =
        QFileDialog::getExistingDirectory(this, tr("Export project: choose an empty folder"));
    if (!directory.isEmpty())
        exportFolder(directory);
}

void MainWindow::askExportArchive()
{
    const QString file = QFileDialog::getSaveFileName(
        this, tr("Export archive"), m_document->projectName() + QStringLiteral(".zip"),
        tr("Project archives (*.zip)"));
    if (!file.isEmpty())
        exportArchive(file);
}

void MainWindow::askImportArchive()
{
    const QString archive = QFileDialog::getOpenFileName(this, tr("Import archive"), QString(),
                                                         tr("Project archives (*.zip)"));
    if (archive.isEmpty())
        return;
    const QString directory = QFileDialog::getExistingDirectory(
        this, tr("Import archive: choose an empty folder to unpack it to"));
    if (!directory.isEmpty())
        importArchive(archive, directory);
}

void MainWindow::askExportDiagram()
{
    DesignView *view = currentDesignView();
    if (!view)
        return;
    const QString file = QFileDialog::getSaveFileName(
        this, tr("Export diagram"), view->targetArtifact().name + QStringLiteral(".png"),
        tr("PNG images (*.png);;SVG drawings (*.svg)"));
    if (!file.isEmpty())
        exportDiagram(file);
}

// ----- running

void MainWindow::setRuntimeController(RuntimeController *controller)
{
    if (m_runtime) {
        m_runtime->disconnect(this);
        m_runtime->stop();
        m_runtime->deleteLater();
    }
    endDeploy(); // the old controller's answer will not come
    m_runtime = controller;
    connect(m_runtime, &RuntimeController::stateChanged, this, &MainWindow::onRuntimeState);
    connect(m_runtime, &RuntimeController::statusChanged, this, &MainWindow::onRuntimeStatus);
    connect(m_runtime, &RuntimeController::problemsReported, this, &MainWindow::onRuntimeProblems);
    connect(m_runtime, &RuntimeController::message, this, &MainWindow::showStatus);
    connect(m_runtime, &RuntimeController::eventsArrived, m_log, &LogDock::appendEvents);
    connect(m_runtime, &RuntimeController::eventsDropped, m_log, &LogDock::addDropped);
    onRuntimeState(m_runtime->state());
}

bool MainWindow::runProject()
{
    if (!m_document->isOpen() || m_runtime->isActive())
        return false;
    // The runtime reads the project from disk: unsaved edits (edited source tabs included)
    // are saved first; saving leaves unchanged files untouched.
    if (!m_document->isReadOnly() && !saveProject())
        return false;
    m_problems->setRuntimeProblems({});
    beginDeploy(tr("Deploying %1").arg(m_document->projectName()));
    m_runtime->run(m_document->rootPath());
    return true;
}

void MainWindow::stopProject()
{
    m_runtime->stop();
}

bool MainWindow::redeployProject()
{
    if (!m_document->isOpen())
        return false;
    if (!m_document->isReadOnly() && !saveProject())
        return false;
    beginDeploy(tr("Redeploying %1").arg(m_document->projectName()));
    m_runtime->redeploy(m_document->rootPath());
    return true;
}

bool MainWindow::deployToRemote(const QUrl &managementUrl, const QString &token)
{
    if (!m_document->isOpen())
        return false;
    setRuntimeController(new RemoteRuntime(managementUrl, token, this));
    return runProject();
}

void MainWindow::useEmbeddedRuntime()
{
    if (!qobject_cast<EmbeddedRuntime *>(m_runtime))
        setRuntimeController(new EmbeddedRuntime(this));
}

void MainWindow::askDeployToRemote()
{
    RemoteRuntimeDialog dialog(this);
    if (dialog.exec() != QDialog::Accepted)
        return;
    dialog.remember();
    deployToRemote(dialog.url(), dialog.token());
}

void MainWindow::onRuntimeState(RuntimeState state)
{
    switch (state) {
    case RuntimeState::Starting:
        showStatus(tr("Starting on the %1\u2026").arg(m_runtime->description()));
        break;
    case RuntimeState::Running:
        showStatus(tr("Running on the %1").arg(m_runtime->description()));
        m_logDock->raise();
        break;
    case RuntimeState::Stopped:
    case RuntimeState::Failed:
        endDeploy();
        break;
    }
    onRuntimeStatus();
    updateActions();
}

void MainWindow::onRuntimeStatus()
{
    const RuntimeStatus &status = m_runtime->status();
    const RuntimeState state = m_runtime->state();
    if (state != RuntimeState::Running) {
        m_runtimeStatus->setText(tr("Runtime %1").arg(runtimeStateName(state)));
        m_runtimeStatus->setToolTip(m_runtime->description());
    } else {
        QStringList ports;
        QStringList lines;
        for (const ListenerInfo &listener : status.listeners) {
            ports << QString::number(listener.port);
            lines << QStringLiteral("%1  %2").arg(listener.url, listener.artifact);
        }
        m_runtimeStatus->setText(
            tr("Running, listening on %1 \u00b7 %n connection(s)", nullptr,
               status.clientConnections)
                .arg(ports.isEmpty() ? tr("no ports") : ports.join(QStringLiteral(", "))));
        m_runtimeStatus->setToolTip(m_runtime->description() + QLatin1Char('\n') +
                                    lines.join(QLatin1Char('\n')));
    }
    m_connections->setConnections(m_runtime->connections());
    m_cluster->setView(m_runtime->cluster());
    // The try-it panel offers the running endpoints; it is told only when they change so
    // that it keeps what the user picked.
    QStringList ws;
    QStringList http;
    for (const ListenerInfo &listener : status.listeners)
        (listener.url.startsWith(QLatin1String("http")) ? http : ws) << listener.url;
    const QStringList urls = ws + http;
    if (urls != m_endpointUrls) {
        m_endpointUrls = urls;
        m_tryIt->setEndpoints(ws, http);
    }
}

void MainWindow::onRuntimeProblems(const QString &what, const Diagnostics &problems)
{
    endDeploy(); // every run and redeploy ends with its problems (none on success)
    m_problems->setRuntimeProblems(problems.sorted());
    if (what.isEmpty())
        return;
    showStatus(what);
    if (problems.hasErrors()) {
        m_problemsDock->raise();
    } else if (!m_confirm) {
        QMessageBox::warning(this, tr("Sluice Studio"), what);
    }
}

bool MainWindow::showMediatorAt(const SourceLocation &location)
{
    const std::optional<ProblemLocation> where = m_document->locateProblem(location);
    if (!where || where->path.isRoot())
        return false;
    ArtifactEditor *editor = openArtifact(where->id);
    if (!editor || !editor->showDesign())
        return false;
    return editor->designView()->selectMediator(where->id, where->path);
}

} // namespace sluice::studio
