// SPDX-License-Identifier: Apache-2.0
#include "flow_scene.h"

#include <QDrag>
#include <QFileInfo>
#include <QGraphicsSceneDragDropEvent>
#include <QGuiApplication>
#include <QImage>
#include <QKeyEvent>
#include <QMimeData>
#include <QPainter>
#include <QScreen>
#include <QSvgGenerator>
#include <QWidget>
#include <atomic>
#include <utility>

namespace sluice::studio {

using namespace FlowMetrics;

namespace {

const QString kFlowSceneMimeType = QStringLiteral("application/x-sluice-flow-scene");
constexpr qreal kDropMarkSize = 18;
constexpr qreal kContentMargin = 24;

bool opensBranches(const FlowNode &node)
{
    return !node.opaque && !node.branches.isEmpty();
}

// Fills in paths the model left empty: the parent's path + the position.
void completePaths(QList<FlowNode> &nodes, const FlowPath &parentPath)
{
    for (int i = 0; i < nodes.size(); ++i) {
        FlowNode &node = nodes[i];
        if (node.path.isEmpty()) {
            node.path = parentPath;
            node.path.append(i);
        }
        for (int b = 0; b < node.branches.size(); ++b)
            completePaths(node.branches[b].nodes, branchPath(node, b));
    }
}

// The insertion index "before this node": its child-element index.
int insertionIndex(const FlowNode &node, int position)
{
    return node.path.isEmpty() ? position : node.path.last();
}

bool startsWith(const FlowPath &path, const FlowPath &prefix)
{
    return path.size() >= prefix.size() && path.mid(0, prefix.size()) == prefix;
}

const QList<FlowNodeItem *> *firstNonEmptyBranch(const FlowNodeItem *item)
{
    for (const QList<FlowNodeItem *> &branch : item->branchItems) {
        if (!branch.isEmpty())
            return &branch;
    }
    return nullptr;
}

} // namespace

// Lays the flow out: measures (cached per node and list) and then creates the items.
class FlowScene::Builder {
public:
    explicit Builder(FlowScene *scene)
        : m_scene(scene)
        , m_style(&scene->m_style)
        , m_labelMetrics(scene->m_style.labelFont)
    {
    }

    QSizeF listSize(const QList<FlowNode> &nodes)
    {
        if (const auto found = m_listSizes.constFind(&nodes); found != m_listSizes.constEnd())
            return *found;
        QSizeF size(kEmptyWidth, kGap + kEmptyHeight);
        if (!nodes.isEmpty()) {
            size = QSizeF(0, kGap);
            for (const FlowNode &node : nodes) {
                const QSizeF child = nodeSize(node);
                size.setWidth(qMax(size.width(), child.width()));
                size.rheight() += child.height() + kGap;
            }
        }
        m_listSizes.insert(&nodes, size);
        return size;
    }

    QSizeF nodeSize(const FlowNode &node)
    {
        if (!opensBranches(node))
            return {kNodeWidth, kNodeHeight};
        if (const auto found = m_nodeSizes.constFind(&node); found != m_nodeSizes.constEnd())
            return *found;
        qreal content = kBranchGap * (node.branches.size() - 1);
        qreal columns = 0;
        for (const FlowBranch &branch : node.branches) {
            content += columnWidth(branch);
            columns = qMax(columns, listSize(branch.nodes).height());
        }
        const QSizeF size(qMax(kNodeWidth, content) + 2 * kFramePadding,
                          kFramePadding + kNodeHeight + kSplitHeight + kLabelHeight + columns +
                              kMergeHeight);
        m_nodeSizes.insert(&node, size);
        return size;
    }

    qreal labelWidth(const FlowBranch &branch) const
    {
        return qMin(kNodeWidth, m_labelMetrics.horizontalAdvance(branch.label) + 24);
    }

    qreal columnWidth(const FlowBranch &branch)
    {
        return qMax(listSize(branch.nodes).width(), labelWidth(branch));
    }

