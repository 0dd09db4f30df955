// SPDX-License-Identifier: Apache-2.0
#include "design_view.h"

#include "artifacts/mediator_catalog.h"
#include "widgets/flow_scene.h"
#include "widgets/flow_view.h"
#include "widgets/palette_widget.h"

#include <QLabel>
#include <QMimeData>
#include <QStackedWidget>
#include <QTabBar>
#include <QVBoxLayout>

namespace sluice::studio {

namespace {

QString problemKey(const ArtifactId &id, const MediatorPath &path)
{
    return id.toString() + QLatin1Char('|') + path.toString();
}

} // namespace

DesignView::DesignView(ProjectDocument *document, const ArtifactId &artifact, QWidget *parent)
    : QWidget(parent)
    , m_document(document)
    , m_artifact(artifact)
{
    m_tabs = new QTabBar(this);
    m_tabs->setDocumentMode(true);
    m_tabs->setExpanding(false);
    m_tabs->setDrawBase(true);
    m_scene = new FlowScene(this);
    m_view = new FlowView(m_scene);
    m_view->setFrameShape(QFrame::NoFrame);
    m_empty = new QLabel(this);
    m_empty->setAlignment(Qt::AlignCenter);
    m_empty->setWordWrap(true);
    m_empty->setMargin(24);
    m_stack = new QStackedWidget(this);
    m_stack->addWidget(m_view);
    m_stack->addWidget(m_empty);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addWidget(m_tabs);
    layout->addWidget(m_stack, 1);

    connect(m_tabs, &QTabBar::currentChanged, this, [this](int index) {
        if (index >= 0 && index != m_current) {
            m_current = index;
            rebuildFlow();
            onNodeSelected({});
        }
    });
    connect(m_scene, &FlowScene::dropRequested, this, &DesignView::onDrop);
    connect(m_scene, &FlowScene::moveRequested, this, &DesignView::onMove);
    connect(m_scene, &FlowScene::deleteRequested, this, &DesignView::onDelete);
    connect(m_scene, &FlowScene::nodeSelected, this, &DesignView::onNodeSelected);
    connect(m_document, &ProjectDocument::artifactChanged, this, &DesignView::onDocumentChanged);
    connect(m_document, &ProjectDocument::artifactAdded, this, &DesignView::onDocumentChanged);
    connect(m_document, &ProjectDocument::artifactRemoved, this, &DesignView::onDocumentChanged);
    connect(m_document, &ProjectDocument::artifactRenamed, this, &DesignView::onRenamed);
    connect(m_document, &ProjectDocument::problemsChanged, this, &DesignView::rebuildFlow);
    refresh();
}

DesignView::~DesignView() = default;

void DesignView::refresh()
{
    const QString previous = m_lists.value(m_current).label;
    m_lists = m_document->mediatorLists(m_artifact);
    int current = 0;
    for (int i = 0; i < m_lists.size(); ++i) {
        if (m_lists.at(i).label == previous)
            current = i;
    }
    m_current = current;
    {
        const QSignalBlocker blocker(m_tabs);
        while (m_tabs->count() > 0)
            m_tabs->removeTab(0);
        for (const MediatorListRef &list : m_lists) {
            QString label = list.label;
            if (list.reference)
                label += QStringLiteral(" \u2192 ") + list.reference->name;
            m_tabs->addTab(label);
        }
        m_tabs->setCurrentIndex(m_current);
    }
    m_tabs->setVisible(m_lists.size() > 1 ||
                       (m_lists.size() == 1 && m_lists.first().reference.has_value()));
    rebuildFlow();
}

void DesignView::setCurrentList(int index)
{
    if (index >= 0 && index < m_lists.size())
        m_tabs->setCurrentIndex(index);
}

bool DesignView::showList(const QString &name)
{
    for (int i = 0; i < m_lists.size(); ++i) {
        const MediatorListRef &list = m_lists.at(i);
        if (list.label == name || (list.reference && list.reference->name == name)) {
            setCurrentList(i);
            return true;
        }
    }
    return false;
}

ArtifactId DesignView::targetArtifact() const
{
    if (m_current < m_lists.size() && m_lists.at(m_current).reference)
        return *m_lists.at(m_current).reference;
    return m_artifact;
}

MediatorPath DesignView::listPath() const
{
    if (m_current >= m_lists.size() || m_lists.at(m_current).reference)
        return {};
    return m_lists.at(m_current).path;
}

MediatorPath DesignView::toDocumentPath(const FlowPath &path) const
{
    QList<int> indices = listPath().indices;
    indices.append(path);
    return MediatorPath(indices);
}

std::optional<FlowPath> DesignView::toFlowPath(const ArtifactId &id, const MediatorPath &path) const
{
    const MediatorPath base = listPath();
    if (id != targetArtifact() || !path.startsWith(base) || path.depth() == base.depth())
        return std::nullopt;
    return path.indices.mid(base.depth());
}

void DesignView::rebuildFlow()
{
    m_problemsByPath.clear();
    for (const Diagnostic &problem : m_document->problems().items()) {
        const std::optional<ProblemLocation> where = m_document->locateProblem(problem.location);
        if (where && !where->path.isRoot())
            m_problemsByPath.insert(problemKey(where->id, where->path), problem.message);
    }

    const ArtifactId target = targetArtifact();
    const XmlNode *list =
        m_current < m_lists.size() ? m_document->element(target, listPath()) : nullptr;
    if (!list) {
        if (m_lists.isEmpty())
            m_empty->setText(tr("This %1 holds no mediators: edit it in the Source tab or in "
                                "the properties.")
                                 .arg(artifactKindInfo(m_artifact.kind).description));
        else if (m_current < m_lists.size() && m_lists.at(m_current).reference &&
                 !m_document->contains(target))
            m_empty->setText(tr("The sequence '%1' is not part of this project.").arg(target.name));
        else
            m_empty->setText(tr("The XML of this artifact does not parse: correct it in the "
                                "Source tab."));
        m_stack->setCurrentWidget(m_empty);
        m_scene->setFlow({}, QString());
        return;
    }
    m_stack->setCurrentWidget(m_view);
    QString title = target.name;
    if (!m_lists.at(m_current).reference && m_lists.size() > 1)
        title = m_artifact.name + QStringLiteral(" \u00b7 ") + m_lists.at(m_current).label;
    m_scene->setFlow(buildNodes(*list, {}, target, listPath()), title);
}

QList<FlowNode> DesignView::buildNodes(const XmlNode &list, const FlowPath &prefix,
                                       const ArtifactId &id, const MediatorPath &base) const
{
    QList<FlowNode> nodes;
    int index = -1;
    for (const XmlNode &child : list.children) {
        if (!child.isElement())
            continue;
        ++index;
        if (!isMediatorElement(child))
            continue;
        FlowNode node;
        node.icon = mediatorIconName(child);
        node.title = mediatorDisplayName(child);
        node.summary = summarize(child);
        // The card's title already names the mediator; the line under it says what it does.
        if (isKnownMediator(child) && node.summary.startsWith(child.name + QLatin1Char(' ')))
            node.summary = node.summary.mid(child.name.size() + 1);
        node.opaque = !isKnownMediator(child);
        node.path = prefix;
        node.path.append(index);
        QList<int> documentIndices = base.indices;
        documentIndices.append(node.path);
        node.problem = problemAt(id, MediatorPath(documentIndices));
        if (!node.opaque) {
            const QList<const XmlNode *> elements = child.childElements();
            for (const MediatorBranch &branch : mediatorBranches(child)) {
                FlowBranch flowBranch;
                flowBranch.label = branch.label;
                flowBranch.path = node.path;
                const XmlNode *holder = &child;
                if (branch.elementIndex >= 0 && branch.elementIndex < elements.size()) {
                    flowBranch.path.append(branch.elementIndex);
                    holder = elements.at(branch.elementIndex);
                }
                flowBranch.nodes = buildNodes(*holder, flowBranch.path, id, base);
                node.branches.append(flowBranch);
            }
        }
        nodes.append(node);
    }
    return nodes;
}

QString DesignView::problemAt(const ArtifactId &id, const MediatorPath &path) const
{
    return m_problemsByPath.value(problemKey(id, path));
}

bool DesignView::selectMediator(const ArtifactId &id, const MediatorPath &path)
{
    if (!toFlowPath(id, path)) {
        for (int i = 0; i < m_lists.size(); ++i) {
            const MediatorListRef &list = m_lists.at(i);
            const ArtifactId listArtifact = list.reference ? *list.reference : m_artifact;
            const MediatorPath base = list.reference ? MediatorPath() : list.path;
            if (listArtifact == id && path.startsWith(base) && path.depth() > base.depth()) {
                setCurrentList(i);
                break;
            }
        }
    }
    const std::optional<FlowPath> flowPath = toFlowPath(id, path);
    if (!flowPath)
        return false;
    // The innermost drawn node at or above the path (a problem may lie in a setting element).
    FlowPath candidate = *flowPath;
    while (!candidate.isEmpty() && !m_scene->nodeItem(candidate))
        candidate.removeLast();
    if (candidate.isEmpty())
        return false;
    m_scene->selectNode(candidate);
    return true;
}

MediatorPath DesignView::selectedPath() const
{
    const FlowPath path = m_scene->selectedPath();
    return path.isEmpty() ? MediatorPath() : toDocumentPath(path);
}

bool DesignView::deleteSelected(QString *error)
{
    const FlowPath path = m_scene->selectedPath();
    if (path.isEmpty()) {
        if (error)
            *error = tr("no mediator is selected");
        return false;
    }
    return m_document->removeMediator(targetArtifact(), toDocumentPath(path), error);
}

bool DesignView::insertAfterSelection(const XmlNode &mediator, QString *error)
{
    const FlowPath selected = m_scene->selectedPath();
    if (selected.isEmpty()) {
        const XmlNode *list = m_document->element(targetArtifact(), listPath());
        const int count = list ? int(list->childElements().size()) : 0;
        return m_document->insertMediator(targetArtifact(), listPath(), count, mediator, error);
    }
    FlowPath parent = selected;
    parent.removeLast();
    return m_document->insertMediator(targetArtifact(), toDocumentPath(parent), selected.last() + 1,
                                      mediator, error);
}

bool DesignView::insertAfterSelection(const QString &elementName, QString *error)
{
    const MediatorDescription *description = findMediatorDescription(elementName);
    if (!description) {
        if (error)
            *error = tr("unknown mediator '%1'").arg(elementName);
        return false;
    }
    return insertAfterSelection(description->createElement(), error);
}

void DesignView::onDocumentChanged(const ArtifactId &id)
{
    if (id == m_artifact || id == targetArtifact() ||
        (id.kind == ArtifactKind::Sequence && m_artifact.kind != ArtifactKind::Sequence))
        refresh();
}

void DesignView::onRenamed(const ArtifactId &oldId, const ArtifactId &newId)
{
    if (oldId == m_artifact)
        m_artifact = newId;
    refresh();
}

void DesignView::onDrop(const QList<int> &parentPath, int index, const QMimeData *mimeData)
{
    const QString element = PaletteWidget::elementFromMimeData(mimeData);
    if (element.isEmpty())
        return;
    const ArtifactId target = targetArtifact();
    const MediatorPath parent = toDocumentPath(parentPath);
    QString error;
    if (!m_document->insertMediator(target, parent, index, element, &error)) {
        refuse(error);
        return;
    }
    FlowPath inserted = parentPath;
    inserted.append(index);
    m_scene->selectNode(inserted);
}

void DesignView::onMove(const QList<int> &from, const QList<int> &toParent, int index)
{
    QString error;
    if (!m_document->moveMediator(targetArtifact(), toDocumentPath(from), toDocumentPath(toParent),
                                  index, &error))
        refuse(error);
}

void DesignView::onDelete(const QList<int> &path)
{
    QString error;
    if (!m_document->removeMediator(targetArtifact(), toDocumentPath(path), &error))
        refuse(error);
}

void DesignView::onNodeSelected(const QList<int> &path)
{
    if (path.isEmpty())
        emit selectionChanged(m_artifact, MediatorPath());
    else
        emit selectionChanged(targetArtifact(), toDocumentPath(path));
}

void DesignView::refuse(const QString &error)
{
    emit editRefused(error);
}

} // namespace sluice::studio
