// SPDX-License-Identifier: Apache-2.0
#include "flow_items.h"

#include "flow_scene.h"
#include "icons.h"

#include <QApplication>
#include <QGraphicsSceneMouseEvent>
#include <QPainter>
#include <QPalette>
#include <QSvgRenderer>

namespace sluice::studio {

using namespace FlowMetrics;

namespace {

QColor withAlpha(QColor color, int alpha)
{
    color.setAlpha(alpha);
    return color;
}

void drawElidedText(QPainter *painter, const QRectF &rect, const QFont &font, const QColor &color,
                    const QString &text, Qt::Alignment alignment)
{
    painter->setFont(font);
    painter->setPen(color);
    const QFontMetricsF metrics(font);
    painter->drawText(rect, alignment | Qt::TextSingleLine,
                      metrics.elidedText(text, Qt::ElideRight, rect.width()));
}

} // namespace

FlowStyle FlowStyle::fromPalette(const QPalette &palette, const QFont &font)
{
    FlowStyle style;
    style.dark = palette.color(QPalette::Window).lightness() < 128;
    style.highlight = palette.color(QPalette::Highlight);
    if (style.dark) {
        style.background = QColor(0x1e, 0x1f, 0x22);
        style.grid = QColor(0x33, 0x35, 0x3a);
        style.nodeFill = QColor(0x2b, 0x2d, 0x31);
        style.nodeBorder = QColor(0x4a, 0x4d, 0x55);
        style.iconWell = QColor(0x36, 0x39, 0x3f);
        style.opaqueFill = QColor(0x26, 0x27, 0x2b);
        style.text = QColor(0xe6, 0xe8, 0xeb);
        style.secondaryText = QColor(0xa3, 0xa9, 0xb2);
        style.connector = QColor(0x74, 0x7b, 0x86);
        style.frameFill = QColor(255, 255, 255, 9);
        style.frameBorder = QColor(0x42, 0x45, 0x4c);
        style.labelFill = QColor(0x2b, 0x2d, 0x31);
        style.problem = QColor(0xf9, 0x70, 0x66);
        if (style.highlight.lightness() < 90)
            style.highlight = style.highlight.lighter(150);
    } else {
        style.background = QColor(0xf6, 0xf7, 0xf9);
        style.grid = QColor(0xd2, 0xd7, 0xde);
        style.nodeFill = QColor(0xff, 0xff, 0xff);
        style.nodeBorder = QColor(0xc9, 0xcf, 0xd8);
        style.iconWell = QColor(0xf1, 0xf3, 0xf6);
        style.opaqueFill = QColor(0xf1, 0xf2, 0xf4);
        style.text = QColor(0x1f, 0x23, 0x28);
        style.secondaryText = QColor(0x59, 0x61, 0x6c);
        style.connector = QColor(0x98, 0xa2, 0xb3);
        style.frameFill = QColor(30, 50, 80, 10);
        style.frameBorder = QColor(0xd3, 0xd9, 0xe1);
        style.labelFill = QColor(0xff, 0xff, 0xff);
        style.problem = QColor(0xd9, 0x2d, 0x20);
    }
    style.titleFont = font;
    style.titleFont.setBold(true);
    style.summaryFont = font;
    style.labelFont = font;
    if (font.pointSizeF() > 0) {
        style.summaryFont.setPointSizeF(font.pointSizeF() * 0.9);
        style.labelFont.setPointSizeF(font.pointSizeF() * 0.85);
    } else if (font.pixelSize() > 0) {
        style.summaryFont.setPixelSize(qMax(8, qRound(font.pixelSize() * 0.9)));
        style.labelFont.setPixelSize(qMax(8, qRound(font.pixelSize() * 0.85)));
    }
    style.labelFont.setWeight(QFont::DemiBold);
    return style;
}

bool FlowItem::exporting() const
{
    const auto *flow = qobject_cast<const FlowScene *>(scene());
    return flow && flow->isExporting();
}

// --- FlowNodeItem ---------------------------------------------------------------------------

FlowNodeItem::FlowNodeItem(const FlowNode &node, const FlowStyle *style)
    : FlowItem(style)
    , m_path(node.path)
    , m_icon(node.icon)
    , m_title(node.title)
    , m_summary(node.summary)
    , m_problem(node.problem)
    , m_opaque(node.opaque)
{
    // Not focusable: the scene handles the keys (and Qt 6.4 leaks the cache record of an item
    // deleted with focus).
    setFlags(ItemIsSelectable);
    setAcceptHoverEvents(false);
    setCacheMode(DeviceCoordinateCache);
    setZValue(2);
    QString tip = m_summary.isEmpty() ? m_title : m_title + u'\n' + m_summary;
    if (!m_problem.isEmpty())
        tip += u'\n' + m_problem;
    setToolTip(tip);
}

QRectF FlowNodeItem::boundingRect() const
{
    return QRectF(0, 0, kNodeWidth, kNodeHeight).adjusted(-3, -3, 3, 4);
}

QPainterPath FlowNodeItem::shape() const
{
    QPainterPath path;
    path.addRoundedRect(QRectF(0, 0, kNodeWidth, kNodeHeight), kCornerRadius, kCornerRadius);
    return path;
}

void FlowNodeItem::paint(QPainter *painter, const QStyleOptionGraphicsItem *, QWidget *)
{
    paintCard(painter, isSelected() && !exporting());
}

void FlowNodeItem::paintCard(QPainter *painter, bool selected) const
{
    const FlowStyle &s = style();
    painter->save();
    painter->setRenderHint(QPainter::Antialiasing);
    const QRectF card(0.5, 0.5, kNodeWidth - 1, kNodeHeight - 1);

    // A soft shadow under the card.
    painter->setPen(Qt::NoPen);
    painter->setBrush(QColor(0, 0, 0, s.dark ? 60 : 16));
    painter->drawRoundedRect(card.translated(0, 1.5), kCornerRadius, kCornerRadius);

    QPen border(m_problem.isEmpty() ? s.nodeBorder : s.problem, m_problem.isEmpty() ? 1 : 1.5);
    if (m_opaque)
        border.setStyle(Qt::DashLine);
    if (selected)
        border = QPen(s.highlight, 2);
    painter->setPen(border);
    painter->setBrush(m_opaque ? s.opaqueFill : s.nodeFill);
    painter->drawRoundedRect(card, kCornerRadius, kCornerRadius);
    if (selected) {
        painter->setPen(Qt::NoPen);
        painter->setBrush(withAlpha(s.highlight, s.dark ? 40 : 22));
        painter->drawRoundedRect(card, kCornerRadius, kCornerRadius);
    }

    const qreal wellSize = 34;
    const QRectF well(9, (kNodeHeight - wellSize) / 2, wellSize, wellSize);
    painter->setPen(Qt::NoPen);
    painter->setBrush(s.iconWell);
    painter->drawRoundedRect(well, 6, 6);
    studioIconRenderer(m_icon)->render(painter, well.adjusted(5, 5, -5, -5));

    qreal right = kNodeWidth - 10;
    if (!m_problem.isEmpty()) {
        const QRectF badge(kNodeWidth - 24, 8, 15, 15);
        painter->setPen(Qt::NoPen);
        painter->setBrush(s.problem);
        painter->drawEllipse(badge);
        drawElidedText(painter, badge, s.labelFont, s.dark ? QColor(0x1e, 0x1f, 0x22) : Qt::white,
                       QStringLiteral("!"), Qt::AlignCenter);
        right = badge.left() - 4;
    }
    const qreal left = well.right() + 10;
    if (m_summary.isEmpty()) {
        drawElidedText(painter, QRectF(left, 0, right - left, kNodeHeight), s.titleFont, s.text,
                       m_title, Qt::AlignLeft | Qt::AlignVCenter);
    } else {
        drawElidedText(painter, QRectF(left, 7, right - left, kNodeHeight / 2 - 7), s.titleFont,
                       s.text, m_title, Qt::AlignLeft | Qt::AlignBottom);
        drawElidedText(painter,
                       QRectF(left, kNodeHeight / 2 + 1, right - left, kNodeHeight / 2 - 8),
                       s.summaryFont, s.secondaryText, m_summary, Qt::AlignLeft | Qt::AlignTop);
    }
    painter->restore();
}

FlowScene *FlowNodeItem::flowScene() const
{
    return qobject_cast<FlowScene *>(scene());
}

void FlowNodeItem::mousePressEvent(QGraphicsSceneMouseEvent *event)
{
    m_dragStarted = false;
    QGraphicsItem::mousePressEvent(event);
}

void FlowNodeItem::mouseMoveEvent(QGraphicsSceneMouseEvent *event)
{
    FlowScene *flow = flowScene();
    if (!flow || flow->isReadOnly() || m_dragStarted || !(event->buttons() & Qt::LeftButton))
        return;
    const QPoint moved = event->screenPos() - event->buttonDownScreenPos(Qt::LeftButton);
    if (moved.manhattanLength() < QApplication::startDragDistance())
        return;
    m_dragStarted = true;
    flow->startNodeDrag(m_path, event->widget(), event->buttonDownPos(Qt::LeftButton));
}

void FlowNodeItem::mouseDoubleClickEvent(QGraphicsSceneMouseEvent *event)
{
    QGraphicsItem::mouseDoubleClickEvent(event);
    if (FlowScene *flow = flowScene())
        flow->activateNode(m_path);
}

// --- FlowFrameItem --------------------------------------------------------------------------

FlowFrameItem::FlowFrameItem(const QRectF &rect, const FlowStyle *style)
    : FlowItem(style)
    , m_rect(rect)
{
    setZValue(0);
}

QRectF FlowFrameItem::boundingRect() const
{
    return m_rect.adjusted(-1, -1, 1, 1);
}

void FlowFrameItem::addLabel(const QRectF &rect, const QString &text)
{
    m_labels.append({rect, text});
}

void FlowFrameItem::paint(QPainter *painter, const QStyleOptionGraphicsItem *, QWidget *)
{
    const FlowStyle &s = style();
    painter->setRenderHint(QPainter::Antialiasing);
    painter->setPen(QPen(s.frameBorder, 1));
    painter->setBrush(s.frameFill);
    painter->drawRoundedRect(m_rect.adjusted(0.5, 0.5, -0.5, -0.5), kCornerRadius + 2,
                             kCornerRadius + 2);
    for (const auto &[rect, text] : std::as_const(m_labels)) {
        painter->setPen(QPen(s.frameBorder, 1));
        painter->setBrush(s.labelFill);
        painter->drawRoundedRect(rect, rect.height() / 2, rect.height() / 2);
        drawElidedText(painter, rect.adjusted(8, 0, -8, 0), s.labelFont, s.secondaryText, text,
                       Qt::AlignCenter);
    }
}

// --- FlowConnectorItem ----------------------------------------------------------------------

namespace {
constexpr qreal kArrowLength = 7;
constexpr qreal kArrowHalfWidth = 4.5;
} // namespace

FlowConnectorItem::FlowConnectorItem(const QPainterPath &path, const QList<QPointF> &arrowTips,
                                     const FlowStyle *style)
    : FlowItem(style)
    , m_path(path)
    , m_arrowTips(arrowTips)
{
    m_bounds = m_path.boundingRect();
    for (const QPointF &tip : arrowTips)
        m_bounds |= QRectF(tip.x() - kArrowHalfWidth, tip.y() - kArrowLength, 2 * kArrowHalfWidth,
                           kArrowLength);
    m_bounds.adjust(-2, -2, 2, 2);
    setZValue(1);
}

QRectF FlowConnectorItem::boundingRect() const
{
    return m_bounds;
}

void FlowConnectorItem::paint(QPainter *painter, const QStyleOptionGraphicsItem *, QWidget *)
{
    const FlowStyle &s = style();
    painter->setRenderHint(QPainter::Antialiasing);
    painter->setPen(QPen(s.connector, 1.5, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin));
    painter->setBrush(Qt::NoBrush);
    painter->drawPath(m_path);
    painter->setPen(Qt::NoPen);
    painter->setBrush(s.connector);
    for (const QPointF &tip : std::as_const(m_arrowTips)) {
        const QPointF arrow[] = {tip, tip + QPointF(-kArrowHalfWidth, -kArrowLength),
                                 tip + QPointF(kArrowHalfWidth, -kArrowLength)};
        painter->drawPolygon(arrow, 3);
    }
}

// --- FlowDropItem ---------------------------------------------------------------------------

FlowDropItem::FlowDropItem(const FlowDropTarget &target, const QRectF &rect, bool placeholder,
                           const FlowStyle *style)
    : FlowItem(style)
    , m_target(target)
    , m_rect(rect)
    , m_catchRect(rect)
    , m_placeholder(placeholder)
{
    setZValue(3);
}

QRectF FlowDropItem::boundingRect() const
{
    return m_rect.adjusted(-2, -2, 2, 2);
}

QPointF FlowDropItem::anchor() const
{
    return m_rect.center();
}

void FlowDropItem::setDragging(bool dragging)
{
    if (dragging == m_dragging)
        return;
    m_dragging = dragging;
    update();
}

void FlowDropItem::setActive(bool active)
{
    if (active == m_active)
        return;
    m_active = active;
    update();
}

void FlowDropItem::paint(QPainter *painter, const QStyleOptionGraphicsItem *, QWidget *)
{
    const FlowStyle &s = style();
    const bool marks = m_dragging && !exporting();
    painter->setRenderHint(QPainter::Antialiasing);
    if (m_placeholder) {
        const bool active = m_active && marks;
        QPen pen(active ? s.highlight : s.connector, active ? 1.5 : 1,
                 active ? Qt::SolidLine : Qt::DashLine);
        painter->setPen(pen);
        painter->setBrush(active ? withAlpha(s.highlight, 40) : withAlpha(s.nodeFill, 120));
        painter->drawRoundedRect(m_rect.adjusted(0.5, 0.5, -0.5, -0.5), kCornerRadius,
                                 kCornerRadius);
        const QString text = exporting() ? QObject::tr("empty")
                             : marks     ? QObject::tr("Drop here")
                                         : QObject::tr("Drop mediators here");
        drawElidedText(painter, m_rect.adjusted(6, 0, -6, 0), s.labelFont,
                       active ? s.highlight : s.secondaryText, text, Qt::AlignCenter);
        return;
    }
    if (!marks)
        return;
    const QPointF centre = m_rect.center();
    const qreal radius = m_rect.height() / 2 - 1;
    painter->setPen(QPen(s.highlight, 1.5));
    painter->setBrush(m_active ? s.highlight : s.background);
    painter->drawEllipse(centre, radius, radius);
    painter->setPen(
        QPen(m_active ? QColor(Qt::white) : s.highlight, 1.75, Qt::SolidLine, Qt::RoundCap));
    const qreal arm = radius * 0.5;
    painter->drawLine(centre - QPointF(arm, 0), centre + QPointF(arm, 0));
    painter->drawLine(centre - QPointF(0, arm), centre + QPointF(0, arm));
}

// --- FlowTerminalItem -----------------------------------------------------------------------

FlowTerminalItem::FlowTerminalItem(const QString &text, bool start, const FlowStyle *style)
    : FlowItem(style)
    , m_text(text)
    , m_start(start)
{
    m_width = qMax<qreal>(72, QFontMetricsF(style->labelFont).horizontalAdvance(text) + 40);
    m_width = qMin(m_width, kNodeWidth);
    setZValue(2);
}

QRectF FlowTerminalItem::boundingRect() const
{
    return QRectF(-m_width / 2, 0, m_width, kTerminalHeight).adjusted(-1, -1, 1, 1);
}

void FlowTerminalItem::paint(QPainter *painter, const QStyleOptionGraphicsItem *, QWidget *)
{
    const FlowStyle &s = style();
    painter->setRenderHint(QPainter::Antialiasing);
    const QRectF pill(-m_width / 2 + 0.5, 0.5, m_width - 1, kTerminalHeight - 1);
    painter->setPen(QPen(s.connector, 1.25));
    painter->setBrush(s.labelFill);
    painter->drawRoundedRect(pill, pill.height() / 2, pill.height() / 2);

    // A play mark at the start, a stop mark at the end.
    const QPointF mark(pill.left() + 15, pill.center().y());
    painter->setPen(Qt::NoPen);
    painter->setBrush(s.secondaryText);
    if (m_start) {
        const QPointF triangle[] = {mark + QPointF(-3, -4.5), mark + QPointF(-3, 4.5),
                                    mark + QPointF(4.5, 0)};
        painter->drawPolygon(triangle, 3);
    } else {
        painter->drawRoundedRect(QRectF(mark - QPointF(4, 4), QSizeF(8, 8)), 1.5, 1.5);
    }
    drawElidedText(painter, pill.adjusted(26, 0, -12, 0), s.labelFont, s.secondaryText, m_text,
                   Qt::AlignCenter);
}

} // namespace sluice::studio