    // Places a list on the vertical line x = axis between top and bottom (bottom may be lower
    // than the list needs: the last connector stretches). catchAbove widens the first drop
    // target upwards (over a branch label).
    void placeList(const QList<FlowNode> &nodes, const FlowPath &parentPath, qreal axis, qreal top,
                   qreal bottom, FlowNodeItem *owner, int branch, QList<FlowNodeItem *> &items,
                   qreal catchAbove, bool arrowAtEnd)
    {
        const qreal width = listSize(nodes).width();
        const qreal catchLeft = axis - width / 2 - kBranchGap / 2;
        const qreal catchWidth = width + kBranchGap;
        QPainterPath lines;
        QList<QPointF> arrows;

        if (nodes.isEmpty()) {
            const QRectF box(axis - kEmptyWidth / 2, top + kGap / 2, kEmptyWidth, kEmptyHeight);
            lines.moveTo(axis, top);
            lines.lineTo(axis, box.top());
            arrows.append(QPointF(axis, box.top()));
            lines.moveTo(axis, box.bottom());
            lines.lineTo(axis, bottom);
            if (arrowAtEnd)
                arrows.append(QPointF(axis, bottom));
            auto *drop = new FlowDropItem({parentPath, 0}, box, true, m_style);
            drop->setCatchRect(
                QRectF(catchLeft, top - catchAbove, catchWidth, bottom - top + catchAbove));
            addDrop(drop);
            m_scene->addItem(new FlowConnectorItem(lines, arrows, m_style));
            return;
        }

        qreal y = top;
        qreal previousHalf = catchAbove;
        int nextIndex = 0;
        for (int i = 0; i < nodes.size(); ++i) {
            const FlowNode &node = nodes.at(i);
            const QSizeF size = nodeSize(node);
            // Into a branching mediator the line goes on through the frame to its header.
            const qreal entry = y + kGap + (opensBranches(node) ? kFramePadding : 0);
            lines.moveTo(axis, y);
            lines.lineTo(axis, entry);
            arrows.append(QPointF(axis, entry));
            const qreal nextHalf =
                opensBranches(node) ? kFramePadding + kNodeHeight / 2 : kNodeHeight / 2;
            addGapDrop(
                {parentPath, insertionIndex(node, i)}, axis, y,
                QRectF(catchLeft, y - previousHalf, catchWidth, kGap + previousHalf + nextHalf));

            auto *item = new FlowNodeItem(node, m_style);
            item->parentNode = owner;
            item->branch = branch;
            item->index = i;
            items.append(item);
            m_scene->m_nodes.insert(node.path, item);
            m_scene->addItem(item);
            placeNode(node, axis, y + kGap, item);

            y += kGap + size.height();
            previousHalf = opensBranches(node) ? kMergeHeight : kNodeHeight / 2;
            nextIndex = insertionIndex(node, i) + 1;
        }
        lines.moveTo(axis, y);
        lines.lineTo(axis, bottom);
        if (arrowAtEnd)
            arrows.append(QPointF(axis, bottom));
        addGapDrop({parentPath, nextIndex}, axis, y,
                   QRectF(catchLeft, y - previousHalf, catchWidth, bottom - y + previousHalf));
        m_scene->addItem(new FlowConnectorItem(lines, arrows, m_style));
    }

