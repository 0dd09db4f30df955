// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QGraphicsView>
#include <QPointer>
#include <optional>

namespace sluice::studio {

class FlowMinimap;
class FlowScene;

// The view of a FlowScene: zoom (Ctrl + wheel, Ctrl + +/-/0, or the slots), fit to view,
// panning with the middle mouse button, and a minimap in the top right corner whenever the
// flow does not fit. The selected mediator is scrolled into view.
class FlowView : public QGraphicsView {
    Q_OBJECT
public:
    static constexpr qreal kMinZoom = 0.1;
    static constexpr qreal kMaxZoom = 4.0;

    explicit FlowView(FlowScene *scene, QWidget *parent = nullptr);
    ~FlowView() override;

    FlowScene *flowScene() const { return m_scene; }
    FlowMinimap *minimap() const { return m_minimap; }
    qreal zoom() const;
    // The scene rectangle the viewport shows.
    QRectF visibleSceneRect() const;

    void setMinimapEnabled(bool enabled);
    bool isMinimapEnabled() const { return m_minimapEnabled; }

    bool exportPng(const QString &fileName, qreal scale = 2.0);
    bool exportSvg(const QString &fileName);

public slots:
    void setZoom(qreal zoom);
    void zoomIn();
    void zoomOut();
    void resetZoom();
    // Zooms out (never in past 100 %) until the whole flow is visible.
    void fitToView();
    // Scrolls to the top of the flow (done when the view is first shown).
    void scrollToStart();

signals:
    void zoomChanged(qreal zoom);

protected:
    void wheelEvent(QWheelEvent *event) override;
    void keyPressEvent(QKeyEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;
    void mouseReleaseEvent(QMouseEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;
    void showEvent(QShowEvent *event) override;
    void scrollContentsBy(int dx, int dy) override;

private:
    void zoomBy(qreal factor, bool underMouse);
    void updateMinimap();

    QPointer<FlowScene> m_scene;
    FlowMinimap *m_minimap = nullptr;
    bool m_minimapEnabled = true;
    bool m_panning = false;
    bool m_shown = false;
    QPoint m_panOrigin;
};

// An overview of a long flow: frames and mediators as boxes, the visible part as a rectangle.
// Clicking or dragging in it scrolls the view there.
class FlowMinimap : public QWidget {
    Q_OBJECT
public:
    explicit FlowMinimap(FlowView *view);

    // Scene point shown at a minimap point, and the other way round.
    QPointF toScene(const QPointF &point) const;
    QPointF fromScene(const QPointF &scenePoint) const;
    qreal scale() const;

protected:
    void paintEvent(QPaintEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;
    void mouseReleaseEvent(QMouseEvent *event) override;

private:
    struct Mapping {
        qreal scale = 1;
        QPointF origin; // where the content's top left lands
    };
    Mapping mapping() const;
    QRectF mapRect(const Mapping &mapping, const QRectF &sceneRect) const;
    QPointF toScene(const Mapping &mapping, const QPointF &point) const;

    FlowView *m_view;
    // While dragging in a long minimap, the mapping of the press holds, so that the minimap
    // does not scroll under the mouse.
    std::optional<Mapping> m_dragMapping;
};

} // namespace sluice::studio
