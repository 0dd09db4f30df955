// SPDX-License-Identifier: Apache-2.0
#include "project_explorer.h"

#include "model/project_document.h"
#include "widgets/icons.h"

#include <QHeaderView>
#include <QInputDialog>
#include <QMenu>
#include <QMessageBox>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace sluice::studio {

namespace {

constexpr int kKindRole = Qt::UserRole + 1;
constexpr int kNameRole = Qt::UserRole + 2;
constexpr int kIsArtifactRole = Qt::UserRole + 3;

} // namespace

ProjectExplorer::ProjectExplorer(ProjectDocument *document, QWidget *parent)
    : QWidget(parent)
    , m_document(document)
{
    m_tree = new QTreeWidget(this);
    m_tree->setHeaderHidden(true);
    m_tree->setRootIsDecorated(true);
    m_tree->setUniformRowHeights(true);
    m_tree->setIconSize(QSize(18, 18));
    m_tree->setContextMenuPolicy(Qt::CustomContextMenu);
    m_tree->setFrameShape(QFrame::NoFrame);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_tree);

    connect(m_tree, &QTreeWidget::customContextMenuRequested, this,
            &ProjectExplorer::showContextMenu);
    connect(m_tree, &QTreeWidget::itemActivated, this, [this](QTreeWidgetItem *item) {
        if (item && item->data(0, kIsArtifactRole).toBool())
            emit artifactActivated(idOf(item));
    });
    connect(m_document, &ProjectDocument::projectOpened, this, &ProjectExplorer::rebuild);
    connect(m_document, &ProjectDocument::projectClosed, this, &ProjectExplorer::rebuild);
    connect(m_document, &ProjectDocument::artifactAdded, this, &ProjectExplorer::rebuild);
    connect(m_document, &ProjectDocument::artifactRemoved, this, &ProjectExplorer::rebuild);
    connect(m_document, &ProjectDocument::artifactRenamed, this, &ProjectExplorer::rebuild);
    connect(m_document, &ProjectDocument::artifactChanged, this, &ProjectExplorer::rebuild);
    connect(m_document, &ProjectDocument::saved, this, &ProjectExplorer::rebuild);
    rebuild();
}

ProjectExplorer::~ProjectExplorer() = default;

QList<ArtifactKind> ProjectExplorer::kindOrder()
{
    return {ArtifactKind::Sequence, ArtifactKind::ProxyService, ArtifactKind::InboundEndpoint,
            ArtifactKind::Endpoint, ArtifactKind::Api,          ArtifactKind::LocalEntry};
}

QString ProjectExplorer::kindTitle(ArtifactKind kind)
{
    switch (kind) {
    case ArtifactKind::Sequence:
        return tr("Sequences");
    case ArtifactKind::ProxyService:
        return tr("Proxy services");
    case ArtifactKind::InboundEndpoint:
        return tr("Inbound endpoints");
    case ArtifactKind::Endpoint:
        return tr("Endpoints");
    case ArtifactKind::Api:
        return tr("APIs");
    case ArtifactKind::LocalEntry:
        return tr("Local entries");
    }
    return QString();
}

QString ProjectExplorer::kindIcon(ArtifactKind kind)
{
    switch (kind) {
    case ArtifactKind::Sequence:
        return QStringLiteral("artifact-sequence");
    case ArtifactKind::ProxyService:
        return QStringLiteral("artifact-proxy");
    case ArtifactKind::InboundEndpoint:
        return QStringLiteral("artifact-inbound-endpoint");
    case ArtifactKind::Endpoint:
        return QStringLiteral("artifact-endpoint");
    case ArtifactKind::Api:
        return QStringLiteral("artifact-api");
    case ArtifactKind::LocalEntry:
        return QStringLiteral("artifact-local-entry");
    }
    return QString();
}

ArtifactId ProjectExplorer::idOf(const QTreeWidgetItem *item) const
{
    ArtifactId id;
    id.kind = static_cast<ArtifactKind>(item->data(0, kKindRole).toInt());
    id.name = item->data(0, kNameRole).toString();
    return id;
}

