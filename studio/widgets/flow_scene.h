// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "flow_items.h"
#include "flow_node.h"

#include <QGraphicsScene>
#include <QHash>
#include <QPointer>
#include <optional>

class QMimeData;

namespace sluice::studio {

// The design canvas of one sequence: its mediators top to bottom, the branches of a filter
// (then / else) or a switch (cases, default) side by side inside the branching mediator's
// frame, connectors between them, and drop targets between every two nodes and inside empty
// branches. It never edits anything: selection, deletion, drops and moves are reported as
// signals with child-element paths (FlowPath), and the document model answers by calling
// setFlow() with the new tree.
//
// Keys (with the view focused): Up / Down walk the sequence (Down enters a branching
// mediator's first branch, and leaves a branch after its last node), Left / Right go to the
// neighbouring branch, Home / End to the first / last mediator, Delete or Backspace requests
// deletion, Return activates.
class FlowScene : public QGraphicsScene {
    Q_OBJECT
public:
    explicit FlowScene(QObject *parent = nullptr);
    ~FlowScene() override;

    // Rebuilds the canvas. The selection stays on the same path when it still exists. May be
    // called from slots connected to this scene's signals: items replaced while the scene
    // delivers an event are deleted afterwards.
    void setFlow(const QList<FlowNode> &nodes, const QString &title = QString());
    const QList<FlowNode> &flow() const { return m_flow; }
    QString title() const { return m_title; }

    // Read-only canvases (a running deployment, a remote one) accept no drops and no deletes.
    void setReadOnly(bool readOnly);
    bool isReadOnly() const { return m_readOnly; }

    const FlowStyle &flowStyle() const { return m_style; }

    // Selection by path; an empty path clears it. nodeSelected() is emitted on change.
    void selectNode(const FlowPath &path);
    FlowPath selectedPath() const;
    FlowNodeItem *selectedNodeItem() const;
    FlowNodeItem *nodeItem(const FlowPath &path) const;
    QList<FlowNodeItem *> nodeItems() const;
    QList<QGraphicsItem *> frameItems() const;
    // Scene rectangle of a node's card (empty when there is no such node).
    QRectF nodeRect(const FlowPath &path) const;

    // Moves the selection as the arrow keys do; returns false when there is nowhere to go.
    bool navigate(Qt::Key key);

    QList<FlowDropTarget> dropTargets() const;
    // Where a drop at scenePos would land, for this mime data (a move never lands inside the
    // moved mediator nor where it already is).
    std::optional<FlowDropTarget> dropTargetAt(const QPointF &scenePos,
                                               const QMimeData *mimeData) const;
    // Scene anchor (centre) of a drop target; a null point when there is no such target.
    QPointF dropTargetAnchor(const FlowDropTarget &target) const;
    // What a drop does: emits dropRequested (palette mediator) or moveRequested (a node of
    // this canvas) and returns true, or returns false when nothing accepts it there.
    bool handleDrop(const QPointF &scenePos, const QMimeData *mimeData);
    bool canAccept(const QMimeData *mimeData) const;

    // Mime data of a mediator dragged inside this canvas, and the path it carries (nothing for
    // mime data from elsewhere, another canvas included).
    QMimeData *nodeMimeData(const FlowPath &path) const;
    std::optional<FlowPath> movedPath(const QMimeData *mimeData) const;
    static QString pathToString(const FlowPath &path); // "2/0/1"
    static std::optional<FlowPath> pathFromString(QStringView text);

    // Renders the whole flow without selection or drop marks. PNG at `scale` device pixels
    // per scene unit.
    bool exportPng(const QString &fileName, qreal scale = 2.0);
    bool exportSvg(const QString &fileName);
    // The rectangle that exports and "fit to view" cover.
    QRectF contentRect() const;
    bool isExporting() const { return m_exporting; }

    // Starts dragging a node from the next event loop pass (called by the node items, which
    // a drop may delete).
    void startNodeDrag(const FlowPath &path, QWidget *source, const QPointF &hotSpot);
    void activateNode(const FlowPath &path) { emit nodeActivated(path); }

signals:
    // The selected mediator changed; an empty path means nothing is selected.
    void nodeSelected(const QList<int> &path);
    // Double click or Return on a mediator.
    void nodeActivated(const QList<int> &path);
    void deleteRequested(const QList<int> &path);
    // A palette mediator (kMediatorMimeType) dropped: insert it into parentPath at index.
    // mimeData is valid only during the emission.
    void dropRequested(const QList<int> &parentPath, int index, const QMimeData *mimeData);
    // A mediator dragged to another place; index is in the target list as it is before the
    // move.
    void moveRequested(const QList<int> &fromPath, const QList<int> &toParentPath, int index);
    // The layout was rebuilt (the minimap listens).
    void flowChanged();

protected:
    bool event(QEvent *event) override;
    void keyPressEvent(QKeyEvent *event) override;
    void dragEnterEvent(QGraphicsSceneDragDropEvent *event) override;
    void dragMoveEvent(QGraphicsSceneDragDropEvent *event) override;
    void dragLeaveEvent(QGraphicsSceneDragDropEvent *event) override;
    void dropEvent(QGraphicsSceneDragDropEvent *event) override;
    void drawBackground(QPainter *painter, const QRectF &rect) override;

private:
    class Builder;
    friend class Builder;

    void rebuild();
    void discardItems();
    void updateStyle();
    void onSelectionChanged();
    void setDragging(bool dragging);
    void setActiveDropTarget(FlowDropItem *item);
    FlowDropItem *dropItemAt(const QPointF &scenePos, const QMimeData *mimeData) const;
    bool acceptsTarget(const FlowDropTarget &target, const QMimeData *mimeData) const;
    bool renderTo(QPainter *painter, const QRectF &target);
    const QList<FlowNodeItem *> &siblings(const FlowNodeItem *item) const;

    const QByteArray m_id; // tells this canvas's node drags from another's
    QList<FlowNode> m_flow;
    QString m_title;
    FlowStyle m_style;
    bool m_readOnly = false;
    bool m_rebuilding = false;
    bool m_exporting = false;
    bool m_dragging = false;
    bool m_selecting = false;
    int m_eventDepth = 0;
    QList<QGraphicsItem *> m_discarded;
    FlowPath m_lastSelection;
    QHash<FlowPath, FlowNodeItem *> m_nodes;
    QList<FlowNodeItem *> m_rootItems;
    QList<QGraphicsItem *> m_frames;
    QList<FlowDropItem *> m_dropItems;
    FlowDropItem *m_activeDrop = nullptr;
    QRectF m_contentRect;
};

} // namespace sluice::studio
