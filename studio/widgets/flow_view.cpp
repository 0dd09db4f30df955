// SPDX-License-Identifier: Apache-2.0
#include "flow_view.h"

#include "flow_scene.h"

#include <QMouseEvent>
#include <QPainter>
#include <QScrollBar>
#include <QWheelEvent>
#include <cmath>

namespace sluice::studio {

namespace {
constexpr qreal kZoomStep = 1.2;
constexpr int kMinimapWidth = 132;
constexpr int kMinimapMargin = 12;
constexpr qreal kMinimapInset = 4;
} // namespace

FlowView::FlowView(FlowScene *scene, QWidget *parent)
    : QGraphicsView(scene, parent)
    , m_scene(scene)
    , m_minimap(new FlowMinimap(this))
{
    setRenderHints(QPainter::Antialiasing | QPainter::TextAntialiasing |
                   QPainter::SmoothPixmapTransform);
    setAlignment(Qt::AlignHCenter | Qt::AlignTop);
    setDragMode(QGraphicsView::NoDrag);
    setViewportUpdateMode(QGraphicsView::MinimalViewportUpdate);
    setFocusPolicy(Qt::StrongFocus);
    setAcceptDrops(true);

    connect(scene, &FlowScene::nodeSelected, this, [this](const QList<int> &path) {
        const QRectF rect = m_scene ? m_scene->nodeRect(path) : QRectF();
        if (!rect.isNull())
            ensureVisible(rect, 24, 24);
        m_minimap->update();
    });
    connect(scene, &FlowScene::flowChanged, this, &FlowView::updateMinimap);
    updateMinimap();
}

FlowView::~FlowView() = default;

qreal FlowView::zoom() const
{
    return transform().m11();
}

QRectF FlowView::visibleSceneRect() const
{
    return mapToScene(viewport()->rect()).boundingRect();
}

void FlowView::setZoom(qreal zoom)
{
    zoom = std::clamp(zoom, kMinZoom, kMaxZoom);
    if (qFuzzyCompare(zoom, this->zoom()))
        return;
    setTransform(QTransform::fromScale(zoom, zoom));
    updateMinimap();
    emit zoomChanged(zoom);
}

void FlowView::zoomBy(qreal factor, bool underMouse)
{
    const ViewportAnchor anchor = transformationAnchor();
    setTransformationAnchor(underMouse ? AnchorUnderMouse : AnchorViewCenter);
    setZoom(zoom() * factor);
    setTransformationAnchor(anchor);
}

void FlowView::zoomIn()
{
    zoomBy(kZoomStep, false);
}

void FlowView::zoomOut()
{
    zoomBy(1 / kZoomStep, false);
}

void FlowView::resetZoom()
{
    setZoom(1.0);
}

void FlowView::fitToView()
{
    if (!m_scene)
        return;
    const QRectF content = m_scene->contentRect();
    const QSizeF available = viewport()->size();
    if (content.isEmpty() || available.isEmpty())
        return;
    const qreal fit =
        qMin(available.width() / content.width(), available.height() / content.height());
    setZoom(qMin(1.0, fit));
    centerOn(content.center());
}

void FlowView::scrollToStart()
{
    if (!m_scene)
        return;
    const QRectF content = m_scene->contentRect();
    horizontalScrollBar()->setValue(
        (horizontalScrollBar()->minimum() + horizontalScrollBar()->maximum()) / 2);
    verticalScrollBar()->setValue(verticalScrollBar()->minimum());
    ensureVisible(QRectF(content.center().x(), content.top(), 1, 1), 0, 0);
}

void FlowView::setMinimapEnabled(bool enabled)
{
    m_minimapEnabled = enabled;
    updateMinimap();
}

bool FlowView::exportPng(const QString &fileName, qreal scale)
{
    return m_scene && m_scene->exportPng(fileName, scale);
}

bool FlowView::exportSvg(const QString &fileName)
{
    return m_scene && m_scene->exportSvg(fileName);
}

void FlowView::wheelEvent(QWheelEvent *event)
{
    if (event->modifiers() & Qt::ControlModifier) {
        const int delta = event->angleDelta().y();
        if (delta != 0)
            zoomBy(std::pow(kZoomStep, delta / 120.0), true);
        event->accept();
        return;
    }
    QGraphicsView::wheelEvent(event);
}

void FlowView::keyPressEvent(QKeyEvent *event)
{
    if (event->modifiers() & Qt::ControlModifier) {
        switch (event->key()) {
        case Qt::Key_Plus:
        case Qt::Key_Equal:
            zoomIn();
            return;
        case Qt::Key_Minus:
            zoomOut();
            return;
        case Qt::Key_0:
            resetZoom();
            return;
        default:
            break;
        }
    }
    QGraphicsView::keyPressEvent(event);
}

void FlowView::mousePressEvent(QMouseEvent *event)
{
    if (event->button() == Qt::MiddleButton) {
        m_panning = true;
        m_panOrigin = event->position().toPoint();
        viewport()->setCursor(Qt::ClosedHandCursor);
        event->accept();
        return;
    }
    QGraphicsView::mousePressEvent(event);
    event->accept(); // a press on the empty canvas (clearing the selection) is ours too
}

void FlowView::mouseMoveEvent(QMouseEvent *event)
{
    if (m_panning) {
        const QPoint delta = event->position().toPoint() - m_panOrigin;
        m_panOrigin = event->position().toPoint();
        horizontalScrollBar()->setValue(horizontalScrollBar()->value() - delta.x());
        verticalScrollBar()->setValue(verticalScrollBar()->value() - delta.y());
        event->accept();
        return;
    }
    QGraphicsView::mouseMoveEvent(event);
}

void FlowView::mouseReleaseEvent(QMouseEvent *event)
{
    if (m_panning && event->button() == Qt::MiddleButton) {
        m_panning = false;
        viewport()->unsetCursor();
        event->accept();
        return;
    }
    QGraphicsView::mouseReleaseEvent(event);
}

void FlowView::resizeEvent(QResizeEvent *event)
{
    QGraphicsView::resizeEvent(event);
    updateMinimap();
}

void FlowView::showEvent(QShowEvent *event)
{
    QGraphicsView::showEvent(event);
    if (!m_shown) {
        m_shown = true;
        scrollToStart();
    }
}

void FlowView::scrollContentsBy(int dx, int dy)
{
    QGraphicsView::scrollContentsBy(dx, dy);
    m_minimap->update();
}

void FlowView::updateMinimap()
{
    if (!m_scene)
        return;
    const QRect port = viewport()->geometry();
    const QRectF content = m_scene->contentRect();
    const QSizeF shown = content.size() * zoom();
    const bool fits = shown.width() <= port.width() + 1 && shown.height() <= port.height() + 1;
    const bool show = m_minimapEnabled && !fits && port.width() > 3 * kMinimapWidth &&
                      port.height() > 120 && !content.isEmpty();
    m_minimap->setVisible(show);
    if (!show)
        return;
    const qreal scale = qMin((kMinimapWidth - 2 * kMinimapInset) / content.width(), 0.25);
    const int wanted = qRound(content.height() * scale + 2 * kMinimapInset);
    const int height = qBound(48, wanted, qRound(port.height() * 0.6));
    m_minimap->setGeometry(port.right() - kMinimapMargin - kMinimapWidth + 1,
                           port.top() + kMinimapMargin, kMinimapWidth, height);
    m_minimap->raise();
    m_minimap->update();
}

// --- FlowMinimap ----------------------------------------------------------------------------

FlowMinimap::FlowMinimap(FlowView *view)
    : QWidget(view)
    , m_view(view)
{
    setCursor(Qt::PointingHandCursor);
    setToolTip(tr("Overview: click or drag to scroll"));
    hide();
}

FlowMinimap::Mapping FlowMinimap::mapping() const
{
    Mapping result;
    const FlowScene *scene = m_view->flowScene();
    if (!scene || scene->contentRect().isEmpty())
        return result;
    const QRectF content = scene->contentRect();
    const QRectF inner =
        QRectF(rect()).adjusted(kMinimapInset, kMinimapInset, -kMinimapInset, -kMinimapInset);
    result.scale = qMin(inner.width() / content.width(), 0.25);
    const qreal mappedHeight = content.height() * result.scale;
    qreal offset = 0;
    if (mappedHeight > inner.height()) {
        // Longer than the minimap: it scrolls along with the view, proportionally.
        const QRectF visible = m_view->visibleSceneRect();
        const qreal range = content.height() - visible.height();
        const qreal fraction =
            range > 0 ? std::clamp((visible.top() - content.top()) / range, 0.0, 1.0) : 0.0;
        offset = fraction * (mappedHeight - inner.height());
    }
    result.origin = QPointF(inner.left() + (inner.width() - content.width() * result.scale) / 2,
                            inner.top() - offset);
    return result;
}

qreal FlowMinimap::scale() const
{
    return mapping().scale;
}

QRectF FlowMinimap::mapRect(const Mapping &mapping, const QRectF &sceneRect) const
{
    const QRectF content = m_view->flowScene()->contentRect();
    return QRectF(mapping.origin + (sceneRect.topLeft() - content.topLeft()) * mapping.scale,
                  sceneRect.size() * mapping.scale);
}

QPointF FlowMinimap::fromScene(const QPointF &scenePoint) const
{
    const Mapping map = mapping();
    return map.origin + (scenePoint - m_view->flowScene()->contentRect().topLeft()) * map.scale;
}

QPointF FlowMinimap::toScene(const Mapping &mapping, const QPointF &point) const
{
    return m_view->flowScene()->contentRect().topLeft() + (point - mapping.origin) / mapping.scale;
}

QPointF FlowMinimap::toScene(const QPointF &point) const
{
    return toScene(mapping(), point);
}

void FlowMinimap::paintEvent(QPaintEvent *)
{
    const FlowScene *scene = m_view->flowScene();
    if (!scene)
        return;
    const FlowStyle &style = scene->flowStyle();
    QPainter painter(this);
    painter.setRenderHint(QPainter::Antialiasing);
    QColor background = style.background;
    background.setAlpha(235);
    painter.setPen(QPen(style.frameBorder, 1));
    painter.setBrush(background);
    painter.drawRoundedRect(QRectF(rect()).adjusted(0.5, 0.5, -0.5, -0.5), 6, 6);
    painter.setClipRect(QRectF(rect()).adjusted(2, 2, -2, -2));

    const Mapping map = mapping();
    painter.setPen(QPen(style.frameBorder, 1));
    painter.setBrush(Qt::NoBrush);
    for (const QGraphicsItem *frame : scene->frameItems())
        painter.drawRect(mapRect(map, frame->sceneBoundingRect()));
    painter.setPen(Qt::NoPen);
    const FlowNodeItem *selected = scene->selectedNodeItem();
    for (const FlowNodeItem *item : scene->nodeItems()) {
        painter.setBrush(item == selected ? style.highlight : style.connector);
        const QRectF box = mapRect(
            map, QRectF(item->pos(), QSizeF(FlowMetrics::kNodeWidth, FlowMetrics::kNodeHeight)));
        painter.drawRect(box.adjusted(0, 0, 0, -qMin(1.0, box.height() / 3)));
    }

    QColor fill = style.highlight;
    fill.setAlpha(40);
    painter.setPen(QPen(style.highlight, 1.25));
    painter.setBrush(fill);
    painter.drawRect(mapRect(map, m_view->visibleSceneRect()).intersected(QRectF(rect())));
}

void FlowMinimap::mousePressEvent(QMouseEvent *event)
{
    if (event->button() == Qt::LeftButton) {
        m_dragMapping = mapping();
        m_view->centerOn(toScene(*m_dragMapping, event->position()));
    }
    event->accept();
}

void FlowMinimap::mouseMoveEvent(QMouseEvent *event)
{
    if ((event->buttons() & Qt::LeftButton) && m_dragMapping)
        m_view->centerOn(toScene(*m_dragMapping, event->position()));
    event->accept();
}

void FlowMinimap::mouseReleaseEvent(QMouseEvent *event)
{
    m_dragMapping.reset();
    update();
    event->accept();
}

} // namespace sluice::studio
