// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "artifacts/diagnostics.h"
#include "artifacts/xml_node.h"
#include "model/artifact_id.h"
#include "runtime/runtime_status.h"
#include "theme.h"

#include <QMainWindow>
#include <functional>
#include <optional>

class QAction;
class QDockWidget;
class QLabel;
class QMenu;
class QStackedWidget;
class QTabWidget;
class QToolBar;
class QUndoView;
class QUrl;

namespace sluice::studio {

class ArtifactEditor;
class BusyIndicator;
class ClusterPanel;
class ConnectionsView;
class DesignView;
class LogDock;
class PaletteWidget;
class ProblemsView;
class ProjectDocument;
class ProjectExplorer;
class RuntimeController;
class StartPage;
class TryItPanel;
enum class RuntimeState;

// The studio's main window: the start page or the open artifacts' editors (one tab each) in the
// middle, the project explorer and the mediator palette on the left, the properties of the
// selection on the right, problems and undo history at the bottom.
class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    // What to do with unsaved changes before they would be lost.
    enum class UnsavedChoice { Save, Discard, Cancel };
    using ConfirmHandler = std::function<UnsavedChoice(const QString &question)>;

    explicit MainWindow(QWidget *parent = nullptr);
    ~MainWindow() override;

    ProjectDocument *document() const { return m_document; }
    ProjectExplorer *explorer() const { return m_explorer; }
    PaletteWidget *palette() const { return m_palette; }
    ProblemsView *problemsView() const { return m_problems; }
    StartPage *startPage() const { return m_startPage; }
    QWidget *propertiesPanel() const { return m_properties; }
    QTabWidget *editorTabs() const { return m_editors; }
    QDockWidget *propertiesDock() const { return m_propertiesDock; }
    LogDock *logDock() const { return m_log; }
    QDockWidget *logDockWidget() const { return m_logDock; }
    QDockWidget *clusterDockWidget() const { return m_clusterDock; }
    ConnectionsView *connectionsView() const { return m_connections; }
    ClusterPanel *clusterPanel() const { return m_cluster; }
    TryItPanel *tryItPanel() const { return m_tryIt; }
    QLabel *runtimeStatusLabel() const { return m_runtimeStatus; }
    // The status bar's indicator of long operations (deploy, open and check, export).
    BusyIndicator *busyIndicator() const { return m_busy; }

    // ----- projects

    // Asks about unsaved changes first (false when the user cancels or opening fails).
    bool openProject(const QString &path);
    bool newProject(const QString &directory);
    // Copies a bundled sample into `parentDirectory`/<sample name> (with a number appended
    // when that exists) and opens the copy, so that the bundled files stay as they are.
    bool openSample(const QString &samplePath, const QString &parentDirectory);
    bool saveProject();
    bool closeProject();
    bool exportFolder(const QString &directory);
    bool exportArchive(const QString &archivePath);
    bool importArchive(const QString &archivePath, const QString &directory);
    // The current design canvas as PNG or SVG (by the file's suffix).
    bool exportDiagram(const QString &fileName);

    // ----- editors

    ArtifactEditor *openArtifact(const ArtifactId &id);
    ArtifactEditor *currentEditor() const;
    ArtifactEditor *editorFor(const ArtifactId &id) const;
    DesignView *currentDesignView() const;
    // Opens the artifact of a problem and selects its mediator (or the source position).
    bool showProblem(const Diagnostic &problem);

    // ----- edits of the design selection (Edit menu)

    bool copySelection();
    bool pasteAfterSelection();
    bool deleteSelection();

    // ----- running (Run menu)

    // The runtime Run / Stop / Redeploy act on: the embedded one unless deployToRemote() chose
    // a remote one. Never null.
    RuntimeController *runtime() const { return m_runtime; }
    // Saves the project (Run deploys what is on disk) and starts it on the runtime; false when
    // nothing is open or saving failed. Whether it started is reported by the runtime's
    // stateChanged(), its problems go to the problems view.
    bool runProject();
    void stopProject();
    // Saves and hot-redeploys: connected clients stay connected.
    bool redeployProject();
    // Switches Run / Redeploy to the runtime behind a management API and deploys there.
    bool deployToRemote(const QUrl &managementUrl, const QString &token);
    // Back to the embedded runtime (stops watching the remote one).
    void useEmbeddedRuntime();
    // Opens the artifact a runtime event's mediator was read from and selects the mediator.
    bool showMediatorAt(const sluice::SourceLocation &location);

