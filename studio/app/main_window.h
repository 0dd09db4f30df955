// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "artifacts/diagnostics.h"
#include "artifacts/xml_node.h"
#include "model/artifact_id.h"
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
class QUndoView;

namespace sluice::studio {

class ArtifactEditor;
class DesignView;
class PaletteWidget;
class ProblemsView;
class ProjectDocument;
class ProjectExplorer;
class StartPage;

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
    void reportDiagnostics(const QString &what, const Diagnostics &diagnostics);

    void askNewProject();
    void askOpenProject();
    void askOpenSample(const QString &samplePath = QString());
    void askExportFolder();
    void askExportArchive();
    void askImportArchive();
    void askExportDiagram();

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