void ProjectExplorer::rebuild()
{
    const std::optional<ArtifactId> current = currentArtifact();
    QSet<int> collapsed;
    for (int i = 0; i < m_tree->topLevelItemCount(); ++i) {
        if (!m_tree->topLevelItem(i)->isExpanded())
            collapsed.insert(m_tree->topLevelItem(i)->data(0, kKindRole).toInt());
    }
    m_tree->clear();
    if (!m_document->isOpen())
        return;
    for (ArtifactKind kind : kindOrder()) {
        const QList<ArtifactId> ids = m_document->artifactIds(kind);
        auto *group = new QTreeWidgetItem(m_tree);
        group->setText(0, QStringLiteral("%1 (%2)").arg(kindTitle(kind)).arg(ids.size()));
        group->setData(0, kKindRole, int(kind));
        group->setData(0, kIsArtifactRole, false);
        group->setFlags(Qt::ItemIsEnabled);
        QFont font = group->font(0);
        font.setBold(true);
        group->setFont(0, font);
        for (const ArtifactId &id : ids) {
            auto *item = new QTreeWidgetItem(group);
            const bool modified = m_document->isArtifactModified(id);
            item->setText(0, modified ? id.name + QStringLiteral(" *") : id.name);
            item->setIcon(0, studioIcon(kindIcon(kind)));
            item->setToolTip(0, m_document->artifactFile(id));
            item->setData(0, kKindRole, int(kind));
            item->setData(0, kNameRole, id.name);
            item->setData(0, kIsArtifactRole, true);
        }
        group->setExpanded(!collapsed.contains(int(kind)) && !ids.isEmpty());
    }
    if (current)
        setCurrentArtifact(*current);
}

std::optional<ArtifactId> ProjectExplorer::currentArtifact() const
{
    const QTreeWidgetItem *item = m_tree->currentItem();
    if (!item || !item->data(0, kIsArtifactRole).toBool())
        return std::nullopt;
    return idOf(item);
}

QTreeWidgetItem *ProjectExplorer::groupItem(ArtifactKind kind) const
{
    for (int i = 0; i < m_tree->topLevelItemCount(); ++i) {
        if (m_tree->topLevelItem(i)->data(0, kKindRole).toInt() == int(kind))
            return m_tree->topLevelItem(i);
    }
    return nullptr;
}

QTreeWidgetItem *ProjectExplorer::itemFor(const ArtifactId &id) const
{
    QTreeWidgetItem *group = groupItem(id.kind);
    for (int i = 0; group && i < group->childCount(); ++i) {
        if (group->child(i)->data(0, kNameRole).toString() == id.name)
            return group->child(i);
    }
    return nullptr;
}

void ProjectExplorer::setCurrentArtifact(const ArtifactId &id)
{
    if (QTreeWidgetItem *item = itemFor(id)) {
        const QSignalBlocker blocker(m_tree);
        m_tree->setCurrentItem(item);
    }
}

bool ProjectExplorer::addArtifact(ArtifactKind kind, const QString &name)
{
    QString error;
    const std::optional<ArtifactId> id = m_document->addArtifact(kind, name, &error);
    if (!id) {
        emit statusMessage(tr("Cannot add '%1': %2").arg(name, error));
        return false;
    }
    setCurrentArtifact(*id);
    emit artifactActivated(*id);
    return true;
}

bool ProjectExplorer::renameArtifact(const ArtifactId &id, const QString &newName)
{
    QString error;
    if (!m_document->renameArtifact(id, newName, &error)) {
        emit statusMessage(tr("Cannot rename '%1': %2").arg(id.name, error));
        return false;
    }
    return true;
}

bool ProjectExplorer::duplicateArtifact(const ArtifactId &id, const QString &newName)
{
    QString error;
    const std::optional<ArtifactId> copy = m_document->duplicateArtifact(id, newName, &error);
    if (!copy) {
        emit statusMessage(tr("Cannot duplicate '%1': %2").arg(id.name, error));
        return false;
    }
    setCurrentArtifact(*copy);
    return true;
}