    void placeNode(const FlowNode &node, qreal axis, qreal top, FlowNodeItem *item)
    {
        const qreal headerTop = opensBranches(node) ? top + kFramePadding : top;
        item->setPos(axis - kNodeWidth / 2, headerTop);
        if (!opensBranches(node))
            return;

        const QSizeF size = nodeSize(node);
        auto *frame = new FlowFrameItem(
            QRectF(axis - size.width() / 2, top, size.width(), size.height()), m_style);
        m_scene->addItem(frame);
        m_scene->m_frames.append(frame);

        const qreal headerBottom = headerTop + kNodeHeight;
        const qreal bus = headerBottom + kSplitHeight / 2;
        const qreal labelTop = headerBottom + kSplitHeight;
        const qreal columnsTop = labelTop + kLabelHeight;
        const qreal merge = top + size.height() - kMergeHeight;

        QList<qreal> widths;
        qreal content = kBranchGap * (node.branches.size() - 1);
        for (const FlowBranch &branch : node.branches) {
            widths.append(columnWidth(branch));
            content += widths.last();
        }
        QList<qreal> axes;
        qreal x = axis - content / 2;
        for (const qreal width : std::as_const(widths)) {
            axes.append(x + width / 2);
            x += width + kBranchGap;
        }

        QPainterPath lines;
        lines.moveTo(axis, headerBottom);
        lines.lineTo(axis, bus);
        lines.moveTo(axes.first(), bus);
        lines.lineTo(axes.last(), bus);
        lines.moveTo(axes.first(), merge);
        lines.lineTo(axes.last(), merge);
        lines.moveTo(axis, merge);
        lines.lineTo(axis, top + size.height());
        for (const qreal column : std::as_const(axes)) {
            lines.moveTo(column, bus);
            lines.lineTo(column, labelTop);
        }
        m_scene->addItem(new FlowConnectorItem(lines, {}, m_style));

        item->branchItems.resize(node.branches.size());
        for (int b = 0; b < node.branches.size(); ++b) {
            const FlowBranch &branch = node.branches.at(b);
            const qreal label = qMin(widths.at(b), labelWidth(branch));
            frame->addLabel(QRectF(axes.at(b) - label / 2, labelTop, label, kLabelHeight),
                            branch.label);
            placeList(branch.nodes, branchPath(node, b), axes.at(b), columnsTop, merge, item, b,
                      item->branchItems[b], kLabelHeight, false);
        }
    }

private:
    void addGapDrop(const FlowDropTarget &target, qreal axis, qreal gapTop, const QRectF &area)
    {
        const QRectF mark(axis - kDropMarkSize / 2, gapTop + (kGap - kDropMarkSize) / 2,
                          kDropMarkSize, kDropMarkSize);
        auto *drop = new FlowDropItem(target, mark, false, m_style);
        drop->setCatchRect(area);
        addDrop(drop);
    }

    void addDrop(FlowDropItem *drop)
    {
        drop->setDragging(m_scene->m_dragging);
        m_scene->addItem(drop);
        m_scene->m_dropItems.append(drop);
    }

