// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "model/artifact_id.h"
#include "model/project_document.h"
#include "widgets/flow_node.h"

#include <QList>
#include <QWidget>

class QLabel;
class QMimeData;
class QStackedWidget;
class QTabBar;

namespace sluice::studio {

class FlowScene;
class FlowView;

// The design canvas of one artifact: a FlowView + FlowScene showing one of the artifact's
// mediator lists (ProjectDocument::mediatorLists) at a time, with a tab bar to choose among
// them (a proxy's in / out / fault sequences, an inbound endpoint's dispatch sequences). A list
// that names another sequence shows (and edits) that sequence. Drops, moves and deletes on the
// canvas become document edits; the canvas is rebuilt from the document's signals.
class DesignView : public QWidget {
    Q_OBJECT
public:
    DesignView(ProjectDocument *document, const ArtifactId &artifact, QWidget *parent = nullptr);
    ~DesignView() override;

    ArtifactId artifact() const { return m_artifact; }
    FlowScene *scene() const { return m_scene; }
    FlowView *view() const { return m_view; }

    QList<MediatorListRef> lists() const { return m_lists; }
    int currentList() const { return m_current; }
    void setCurrentList(int index);
    // Selects the list whose label or referenced sequence is `name`; false when none is.
    bool showList(const QString &name);

    // The artifact whose mediators the canvas shows (the referenced sequence, or the artifact)
    // and the path of the shown list's element in it.
    ArtifactId targetArtifact() const;
    MediatorPath listPath() const;
    // Document path of a canvas path, and the other way round (nullopt outside the list).
    MediatorPath toDocumentPath(const FlowPath &path) const;
    std::optional<FlowPath> toFlowPath(const ArtifactId &id, const MediatorPath &path) const;

    // Selects the mediator at a document path of `id` (switching lists when another shows it).
    bool selectMediator(const ArtifactId &id, const MediatorPath &path);
    // The selected mediator as a document path of targetArtifact(); empty when none is.
    MediatorPath selectedPath() const;

    // Edits of the selection (Edit menu): false and *error when refused.
    bool deleteSelected(QString *error = nullptr);
    // Inserts after the selection, or at the end of the list when nothing is selected.
    bool insertAfterSelection(const XmlNode &mediator, QString *error = nullptr);
    bool insertAfterSelection(const QString &elementName, QString *error = nullptr);

    // Rebuilds from the document.
    void refresh();

signals:
    // The canvas selection: a mediator, or (empty path) the artifact itself.
    void selectionChanged(const sluice::studio::ArtifactId &artifact,
                          const sluice::studio::MediatorPath &path);
    // An edit the document refused, for the status bar.
    void editRefused(const QString &message);

private:
    void onDocumentChanged(const ArtifactId &id);
    void onRenamed(const ArtifactId &oldId, const ArtifactId &newId);
    void onDrop(const QList<int> &parentPath, int index, const QMimeData *mimeData);
    void onMove(const QList<int> &from, const QList<int> &toParent, int index);
    void onDelete(const QList<int> &path);
    void onNodeSelected(const QList<int> &path);
    void rebuildFlow();
    QList<FlowNode> buildNodes(const XmlNode &list, const FlowPath &prefix, const ArtifactId &id,
                               const MediatorPath &base) const;
    QString problemAt(const ArtifactId &id, const MediatorPath &path) const;
    void refuse(const QString &error);

    ProjectDocument *m_document;
    ArtifactId m_artifact;
    QList<MediatorListRef> m_lists;
    int m_current = 0;
    QTabBar *m_tabs = nullptr;
    QStackedWidget *m_stack = nullptr;
    QLabel *m_empty = nullptr;
    FlowScene *m_scene = nullptr;
    FlowView *m_view = nullptr;
    QHash<QString, QString> m_problemsByPath; // "<artifact>|<path>" -> message
};

} // namespace sluice::studio
