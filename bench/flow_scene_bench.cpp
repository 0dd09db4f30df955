// SPDX-License-Identifier: Apache-2.0
// Flow canvas benchmark: builds the scene of a 500-mediator sequence and scrolls a view over it
// offscreen, rendering every step to an image.
//   QT_QPA_PLATFORM=offscreen flow_scene_bench [mediators] [view width] [view height]
// SLUICE_BENCH_FRAME=frame.png saves the first frame of each run (the last run's remains).

#include "widgets/flow_scene.h"
#include "widgets/flow_view.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QImage>
#include <QPainter>
#include <QScrollBar>
#include <QTextStream>
#include <algorithm>

using namespace sluice::studio;

namespace {

FlowNode mediator(const char *element, const char *title, const QString &summary)
{
    FlowNode node;
    node.icon = QStringLiteral("mediator-") + QString::fromLatin1(element);
    node.title = QString::fromLatin1(title);
    node.summary = summary;
    return node;
}

// count mediators in all. Flat: properties, logs and sends. Mixed: every group of nine is
// property, log, filter{then: property, header; else: drop}, switch{case: log; default: drop};
// five of the nine sit in a branch.
QList<FlowNode> sequence(int count, bool mixed)
{
    QList<FlowNode> nodes;
    int made = 0;
    while (made < count) {
        const int n = made;
        if (!mixed || count - made < 9) {
            const char *element = n % 3 == 0 ? "property" : n % 3 == 1 ? "log" : "send";
            const char *title = n % 3 == 0 ? "Property" : n % 3 == 1 ? "Log" : "Send";
            nodes.append(mediator(element, title, QStringLiteral("step %1 of the flow").arg(n)));
            ++made;
            continue;
        }
        nodes.append(mediator("property", "Property", QStringLiteral("group%1 = on").arg(n)));
        nodes.append(mediator("log", "Log", QStringLiteral("level custom, group %1").arg(n)));
        FlowNode filter = mediator("filter", "Filter", QStringLiteral("$ctx:g = %1").arg(n));
        filter.branches = {
            {QStringLiteral("then"),
             {mediator("property", "Property", QStringLiteral("hit = %1").arg(n)),
              mediator("header", "Header", QStringLiteral("X-Group = %1").arg(n))},
             {}},
            {QStringLiteral("else"), {mediator("drop", "Drop", QString())}, {}},
        };
        nodes.append(filter);
        FlowNode choose = mediator("switch", "Switch", QStringLiteral("source $ctx:kind"));
        choose.branches = {
            {QStringLiteral("case a.*"), {mediator("log", "Log", QStringLiteral("kind a"))}, {}},
            {QStringLiteral("default"), {mediator("drop", "Drop", QString())}, {}},
        };
        nodes.append(choose);
        made += 9;
    }
    return nodes;
}

int countNodes(const QList<FlowNode> &nodes)
{
    int count = 0;
    for (const FlowNode &node : nodes) {
        ++count;
        for (const FlowBranch &branch : node.branches)
            count += countNodes(branch.nodes);
    }
    return count;
}

struct Figures {
    double buildMs = 0;      // first setFlow
    double rebuildMs = 0;    // setFlow again (what every undoable edit costs)
    double firstFrameMs = 0; // cold caches
    double frameMs = 0;      // average per scroll step
    double worstFrameMs = 0;
    int frames = 0;
    QSizeF content;
};

Figures run(const QList<FlowNode> &flow, QSize viewSize, qreal zoom)
{
    Figures figures;
    FlowScene scene;
    QElapsedTimer timer;
    timer.start();
    scene.setFlow(flow, QStringLiteral("bench"));
    figures.buildMs = timer.nsecsElapsed() / 1e6;
    timer.restart();
    scene.setFlow(flow, QStringLiteral("bench"));
    figures.rebuildMs = timer.nsecsElapsed() / 1e6;
    figures.content = scene.contentRect().size();

    FlowView view(&scene);
    view.resize(viewSize);
    view.setZoom(zoom);
    view.show();
    QApplication::processEvents();

    QImage image(view.viewport()->size(), QImage::Format_ARGB32_Premultiplied);
    QScrollBar *bar = view.verticalScrollBar();
    const auto frame = [&] {
        QPainter painter(&image);
        view.viewport()->render(&painter);
    };
    timer.restart();
    frame();
    figures.firstFrameMs = timer.nsecsElapsed() / 1e6;
    // SLUICE_BENCH_FRAME=file.png keeps the first frame, to see what was measured.
    if (const QString keep = qEnvironmentVariable("SLUICE_BENCH_FRAME"); !keep.isEmpty())
        image.save(keep);

    // Scroll top to bottom in steps of a fifth of the viewport, then back up (cached items).
    const int step = qMax(1, view.viewport()->height() / 5);
    QList<int> positions;
    for (int value = bar->minimum(); value <= bar->maximum(); value += step)
        positions.append(value);
    for (qsizetype i = positions.size() - 1; i >= 0; --i)
        positions.append(positions.at(i));
    double total = 0;
    for (const int value : std::as_const(positions)) {
        bar->setValue(value);
        timer.restart();
        frame();
        const double ms = timer.nsecsElapsed() / 1e6;
        total += ms;
        figures.worstFrameMs = std::max(figures.worstFrameMs, ms);
    }
    figures.frames = int(positions.size());
    figures.frameMs = positions.isEmpty() ? 0 : total / positions.size();
    return figures;
}

} // namespace

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    const QStringList arguments = QApplication::arguments();
    const int count = arguments.size() > 1 ? arguments.at(1).toInt() : 500;
    const QSize viewSize(arguments.size() > 2 ? arguments.at(2).toInt() : 1280,
                         arguments.size() > 3 ? arguments.at(3).toInt() : 800);
    QTextStream out(stdout);
    out << "flow_scene_bench: " << count << " mediators, view " << viewSize.width() << 'x'
        << viewSize.height() << ", platform " << QGuiApplication::platformName() << '\n';
    out << "layout      zoom   nodes  scene size      build ms  rebuild ms  1st frame ms  "
           "frame ms avg / worst (frames)\n";
    for (const bool mixed : {false, true}) {
        const QList<FlowNode> flow = sequence(count, mixed);
        for (const qreal zoom : {1.0, 0.5}) {
            const Figures f = run(flow, viewSize, zoom);
            out << qSetFieldWidth(0) << (mixed ? "branching " : "flat      ") << "  "
                << QString::number(zoom * 100, 'f', 0).rightJustified(3) << "%  "
                << QString::number(countNodes(flow)).rightJustified(5) << "  "
                << QStringLiteral("%1x%2")
                       .arg(qRound(f.content.width()))
                       .arg(qRound(f.content.height()))
                       .leftJustified(14)
                << QString::number(f.buildMs, 'f', 1).rightJustified(10)
                << QString::number(f.rebuildMs, 'f', 1).rightJustified(12)
                << QString::number(f.firstFrameMs, 'f', 1).rightJustified(14) << "  "
                << QString::number(f.frameMs, 'f', 2).rightJustified(8) << " / "
                << QString::number(f.worstFrameMs, 'f', 2) << " (" << f.frames << ")\n";
            out.flush();
        }
    }
    return 0;
}
