// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "flow_node.h"

#include <QColor>
#include <QFont>
#include <QGraphicsItem>
#include <QPainterPath>

class QPalette;

namespace sluice::studio {

class FlowScene;

// Sizes of the canvas, in scene units (pixels at 100 %).
namespace FlowMetrics {
inline constexpr qreal kNodeWidth = 240;
inline constexpr qreal kNodeHeight = 52;
inline constexpr qreal kGap = 40;          // vertical space between two nodes of a list
inline constexpr qreal kBranchGap = 24;    // horizontal space between branch columns
inline constexpr qreal kFramePadding = 12; // inside a branching mediator's frame
inline constexpr qreal kSplitHeight = 22;  // from the header card down to the branch bus
inline constexpr qreal kLabelHeight = 22;  // branch label pill
inline constexpr qreal kMergeHeight = 18;  // from the lowest branch down to the merge bus
inline constexpr qreal kEmptyWidth = 150;  // placeholder of an empty branch
inline constexpr qreal kEmptyHeight = 40;
inline constexpr qreal kTerminalHeight = 26; // start and end pills
inline constexpr qreal kCornerRadius = 8;
} // namespace FlowMetrics

// Colours and fonts of the canvas, from the widget palette (light or dark).
struct FlowStyle {
    bool dark = false;
    QColor background;
    QColor grid;
    QColor nodeFill;
    QColor nodeBorder;
    QColor iconWell; // behind a node's icon
    QColor opaqueFill;
    QColor text;
    QColor secondaryText;
    QColor connector;
    QColor frameFill;
    QColor frameBorder;
    QColor labelFill;
    QColor highlight;
    QColor problem;
    QFont titleFont;
    QFont summaryFont;
    QFont labelFont;

    static FlowStyle fromPalette(const QPalette &palette, const QFont &font);
};

enum FlowItemType {
    FlowNodeItemType = QGraphicsItem::UserType + 700,
    FlowFrameItemType,
    FlowConnectorItemType,
    FlowDropItemType,
    FlowTerminalItemType,
};

// Base of the canvas items: they read colours from the scene's FlowStyle.
class FlowItem : public QGraphicsItem {
public:
    explicit FlowItem(const FlowStyle *style)
        : m_style(style)
    {
    }

protected:
    const FlowStyle &style() const { return *m_style; }
    bool exporting() const;

private:
    const FlowStyle *m_style;
};

// A mediator card: icon, title and summary; a branching mediator's card heads its frame.
class FlowNodeItem : public FlowItem {
public:
    enum { Type = FlowNodeItemType };

    FlowNodeItem(const FlowNode &node, const FlowStyle *style);

    int type() const override { return Type; }
    QRectF boundingRect() const override;
    QPainterPath shape() const override;
    void paint(QPainter *painter, const QStyleOptionGraphicsItem *, QWidget *) override;

    const FlowPath &path() const { return m_path; }
    QString title() const { return m_title; }
    QString summary() const { return m_summary; }
    QString iconName() const { return m_icon; }
    bool isOpaque() const { return m_opaque; }
    // Paints the card alone (drag pixmap, minimap); origin at the card's top left.
    void paintCard(QPainter *painter, bool selected) const;

    // Navigation structure, set by the scene.
    FlowNodeItem *parentNode = nullptr; // the branching mediator this one is inside of
    int branch = -1;                    // which of its branches
    int index = 0;                      // position in that branch (or in the sequence)
    QList<QList<FlowNodeItem *>> branchItems;

protected:
    void mousePressEvent(QGraphicsSceneMouseEvent *event) override;
    void mouseMoveEvent(QGraphicsSceneMouseEvent *event) override;
    void mouseDoubleClickEvent(QGraphicsSceneMouseEvent *event) override;

private:
    FlowScene *flowScene() const;

    FlowPath m_path;
    QString m_icon;
    QString m_title;
    QString m_summary;
    QString m_problem;
    bool m_opaque = false;
    bool m_dragStarted = false;
};

// The box around a branching mediator with its branch labels.
class FlowFrameItem : public FlowItem {
public:
    enum { Type = FlowFrameItemType };

    FlowFrameItem(const QRectF &rect, const FlowStyle *style);

    int type() const override { return Type; }
    QRectF boundingRect() const override;
    void paint(QPainter *painter, const QStyleOptionGraphicsItem *, QWidget *) override;

    void addLabel(const QRectF &rect, const QString &text);

private:
    QRectF m_rect;
    QList<QPair<QRectF, QString>> m_labels;
};

// Lines between nodes; arrow heads mark where a line enters a node.
class FlowConnectorItem : public FlowItem {
public:
    enum { Type = FlowConnectorItemType };

    FlowConnectorItem(const QPainterPath &path, const QList<QPointF> &arrowTips,
                      const FlowStyle *style);

    int type() const override { return Type; }
    QRectF boundingRect() const override;
    void paint(QPainter *painter, const QStyleOptionGraphicsItem *, QWidget *) override;

private:
    QPainterPath m_path;
    QList<QPointF> m_arrowTips;
    QRectF m_bounds;
};

// A place where a dragged mediator can land: a "+" in the gap between two nodes (shown while
// dragging), or the placeholder of an empty branch (always shown).
class FlowDropItem : public FlowItem {
public:
    enum { Type = FlowDropItemType };

    FlowDropItem(const FlowDropTarget &target, const QRectF &rect, bool placeholder,
                 const FlowStyle *style);

    int type() const override { return Type; }
    QRectF boundingRect() const override;
    void paint(QPainter *painter, const QStyleOptionGraphicsItem *, QWidget *) override;

    const FlowDropTarget &target() const { return m_target; }
    QPointF anchor() const;
    // Where a drag counts as aiming at this target (scene coordinates).
    QRectF catchRect() const { return m_catchRect; }
    void setCatchRect(const QRectF &rect) { m_catchRect = rect; }
    bool isPlaceholder() const { return m_placeholder; }
    void setDragging(bool dragging);
    void setActive(bool active);
    bool isActive() const { return m_active; }

private:
    FlowDropTarget m_target;
    QRectF m_rect;
    QRectF m_catchRect;
    bool m_placeholder;
    bool m_dragging = false;
    bool m_active = false;
};

// The start pill (the sequence's name) and the end pill.
class FlowTerminalItem : public FlowItem {
public:
    enum { Type = FlowTerminalItemType };

    FlowTerminalItem(const QString &text, bool start, const FlowStyle *style);

    int type() const override { return Type; }
    QRectF boundingRect() const override;
    void paint(QPainter *painter, const QStyleOptionGraphicsItem *, QWidget *) override;
    qreal width() const { return m_width; }

private:
    QString m_text;
    bool m_start;
    qreal m_width;
};

} // namespace sluice::studio