bool ProjectExplorer::deleteArtifact(const ArtifactId &id, bool confirm)
{
    if (confirm) {
        const QList<ArtifactReference> references = m_document->referencesTo(id);
        QString text =
            tr("Delete the %1 '%2'?").arg(artifactKindInfo(id.kind).description, id.name);
        if (!references.isEmpty()) {
            QStringList lines;
            for (const ArtifactReference &reference : references)
                lines.append(QStringLiteral("\u2022 ") + reference.describe());
            text += QLatin1String("\n\n") + tr("These references will point to nothing:") +
                    QLatin1Char('\n') + lines.join(QLatin1Char('\n'));
        }
        if (QMessageBox::warning(this, tr("Delete artifact"), text,
                                 QMessageBox::Yes | QMessageBox::Cancel,
                                 QMessageBox::Cancel) != QMessageBox::Yes)
            return false;
    }
    QList<ArtifactReference> dangling;
    QString error;
    if (!m_document->deleteArtifact(id, &dangling, &error)) {
        emit statusMessage(tr("Cannot delete '%1': %2").arg(id.name, error));
        return false;
    }
    if (!dangling.isEmpty())
        emit statusMessage(
            tr("Deleted '%1'; %n reference(s) now point to nothing", nullptr, int(dangling.size()))
                .arg(id.name));
    return true;
}

void ProjectExplorer::askAdd(ArtifactKind kind)
{
    bool ok = false;
    const QString name =
        QInputDialog::getText(this, tr("Add %1").arg(artifactKindInfo(kind).description),
                              tr("Name:"), QLineEdit::Normal, QString(), &ok);
    if (ok && !name.trimmed().isEmpty())
        addArtifact(kind, name.trimmed());
}

void ProjectExplorer::askRename(const ArtifactId &id)
{
    bool ok = false;
    const QString name = QInputDialog::getText(this, tr("Rename %1").arg(id.name), tr("New name:"),
                                               QLineEdit::Normal, id.name, &ok);
    if (ok && !name.trimmed().isEmpty() && name.trimmed() != id.name)
        renameArtifact(id, name.trimmed());
}

void ProjectExplorer::askDuplicate(const ArtifactId &id)
{
    bool ok = false;
    const QString name =
        QInputDialog::getText(this, tr("Duplicate %1").arg(id.name), tr("Name of the copy:"),
                              QLineEdit::Normal, id.name + QStringLiteral("Copy"), &ok);
    if (ok && !name.trimmed().isEmpty())
        duplicateArtifact(id, name.trimmed());
}

void ProjectExplorer::showContextMenu(const QPoint &position)
{
    if (!m_document->isOpen())
        return;
    QTreeWidgetItem *item = m_tree->itemAt(position);
    QMenu menu(this);
    const bool readOnly = m_document->isReadOnly();
    if (item && item->data(0, kIsArtifactRole).toBool()) {
        const ArtifactId id = idOf(item);
        menu.addAction(tr("Open"), this, [this, id] { emit artifactActivated(id); });
        menu.addSeparator();
        menu.addAction(tr("Rename\u2026"), this, [this, id] { askRename(id); })
            ->setEnabled(!readOnly);
        menu.addAction(tr("Duplicate\u2026"), this, [this, id] { askDuplicate(id); })
            ->setEnabled(!readOnly);
        menu.addAction(studioIcon(QStringLiteral("mediator-drop")), tr("Delete\u2026"), this,
                       [this, id] { deleteArtifact(id); })
            ->setEnabled(!readOnly);
        menu.addSeparator();
    }
    QMenu *add = menu.addMenu(tr("Add"));
    add->setEnabled(!readOnly);
    for (ArtifactKind kind : kindOrder()) {
        add->addAction(studioIcon(kindIcon(kind)),
                       tr("%1\u2026").arg(artifactKindInfo(kind).description), this,
                       [this, kind] { askAdd(kind); });
    }
    menu.exec(m_tree->viewport()->mapToGlobal(position));
}

} // namespace sluice::studio