    FlowScene *m_scene;
    const FlowStyle *m_style;
    QFontMetricsF m_labelMetrics;
    QHash<const FlowNode *, QSizeF> m_nodeSizes;
    QHash<const void *, QSizeF> m_listSizes;
};

namespace {
QByteArray nextSceneId()
{
    static std::atomic<quint64> counter{0};
    return QByteArray::number(QCoreApplication::applicationPid()) + '-' +
           QByteArray::number(++counter);
}
} // namespace

FlowScene::FlowScene(QObject *parent)
    : QGraphicsScene(parent)
    , m_id(nextSceneId())
    , m_style(FlowStyle::fromPalette(palette(), font()))
{
    qRegisterMetaType<const QMimeData *>(); // for queued slots and QSignalSpy on dropRequested
    setItemIndexMethod(QGraphicsScene::BspTreeIndex);
    connect(this, &QGraphicsScene::selectionChanged, this, &FlowScene::onSelectionChanged);
    rebuild();
}

FlowScene::~FlowScene()
{
    // The items go while this is still a FlowScene, with no selection signals.
    m_rebuilding = true;
    discardItems();
    qDeleteAll(m_discarded);
}

void FlowScene::setFlow(const QList<FlowNode> &nodes, const QString &title)
{
    const FlowPath selected = selectedPath();
    m_flow = nodes;
    completePaths(m_flow, {});
    m_title = title;
    rebuild();
    // Same path selected again: no signal; gone: nodeSelected({}).
    selectNode(selected);
}

void FlowScene::setReadOnly(bool readOnly)
{
    m_readOnly = readOnly;
    if (readOnly)
        setDragging(false);
}

void FlowScene::rebuild()
{
    m_rebuilding = true;
    m_activeDrop = nullptr;
    m_nodes.clear();
    m_rootItems.clear();
    m_frames.clear();
    m_dropItems.clear();
    discardItems();

    Builder builder(this);
    auto *start = new FlowTerminalItem(m_title.isEmpty() ? tr("start") : m_title, true, &m_style);
    start->setPos(0, 0);
    addItem(start);
    const qreal listTop = kTerminalHeight;
    const qreal listBottom = listTop + builder.listSize(m_flow).height();
    builder.placeList(m_flow, {}, 0, listTop, listBottom, nullptr, -1, m_rootItems, 0, true);
    auto *end = new FlowTerminalItem(tr("end"), false, &m_style);
    end->setPos(0, listBottom);
    addItem(end);

    m_contentRect = itemsBoundingRect().adjusted(-kContentMargin, -kContentMargin, kContentMargin,
                                                 kContentMargin);
    setSceneRect(m_contentRect);
    m_rebuilding = false;
    emit flowChanged();
}

void FlowScene::discardItems()
{
    if (m_eventDepth == 0) {
        clear();
        return;
    }
    // An item's event handler may be on the stack (a click that selected it, a drop): take the
    // items out of the scene now and delete them once the event is done.
    const QList<QGraphicsItem *> old = items();
    for (QGraphicsItem *item : old)
        removeItem(item);
    if (m_discarded.isEmpty()) {
        QMetaObject::invokeMethod(
            this, [this] { qDeleteAll(std::exchange(m_discarded, {})); }, Qt::QueuedConnection);
    }
    m_discarded += old;
}

void FlowScene::updateStyle()
{
    m_style = FlowStyle::fromPalette(palette(), font());
    const FlowPath selected = selectedPath();
    rebuild();
    m_rebuilding = true;
    if (FlowNodeItem *item = nodeItem(selected))
        item->setSelected(true);
    m_rebuilding = false;
    update();
}

bool FlowScene::event(QEvent *event)
{
    ++m_eventDepth;
    const bool handled = QGraphicsScene::event(event);
    --m_eventDepth;
    if (event->type() == QEvent::PaletteChange || event->type() == QEvent::FontChange)
        updateStyle();
    return handled;
}

// --- Selection and keyboard -----------------------------------------------------------------

void FlowScene::onSelectionChanged()
{
    if (m_rebuilding || m_selecting)
        return;
    const FlowPath path = selectedPath();
    if (path == m_lastSelection)
        return;
    m_lastSelection = path;
    emit nodeSelected(path);
}

void FlowScene::selectNode(const FlowPath &path)
{
    m_selecting = true;
    clearSelection();
    if (FlowNodeItem *item = nodeItem(path))
        item->setSelected(true);
    m_selecting = false;
    onSelectionChanged();
}

FlowNodeItem *FlowScene::selectedNodeItem() const
{
    const QList<QGraphicsItem *> selected = selectedItems();
    for (QGraphicsItem *item : selected) {
        if (item->type() == FlowNodeItem::Type)
            return static_cast<FlowNodeItem *>(item);
    }
    return nullptr;
}

FlowPath FlowScene::selectedPath() const
{
    const FlowNodeItem *item = selectedNodeItem();
    return item ? item->path() : FlowPath();
}

FlowNodeItem *FlowScene::nodeItem(const FlowPath &path) const
{
    return m_nodes.value(path, nullptr);
}

QList<FlowNodeItem *> FlowScene::nodeItems() const
{
    return m_nodes.values();
}

QList<QGraphicsItem *> FlowScene::frameItems() const
{
    return m_frames;
}

QRectF FlowScene::nodeRect(const FlowPath &path) const
{
    const FlowNodeItem *item = nodeItem(path);
    return item ? QRectF(item->pos(), QSizeF(kNodeWidth, kNodeHeight)) : QRectF();
}

const QList<FlowNodeItem *> &FlowScene::siblings(const FlowNodeItem *item) const
{
    return item->parentNode ? item->parentNode->branchItems.at(item->branch) : m_rootItems;
}

bool FlowScene::navigate(Qt::Key key)
{
    if (m_rootItems.isEmpty())
        return false;
    FlowNodeItem *current = selectedNodeItem();
    FlowNodeItem *next = nullptr;
    if (!current) {
        next = key == Qt::Key_Up || key == Qt::Key_End ? m_rootItems.last() : m_rootItems.first();
    } else if (key == Qt::Key_Home) {
        next = m_rootItems.first();
    } else if (key == Qt::Key_End) {
        next = m_rootItems.last();
    } else if (key == Qt::Key_Down) {
        // Into the first branch, else the next node, else the one after the enclosing frames.
        if (const QList<FlowNodeItem *> *branch = firstNonEmptyBranch(current)) {
            next = branch->first();
        } else {
            for (const FlowNodeItem *item = current; item && !next; item = item->parentNode) {
                const QList<FlowNodeItem *> &list = siblings(item);
                if (item->index + 1 < list.size())
                    next = list.at(item->index + 1);
            }
        }
    } else if (key == Qt::Key_Up) {
        // The reverse of Down: the previous node's deepest last node, else the enclosing one.
        const QList<FlowNodeItem *> &list = siblings(current);
        if (current->index > 0) {
            next = list.at(current->index - 1);
            while (const QList<FlowNodeItem *> *branch = firstNonEmptyBranch(next))
                next = branch->last();
        } else {
            next = current->parentNode;
        }
    } else if (key == Qt::Key_Left || key == Qt::Key_Right) {
        // The neighbouring non-empty branch, at the same position as far as it goes; from the
        // outermost branch, the enclosing frame's neighbours.
        const int step = key == Qt::Key_Left ? -1 : 1;
        for (const FlowNodeItem *item = current; item->parentNode && !next;
             item = item->parentNode) {
            const FlowNodeItem *frame = item->parentNode;
            for (int b = item->branch + step; b >= 0 && b < frame->branchItems.size() && !next;
                 b += step) {
                const QList<FlowNodeItem *> &branch = frame->branchItems.at(b);
                if (!branch.isEmpty())
                    next = branch.at(qMin(item->index, int(branch.size()) - 1));
            }
        }
    }
    if (!next)
        return false;
    selectNode(next->path());
    return true;
}

void FlowScene::keyPressEvent(QKeyEvent *event)
{
    switch (event->key()) {
    case Qt::Key_Up:
    case Qt::Key_Down:
    case Qt::Key_Left:
    case Qt::Key_Right:
    case Qt::Key_Home:
    case Qt::Key_End:
        if (event->modifiers() & ~Qt::KeypadModifier)
            break;
        if (navigate(static_cast<Qt::Key>(event->key())) || selectedNodeItem()) {
            event->accept();
            return;
        }
        break;
    case Qt::Key_Delete:
    case Qt::Key_Backspace:
        if (const FlowNodeItem *item = selectedNodeItem(); item && !m_readOnly) {
            const FlowPath path = item->path();
            event->accept();
            emit deleteRequested(path);
            return;
        }
        break;
    case Qt::Key_Return:
    case Qt::Key_Enter:
        if (const FlowNodeItem *item = selectedNodeItem()) {
            const FlowPath path = item->path();
            event->accept();
            emit nodeActivated(path);
            return;
        }
        break;
    case Qt::Key_Escape:
        if (selectedNodeItem()) {
            selectNode({});
            event->accept();
            return;
        }
        break;
    default:
        break;
    }
    QGraphicsScene::keyPressEvent(event);
}

// --- Drag and drop --------------------------------------------------------------------------

QString FlowScene::pathToString(const FlowPath &path)
{
    QStringList parts;
    for (const int index : path)
        parts.append(QString::number(index));
    return parts.join(u'/');
}

std::optional<FlowPath> FlowScene::pathFromString(QStringView text)
{
    FlowPath path;
    for (const QStringView part : text.split(u'/')) {
        bool ok = false;
        const int index = part.toInt(&ok);
        if (!ok || index < 0)
            return std::nullopt;
        path.append(index);
    }
    if (path.isEmpty())
        return std::nullopt;
    return path;
}

QMimeData *FlowScene::nodeMimeData(const FlowPath &path) const
{
    auto *mime = new QMimeData;
    mime->setData(kFlowNodeMimeType, pathToString(path).toUtf8());
    mime->setData(kFlowSceneMimeType, m_id);
    return mime;
}

std::optional<FlowPath> FlowScene::movedPath(const QMimeData *mimeData) const
{
    if (!mimeData || !mimeData->hasFormat(kFlowNodeMimeType) ||
        mimeData->data(kFlowSceneMimeType) != m_id)
        return std::nullopt;
    return pathFromString(QString::fromUtf8(mimeData->data(kFlowNodeMimeType)));
}

bool FlowScene::canAccept(const QMimeData *mimeData) const
{
    if (m_readOnly || !mimeData)
        return false;
    if (mimeData->hasFormat(kMediatorMimeType))
        return !mimeData->data(kMediatorMimeType).trimmed().isEmpty();
    return movedPath(mimeData).has_value();
}

bool FlowScene::acceptsTarget(const FlowDropTarget &target, const QMimeData *mimeData) const
{
    const std::optional<FlowPath> from = movedPath(mimeData);
    if (!from)
        return true;
    if (startsWith(target.parentPath, *from))
        return false; // into itself
    const FlowPath parent = from->mid(0, from->size() - 1);
    return !(target.parentPath == parent &&
             (target.index == from->last() || target.index == from->last() + 1));
}

QList<FlowDropTarget> FlowScene::dropTargets() const
{
    QList<FlowDropTarget> targets;
    for (const FlowDropItem *item : m_dropItems)
        targets.append(item->target());
    return targets;
}

QPointF FlowScene::dropTargetAnchor(const FlowDropTarget &target) const
{
    for (const FlowDropItem *item : m_dropItems) {
        if (item->target() == target)
            return item->anchor();
    }
    return {};
}

FlowDropItem *FlowScene::dropItemAt(const QPointF &scenePos, const QMimeData *mimeData) const
{
    FlowDropItem *best = nullptr;
    qreal bestDistance = 0;
    for (FlowDropItem *item : m_dropItems) {
        if (!item->catchRect().contains(scenePos) || !acceptsTarget(item->target(), mimeData))
            continue;
        const qreal distance = QLineF(item->anchor(), scenePos).length();
        if (!best || distance < bestDistance) {
            best = item;
            bestDistance = distance;
        }
    }
    return best;
}

std::optional<FlowDropTarget> FlowScene::dropTargetAt(const QPointF &scenePos,
                                                      const QMimeData *mimeData) const
{
    if (!canAccept(mimeData))
        return std::nullopt;
    if (const FlowDropItem *item = dropItemAt(scenePos, mimeData))
        return item->target();
    return std::nullopt;
}

bool FlowScene::handleDrop(const QPointF &scenePos, const QMimeData *mimeData)
{
    const std::optional<FlowDropTarget> target = dropTargetAt(scenePos, mimeData);
    if (!target)
        return false;
    if (const std::optional<FlowPath> from = movedPath(mimeData))
        emit moveRequested(*from, target->parentPath, target->index);
    else
        emit dropRequested(target->parentPath, target->index, mimeData);
    return true;
}

void FlowScene::setDragging(bool dragging)
{
    m_dragging = dragging;
    for (FlowDropItem *item : std::as_const(m_dropItems))
        item->setDragging(dragging);
    if (!dragging)
        setActiveDropTarget(nullptr);
}

void FlowScene::setActiveDropTarget(FlowDropItem *item)
{
    if (item == m_activeDrop)
        return;
    if (m_activeDrop)
        m_activeDrop->setActive(false);
    m_activeDrop = item;
    if (m_activeDrop)
        m_activeDrop->setActive(true);
}

void FlowScene::dragEnterEvent(QGraphicsSceneDragDropEvent *event)
{
    if (!canAccept(event->mimeData())) {
        event->ignore();
        return;
    }
    setDragging(true);
    event->acceptProposedAction();
    dragMoveEvent(event);
}

void FlowScene::dragMoveEvent(QGraphicsSceneDragDropEvent *event)
{
    FlowDropItem *item =
        canAccept(event->mimeData()) ? dropItemAt(event->scenePos(), event->mimeData()) : nullptr;
    setActiveDropTarget(item);
    if (!item) {
        event->ignore();
        return;
    }
    if (movedPath(event->mimeData())) {
        event->setDropAction(Qt::MoveAction);
        event->accept();
    } else {
        event->acceptProposedAction();
    }
}

void FlowScene::dragLeaveEvent(QGraphicsSceneDragDropEvent *event)
{
    setDragging(false);
    event->accept();
}

void FlowScene::dropEvent(QGraphicsSceneDragDropEvent *event)
{
    setDragging(false);
    const bool move = movedPath(event->mimeData()).has_value();
    if (!handleDrop(event->scenePos(), event->mimeData())) {
        event->ignore();
        return;
    }
    if (move) {
        event->setDropAction(Qt::MoveAction);
        event->accept();
    } else {
        event->acceptProposedAction();
    }
}

void FlowScene::startNodeDrag(const FlowPath &path, QWidget *source, const QPointF &hotSpot)
{
    const QPointer<QWidget> widget(source);
    QMetaObject::invokeMethod(
        this,
        [this, path, widget, hotSpot] {
            const FlowNodeItem *item = nodeItem(path);
            if (!item || !widget)
                return;
            const qreal ratio = widget->devicePixelRatioF();
            QPixmap pixmap(QSizeF(kNodeWidth * ratio, kNodeHeight * ratio).toSize());
            pixmap.fill(Qt::transparent);
            pixmap.setDevicePixelRatio(ratio);
            {
                QPainter painter(&pixmap);
                painter.setOpacity(0.85);
                item->paintCard(&painter, true);
            }
            auto *drag = new QDrag(widget);
            drag->setMimeData(nodeMimeData(path));
            drag->setPixmap(pixmap);
            drag->setHotSpot(hotSpot.toPoint());
            drag->exec(Qt::MoveAction);
        },
        Qt::QueuedConnection);
}

// --- Painting and export --------------------------------------------------------------------

void FlowScene::drawBackground(QPainter *painter, const QRectF &rect)
{
    painter->fillRect(rect, m_style.background);
    if (m_exporting)
        return;
    constexpr qreal spacing = 24;
    if (rect.width() * rect.height() / (spacing * spacing) > 40000)
        return; // zoomed far out: the dots would be a haze
    QList<QPointF> dots;
    const qreal left = std::floor(rect.left() / spacing) * spacing;
    const qreal top = std::floor(rect.top() / spacing) * spacing;
    for (qreal x = left; x <= rect.right(); x += spacing) {
        for (qreal y = top; y <= rect.bottom(); y += spacing)
            dots.append(QPointF(x, y));
    }
    painter->setPen(QPen(m_style.grid, 1.5));
    painter->drawPoints(dots.constData(), int(dots.size()));
}

QRectF FlowScene::contentRect() const
{
    return m_contentRect;
}

bool FlowScene::renderTo(QPainter *painter, const QRectF &target)
{
    m_exporting = true;
    for (FlowNodeItem *item : std::as_const(m_nodes))
        item->setCacheMode(QGraphicsItem::NoCache);
    painter->setRenderHints(QPainter::Antialiasing | QPainter::TextAntialiasing |
                            QPainter::SmoothPixmapTransform);
    render(painter, target, m_contentRect, Qt::KeepAspectRatio);
    for (FlowNodeItem *item : std::as_const(m_nodes))
        item->setCacheMode(QGraphicsItem::DeviceCoordinateCache);
    m_exporting = false;
    return true;
}

bool FlowScene::exportPng(const QString &fileName, qreal scale)
{
    const QSize size = (m_contentRect.size() * scale).toSize();
    if (size.isEmpty() || scale <= 0)
        return false;
    QImage image(size, QImage::Format_ARGB32_Premultiplied);
    image.fill(m_style.background);
    {
        QPainter painter(&image);
        renderTo(&painter, QRectF(QPointF(0, 0), QSizeF(size)));
    }
    return image.save(fileName, "PNG");
}

bool FlowScene::exportSvg(const QString &fileName)
{
    const QSize size = m_contentRect.size().toSize();
    QSvgGenerator generator;
    generator.setFileName(fileName);
    generator.setSize(size);
    generator.setViewBox(QRect(QPoint(0, 0), size));
    generator.setTitle(m_title.isEmpty() ? tr("Sluice flow") : m_title);
    generator.setDescription(tr("Mediation flow exported by Sluice Studio"));
    if (const QScreen *screen = QGuiApplication::primaryScreen())
        generator.setResolution(qRound(screen->logicalDotsPerInch()));
    QPainter painter;
    if (!painter.begin(&generator))
        return false;
    renderTo(&painter, QRectF(QPointF(0, 0), QSizeF(size)));
    if (!painter.end())
        return false;
    return QFileInfo(fileName).size() > 0;
}

} // namespace sluice::studio
