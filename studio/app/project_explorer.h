// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "model/artifact_id.h"

#include <QWidget>
#include <optional>

class QTreeWidget;
class QTreeWidgetItem;

namespace sluice::studio {

class ProjectDocument;

// The artifacts of the project grouped by kind (sequences, proxy services, inbound endpoints,
// endpoints, APIs, local entries), with a context menu to add, rename, duplicate and delete
// them through the document's undoable edits.
class ProjectExplorer : public QWidget {
    Q_OBJECT
public:
    explicit ProjectExplorer(ProjectDocument *document, QWidget *parent = nullptr);
    ~ProjectExplorer() override;

    QTreeWidget *tree() const { return m_tree; }
    std::optional<ArtifactId> currentArtifact() const;
    void setCurrentArtifact(const ArtifactId &id);
    QTreeWidgetItem *itemFor(const ArtifactId &id) const;
    QTreeWidgetItem *groupItem(ArtifactKind kind) const;

    // The context menu's actions, without dialogs where a name is given (for tests and the
    // main window). false and a message in the status signal when refused.
    bool addArtifact(ArtifactKind kind, const QString &name);
    bool renameArtifact(const ArtifactId &id, const QString &newName);
    bool duplicateArtifact(const ArtifactId &id, const QString &newName);
    // Asks first (listing the references still pointing to it) when `confirm` is set.
    bool deleteArtifact(const ArtifactId &id, bool confirm = true);

    // The group order and titles of the tree.
    static QList<ArtifactKind> kindOrder();
    static QString kindTitle(ArtifactKind kind);
    static QString kindIcon(ArtifactKind kind);

public slots:
    void rebuild();

signals:
    void artifactActivated(const sluice::studio::ArtifactId &id);
    void statusMessage(const QString &message);

private:
    void showContextMenu(const QPoint &position);
    void askAdd(ArtifactKind kind);
    void askRename(const ArtifactId &id);
    void askDuplicate(const ArtifactId &id);
    ArtifactId idOf(const QTreeWidgetItem *item) const;

    ProjectDocument *m_document;
    QTreeWidget *m_tree = nullptr;
};

} // namespace sluice::studio