    // ----- unsaved changes

    // Replaces the question dialog (tests); nullptr restores QMessageBox.
    void setConfirmHandler(ConfirmHandler handler) { m_confirm = std::move(handler); }
    // Asks what to do with unsaved changes (and saves when told so); true to go on.
    bool maybeKeepChanges(const QString &question);

    Theme theme() const { return m_theme; }
    void setTheme(Theme theme);

    QAction *undoAction() const { return m_undoAction; }
    QAction *redoAction() const { return m_redoAction; }

signals:
    void selectionChanged(const sluice::studio::ArtifactId &artifact,
                          const sluice::studio::MediatorPath &path);

protected:
    void closeEvent(QCloseEvent *event) override;
    void showEvent(QShowEvent *event) override;
    virtual UnsavedChoice askUnsaved(const QString &question);

private:
    void createDocks();
    void createMenus();
    void updateTitle();
    void updateActions();
    void updateRecentMenu();
    void onProjectOpened();
    void onArtifactRemoved(const ArtifactId &id);
    void onEditorSelection(const ArtifactId &artifact, const MediatorPath &path);
    void showStatus(const QString &message);
    // The busy indicator for a run / redeploy until the runtime answers (problemsReported, or
    // a stop).
    void beginDeploy(const QString &what);
    void endDeploy();
    void reportDiagnostics(const QString &what, const Diagnostics &diagnostics);

    void askNewProject();
    void askOpenProject();
    void askOpenSample(const QString &samplePath = QString());
    void askExportFolder();
    void askExportArchive();
    void askImportArchive();
    void askExportDiagram();
    void askDeployToRemote();

    void setRuntimeController(RuntimeController *controller);
    void onRuntimeState(RuntimeState state);
    void onRuntimeStatus();
    void onRuntimeProblems(const QString &what, const sluice::Diagnostics &problems);

    ProjectDocument *m_document = nullptr;
    QStackedWidget *m_center = nullptr;
    StartPage *m_startPage = nullptr;
    QTabWidget *m_editors = nullptr;
    ProjectExplorer *m_explorer = nullptr;
    PaletteWidget *m_palette = nullptr;
    ProblemsView *m_problems = nullptr;
    QWidget *m_properties = nullptr;
    QUndoView *m_undoView = nullptr;
    QDockWidget *m_explorerDock = nullptr;
    QDockWidget *m_paletteDock = nullptr;
    QDockWidget *m_propertiesDock = nullptr;
    QDockWidget *m_problemsDock = nullptr;
    QDockWidget *m_undoDock = nullptr;
    LogDock *m_log = nullptr;
    QDockWidget *m_logDock = nullptr;
    ConnectionsView *m_connections = nullptr;
    QDockWidget *m_connectionsDock = nullptr;
    ClusterPanel *m_cluster = nullptr;
    QDockWidget *m_clusterDock = nullptr;
    TryItPanel *m_tryIt = nullptr;
    QDockWidget *m_tryItDock = nullptr;
    RuntimeController *m_runtime = nullptr;
    QLabel *m_runtimeStatus = nullptr;
    BusyIndicator *m_busy = nullptr;
    bool m_deployPending = false; // a run or redeploy waits for the runtime's answer
    QStringList m_endpointUrls;   // what the try-it panel was last given
    QAction *m_runAction = nullptr;
    QAction *m_stopAction = nullptr;
    QAction *m_redeployAction = nullptr;
    QAction *m_remoteAction = nullptr;
    QAction *m_embeddedAction = nullptr;
    QLabel *m_problemCount = nullptr;
    QMenu *m_recentMenu = nullptr;
    QAction *m_undoAction = nullptr;
    QAction *m_redoAction = nullptr;
    QList<QAction *> m_projectActions; // enabled while a project is open
    QList<QAction *> m_editActions;    // enabled while a design view is current
    QAction *m_saveAction = nullptr;
    QAction *m_darkAction = nullptr;
    std::optional<XmlNode> m_clipboard;
    ConfirmHandler m_confirm;
    Theme m_theme = Theme::Light;
    bool m_docksSized = false;
};

} // namespace sluice::studio
