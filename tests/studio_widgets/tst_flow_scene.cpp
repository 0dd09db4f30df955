// SPDX-License-Identifier: Apache-2.0
// The flow canvas: layout, selection, keyboard, drops and moves, export, the view.

#include "sample_flows.h"
#include "widgets/flow_scene.h"
#include "widgets/flow_view.h"
#include "widgets/palette_widget.h"

#include <QApplication>
#include <QDragEnterEvent>
#include <QImage>
#include <QMimeData>
#include <QScrollBar>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QSvgRenderer>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeView>
#include <memory>

using namespace sluice::studio;
using namespace sluice::studio::samples;

Q_DECLARE_METATYPE(QList<Qt::Key>)

namespace {

FlowPath p(std::initializer_list<int> indices)
{
    return FlowPath(indices);
}

// All node paths of a flow, depth first.
void collectPaths(const QList<FlowNode> &nodes, QList<FlowPath> &paths)
{
    for (const FlowNode &node : nodes) {
        paths.append(node.path);
        if (!node.opaque) {
            for (const FlowBranch &branch : node.branches)
                collectPaths(branch.nodes, paths);
        }
    }
}

QRectF frameRectOf(const FlowScene &scene, const FlowPath &path)
{
    // The frame whose header card is this node's.
    const QRectF card = scene.nodeRect(path);
    for (const QGraphicsItem *frame : scene.frameItems()) {
        const QRectF rect = frame->sceneBoundingRect();
        if (rect.contains(card) && qAbs(rect.center().x() - card.center().x()) < 1 &&
            card.top() - rect.top() < FlowMetrics::kFramePadding + 2)
            return rect;
    }
    return {};
}

} // namespace

class TestFlowScene : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() { qRegisterMetaType<const QMimeData *>(); }
    void layoutTopToBottom();
    void layoutBranchesSideBySide();
    void layoutHasNoOverlaps_data();
    void layoutHasNoOverlaps();
    void opaqueNodesHideTheirChildren();
    void emptyFlowHasOneDropTarget();
    void dropTargets();
    void clickSelects();
    void selectionSurvivesRebuild();
    void rebuildFromSignalHandlers();
    void keyboardNavigation_data();
    void keyboardNavigation();
    void deleteKey();
    void returnActivates();
    void paletteDropOnFlow_data();
    void paletteDropOnFlow();
    void dragEventsThroughTheView();
    void moveNode();
    void moveRefusesNoOpsAndCycles();
    void foreignNodeDragRefused();
    void readOnlyRefusesDrops();
    void exportPngAndSvg();
    void zoomAndFit();
    void minimapForLongFlows();
    void paletteChangeRestyles();
};

void TestFlowScene::layoutTopToBottom()
{
    FlowScene scene;
    scene.setFlow(dispatchSeq(), QStringLiteral("dispatchSeq"));
    QCOMPARE(scene.nodeItems().size(), 4);
    for (int i = 0; i < 4; ++i) {
        const QRectF rect = scene.nodeRect(p({i}));
        QVERIFY(!rect.isNull());
        QCOMPARE(rect.center().x(), scene.nodeRect(p({0})).center().x());
        if (i > 0) {
            const QRectF above = scene.nodeRect(p({i - 1}));
            QCOMPARE(rect.top() - above.bottom(), FlowMetrics::kGap);
        }
    }
    QVERIFY(scene.contentRect().contains(scene.nodeRect(p({3}))));
}

void TestFlowScene::layoutBranchesSideBySide()
{
    FlowScene scene;
    scene.setFlow(branchingSeq());

    // Filter {3}: then and else side by side, starting at the same height, under the header.
    const QRectF header = scene.nodeRect(p({3}));
    const QRectF then0 = scene.nodeRect(p({3, 0, 0}));
    const QRectF else0 = scene.nodeRect(p({3, 1, 0}));
    QVERIFY(then0.right() < else0.left());
    QCOMPARE(then0.top(), else0.top());
    QVERIFY(then0.top() > header.bottom());
    QVERIFY(scene.nodeRect(p({3, 0, 1})).top() > then0.bottom());
    QCOMPARE(scene.nodeRect(p({3, 0, 1})).center().x(), then0.center().x());
    // The header is centred over its branches.
    QCOMPARE(header.center().x(), (then0.center().x() + else0.center().x()) / 2);

    // Switch {4}: two cases and default, left to right.
    const QRectF case0 = scene.nodeRect(p({4, 0, 0}));
    const QRectF case1 = scene.nodeRect(p({4, 1, 0}));
    const QRectF fallback = scene.nodeRect(p({4, 2, 0}));
    QVERIFY(case0.right() < case1.left());
    QVERIFY(case1.right() < fallback.left());
    QCOMPARE(case0.top(), fallback.top());

    // Everything of the filter is above the switch, and the send comes last, centred.
    const QRectF filterFrame = frameRectOf(scene, p({3}));
    QVERIFY(!filterFrame.isNull());
    for (const FlowPath &path : {p({3, 0, 0}), p({3, 0, 1}), p({3, 1, 0}), p({3, 1, 1})})
        QVERIFY(filterFrame.contains(scene.nodeRect(path)));
    QVERIFY(scene.nodeRect(p({4})).top() > filterFrame.bottom());
    const QRectF switchFrame = frameRectOf(scene, p({4}));
    QVERIFY(scene.nodeRect(p({5})).top() > switchFrame.bottom());
    QCOMPARE(scene.nodeRect(p({5})).center().x(), scene.nodeRect(p({0})).center().x());
}

void TestFlowScene::layoutHasNoOverlaps_data()
{
    QTest::addColumn<QList<FlowNode>>("flow");
    QTest::newRow("dispatchSeq") << dispatchSeq();
    QTest::newRow("branching") << branchingSeq();
    QTest::newRow("nested") << nestedSeq();
    QTest::newRow("long") << longSeq(60, true);
}

void TestFlowScene::layoutHasNoOverlaps()
{
    QFETCH(QList<FlowNode>, flow);
    FlowScene scene;
    scene.setFlow(flow);
    QList<FlowPath> paths;
    collectPaths(flow, paths);
    QCOMPARE(scene.nodeItems().size(), paths.size());
    QList<QRectF> rects;
    for (const FlowPath &path : std::as_const(paths)) {
        const QRectF rect = scene.nodeRect(path);
        QVERIFY2(!rect.isNull(), qPrintable(FlowScene::pathToString(path)));
        for (const QRectF &other : std::as_const(rects))
            QVERIFY2(!rect.intersects(other), qPrintable(FlowScene::pathToString(path)));
        rects.append(rect);
        QVERIFY(scene.contentRect().contains(rect));
    }
    // Frames nest or stand apart; they never cross.
    const QList<QGraphicsItem *> frames = scene.frameItems();
    for (const QGraphicsItem *a : frames) {
        for (const QGraphicsItem *b : frames) {
            if (a == b)
                continue;
            const QRectF ra = a->sceneBoundingRect();
            const QRectF rb = b->sceneBoundingRect();
            QVERIFY(!ra.intersects(rb) || ra.contains(rb) || rb.contains(ra));
        }
    }
}

void TestFlowScene::opaqueNodesHideTheirChildren()
{
    QList<FlowNode> flow = branchingSeq();
    flow[3].opaque = true; // the filter, as if the studio could not open it
    FlowScene scene;
    scene.setFlow(flow);
    QVERIFY(scene.nodeItem(p({3}))->isOpaque());
    QVERIFY(!scene.nodeItem(p({3, 0, 0})));
    // The switch after it: its frame starts one gap below the closed filter.
    QCOMPARE(scene.nodeRect(p({4})).top() - FlowMetrics::kFramePadding -
                 scene.nodeRect(p({3})).bottom(),
             FlowMetrics::kGap);
    QVERIFY(scene.nodeItem(p({4, 2, 0}))->isOpaque()); // the <script> in the default branch
}

void TestFlowScene::emptyFlowHasOneDropTarget()
{
    FlowScene scene;
    scene.setFlow({}, QStringLiteral("empty"));
    QCOMPARE(scene.dropTargets(), (QList<FlowDropTarget>{FlowDropTarget{{}, 0}}));
    QVERIFY(scene.nodeItems().isEmpty());
}

void TestFlowScene::dropTargets()
{
    FlowScene scene;
    QList<FlowNode> flow = branchingSeq();
    flow[3].branches[1].nodes.clear(); // empty else
    scene.setFlow(flow);
    const QList<FlowDropTarget> targets = scene.dropTargets();
    // Root: before each of 6 mediators and after the last.
    for (int i = 0; i <= 6; ++i)
        QVERIFY(targets.contains(FlowDropTarget{{}, i}));
    QVERIFY(targets.contains(FlowDropTarget{p({3, 0}), 0}));
    QVERIFY(targets.contains(FlowDropTarget{p({3, 0}), 2}));
    QVERIFY(targets.contains(FlowDropTarget{p({3, 1}), 0})); // the empty else
    QVERIFY(!targets.contains(FlowDropTarget{p({3, 1}), 1}));
    QVERIFY(targets.contains(FlowDropTarget{p({4, 2}), 2}));
    // The opaque <script> has no targets inside.
    for (const FlowDropTarget &target : targets)
        QVERIFY(!(target.parentPath.size() > 2 && target.parentPath.mid(0, 3) == p({4, 2, 0})));
}

void TestFlowScene::clickSelects()
{
    FlowScene scene;
    scene.setFlow(branchingSeq());
    FlowView view(&scene);
    view.resize(900, 700);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    QSignalSpy selected(&scene, &FlowScene::nodeSelected);

    const QPoint target = view.mapFromScene(scene.nodeRect(p({1})).center());
    QTest::mouseClick(view.viewport(), Qt::LeftButton, {}, target);
    QCOMPARE(selected.size(), 1);
    QCOMPARE(selected.takeFirst().at(0).value<QList<int>>(), p({1}));
    QCOMPARE(scene.selectedPath(), p({1}));

    // A click on the empty canvas clears the selection.
    const QPoint empty = view.mapFromScene(scene.contentRect().topLeft() + QPointF(4, 4));
    QTest::mouseClick(view.viewport(), Qt::LeftButton, {}, empty);
    QCOMPARE(selected.size(), 1);
    QCOMPARE(selected.takeFirst().at(0).value<QList<int>>(), FlowPath());
}

void TestFlowScene::selectionSurvivesRebuild()
{
    FlowScene scene;
    scene.setFlow(branchingSeq());
    scene.selectNode(p({3, 1, 0}));
    QSignalSpy selected(&scene, &FlowScene::nodeSelected);
    scene.setFlow(branchingSeq());
    QCOMPARE(scene.selectedPath(), p({3, 1, 0}));
    QCOMPARE(selected.size(), 0);

    // The selected mediator is gone: the selection clears, and says so.
    scene.setFlow(dispatchSeq());
    QCOMPARE(scene.selectedPath(), FlowPath());
    QCOMPARE(selected.size(), 1);
    QCOMPARE(selected.takeFirst().at(0).value<QList<int>>(), FlowPath());
}

// The document model answers signals by calling setFlow(), synchronously: the items under the
// mouse or the drop are replaced while their event is still being delivered.
void TestFlowScene::rebuildFromSignalHandlers()
{
    FlowScene scene;
    const QList<FlowNode> flow = branchingSeq();
    scene.setFlow(flow);
    FlowView view(&scene);
    view.resize(900, 700);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    int rebuilds = 0;
    const auto rebuild = [&] {
        ++rebuilds;
        scene.setFlow(flow);
    };
    connect(&scene, &FlowScene::nodeSelected, this, rebuild);
    connect(&scene, &FlowScene::dropRequested, this, rebuild);
    connect(&scene, &FlowScene::deleteRequested, this, rebuild);

    QTest::mouseClick(view.viewport(), Qt::LeftButton, {},
                      view.mapFromScene(scene.nodeRect(p({3, 0, 1})).center()));
    QCOMPARE(rebuilds, 1);
    QCOMPARE(scene.selectedPath(), p({3, 0, 1}));
    QTest::mouseClick(view.viewport(), Qt::LeftButton, {},
                      view.mapFromScene(scene.nodeRect(p({1})).center()));
    QCOMPARE(rebuilds, 2);
    QCOMPARE(scene.selectedPath(), p({1}));

    view.setFocus();
    QTest::keyClick(&view, Qt::Key_Delete);
    QCOMPARE(rebuilds, 3);

    std::unique_ptr<QMimeData> mime(PaletteWidget::mimeDataForElement(QStringLiteral("log")));
    const QPoint at = view.mapFromScene(scene.dropTargetAnchor({{}, 2}));
    QDragEnterEvent enter(at, Qt::CopyAction, mime.get(), Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(view.viewport(), &enter);
    QDropEvent drop(at, Qt::CopyAction, mime.get(), Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(view.viewport(), &drop);
    QCOMPARE(rebuilds, 4);
    QCoreApplication::processEvents(); // the replaced items are deleted now
    QCOMPARE(scene.nodeItems().size(), 15);
    for (const FlowNodeItem *item : scene.nodeItems())
        QCOMPARE(item->scene(), &scene);
}

void TestFlowScene::keyboardNavigation_data()
{
    QTest::addColumn<QList<int>>("start");
    QTest::addColumn<QList<Qt::Key>>("keys");
    QTest::addColumn<QList<int>>("expected");

    using Keys = QList<Qt::Key>;
    QTest::newRow("nothing selected, down") << FlowPath() << Keys{Qt::Key_Down} << p({0});
    QTest::newRow("down the properties") << p({0}) << Keys{Qt::Key_Down, Qt::Key_Down} << p({2});
    QTest::newRow("down onto the filter") << p({2}) << Keys{Qt::Key_Down} << p({3});
    QTest::newRow("down into then") << p({3}) << Keys{Qt::Key_Down} << p({3, 0, 0});
    QTest::newRow("down out of then") << p({3, 0, 1}) << Keys{Qt::Key_Down} << p({4});
    QTest::newRow("down out of else") << p({3, 1, 1}) << Keys{Qt::Key_Down} << p({4});
    QTest::newRow("up from the switch") << p({4}) << Keys{Qt::Key_Up} << p({3, 0, 1});
    QTest::newRow("up to the header") << p({3, 1, 0}) << Keys{Qt::Key_Up} << p({3});
    QTest::newRow("up at the top stays") << p({0}) << Keys{Qt::Key_Up} << p({0});
    QTest::newRow("right to else") << p({3, 0, 0}) << Keys{Qt::Key_Right} << p({3, 1, 0});
    QTest::newRow("right keeps the row") << p({3, 0, 1}) << Keys{Qt::Key_Right} << p({3, 1, 1});
    QTest::newRow("left back to then") << p({3, 1, 1}) << Keys{Qt::Key_Left} << p({3, 0, 1});
    QTest::newRow("across the switch")
        << p({4, 0, 0}) << Keys{Qt::Key_Right, Qt::Key_Right} << p({4, 2, 0});
    QTest::newRow("shorter branch clamps") << p({4, 1, 1}) << Keys{Qt::Key_Left} << p({4, 0, 0});
    QTest::newRow("right at the edge") << p({4, 2, 1}) << Keys{Qt::Key_Right} << p({4, 2, 1});
    QTest::newRow("left in the sequence stays") << p({1}) << Keys{Qt::Key_Left} << p({1});
    QTest::newRow("home") << p({4, 1, 0}) << Keys{Qt::Key_Home} << p({0});
    QTest::newRow("end") << p({1}) << Keys{Qt::Key_End} << p({5});
    QTest::newRow("down at the end stays") << p({5}) << Keys{Qt::Key_Down} << p({5});
    QTest::newRow("walk the whole first branch")
        << p({0}) << Keys{Qt::Key_Down, Qt::Key_Down, Qt::Key_Down, Qt::Key_Down,
                          Qt::Key_Down, Qt::Key_Down, Qt::Key_Down, Qt::Key_Down}
        << p({5});
}

void TestFlowScene::keyboardNavigation()
{
    QFETCH(QList<int>, start);
    QFETCH(QList<Qt::Key>, keys);
    QFETCH(QList<int>, expected);

    FlowScene scene;
    scene.setFlow(branchingSeq());
    FlowView view(&scene);
    view.resize(900, 600);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    view.setFocus();
    scene.selectNode(start);
    QCOMPARE(scene.selectedPath(), start);
    for (const Qt::Key key : keys)
        QTest::keyClick(&view, key);
    QCOMPARE(scene.selectedPath(), expected);
    // The selected node is scrolled into view.
    QVERIFY(view.visibleSceneRect().intersects(scene.nodeRect(expected)));
}

void TestFlowScene::deleteKey()
{
    FlowScene scene;
    scene.setFlow(branchingSeq());
    FlowView view(&scene);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    view.setFocus();
    QSignalSpy deleted(&scene, &FlowScene::deleteRequested);

    QTest::keyClick(&view, Qt::Key_Delete); // nothing selected
    QCOMPARE(deleted.size(), 0);

    scene.selectNode(p({3, 1, 0}));
    QTest::keyClick(&view, Qt::Key_Delete);
    QCOMPARE(deleted.size(), 1);
    QCOMPARE(deleted.takeFirst().at(0).value<QList<int>>(), p({3, 1, 0}));
    QTest::keyClick(&view, Qt::Key_Backspace);
    QCOMPARE(deleted.size(), 1);

    scene.setReadOnly(true);
    QTest::keyClick(&view, Qt::Key_Delete);
    QCOMPARE(deleted.size(), 1);
}

void TestFlowScene::returnActivates()
{
    FlowScene scene;
    scene.setFlow(dispatchSeq());
    FlowView view(&scene);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    view.setFocus();
    QSignalSpy activated(&scene, &FlowScene::nodeActivated);
    scene.selectNode(p({2}));
    QTest::keyClick(&view, Qt::Key_Return);
    QCOMPARE(activated.size(), 1);
    QCOMPARE(activated.takeFirst().at(0).value<QList<int>>(), p({2}));

    QTest::mouseDClick(view.viewport(), Qt::LeftButton, {},
                       view.mapFromScene(scene.nodeRect(p({1})).center()));
    QCOMPARE(activated.size(), 1);
    QCOMPARE(activated.takeFirst().at(0).value<QList<int>>(), p({1}));
}

namespace {
enum class Aim { Anchor, UpperHalf, LowerHalf };
}

void TestFlowScene::paletteDropOnFlow_data()
{
    QTest::addColumn<QString>("element");
    QTest::addColumn<QList<int>>("aimAt"); // a node path, or a drop target's parent + index
    QTest::addColumn<int>("aim");
    QTest::addColumn<QList<int>>("parentPath");
    QTest::addColumn<int>("index");

    const int anchor = int(Aim::Anchor);
    const int upper = int(Aim::UpperHalf);
    const int lower = int(Aim::LowerHalf);
    QTest::newRow("between two properties")
        << QStringLiteral("log") << p({2}) << anchor << p({}) << 2;
    QTest::newRow("before the first") << QStringLiteral("drop") << p({0}) << anchor << p({}) << 0;
    QTest::newRow("after the last") << QStringLiteral("respond") << p({6}) << anchor << p({}) << 6;
    QTest::newRow("upper half") << QStringLiteral("log") << p({1}) << upper << p({}) << 1;
    QTest::newRow("lower half") << QStringLiteral("log") << p({1}) << lower << p({}) << 2;
    QTest::newRow("into then") << QStringLiteral("header") << p({3, 0, 1}) << anchor << p({3, 0})
                               << 1;
    QTest::newRow("lower half in else")
        << QStringLiteral("enrich") << p({3, 1, 1}) << lower << p({3, 1}) << 2;
    QTest::newRow("into the empty case")
        << QStringLiteral("call") << p({4, 0, 0}) << anchor << p({4, 0}) << 0;
    QTest::newRow("end of default")
        << QStringLiteral("send") << p({4, 2, 2}) << anchor << p({4, 2}) << 2;
}

void TestFlowScene::paletteDropOnFlow()
{
    QFETCH(QString, element);
    QFETCH(QList<int>, aimAt);
    QFETCH(int, aim);
    QFETCH(QList<int>, parentPath);
    QFETCH(int, index);

    QList<FlowNode> flow = branchingSeq();
    flow[4].branches[0].nodes.clear(); // an empty case
    FlowScene scene;
    scene.setFlow(flow);

    // Mime data as the palette's view makes it when a drag starts.
    PaletteWidget palette;
    palette.setEntries(paletteEntries());
    palette.setCurrentElement(element);
    const QModelIndex source = palette.view()->currentIndex();
    QVERIFY(source.isValid());
    std::unique_ptr<QMimeData> mime(palette.view()->model()->mimeData({source}));
    QVERIFY(mime);

    QPointF at;
    if (aim == int(Aim::Anchor)) {
        FlowDropTarget target{aimAt.mid(0, aimAt.size() - 1), aimAt.last()};
        at = scene.dropTargetAnchor(target);
        QVERIFY2(!at.isNull(), "no such drop target");
    } else {
        const QRectF rect = scene.nodeRect(aimAt);
        at = rect.center() + QPointF(30, aim == int(Aim::UpperHalf) ? -12 : 12);
    }

    QString dropped;
    QList<int> droppedParent;
    int droppedIndex = -1;
    connect(&scene, &FlowScene::dropRequested, this,
            [&](const QList<int> &parent, int position, const QMimeData *data) {
                dropped = PaletteWidget::elementFromMimeData(data);
                droppedParent = parent;
                droppedIndex = position;
            });
    QVERIFY(scene.handleDrop(at, mime.get()));
    QCOMPARE(dropped, element);
    QCOMPARE(droppedParent, parentPath);
    QCOMPARE(droppedIndex, index);
}

void TestFlowScene::dragEventsThroughTheView()
{
    FlowScene scene;
    scene.setFlow(dispatchSeq());
    FlowView view(&scene);
    view.resize(700, 600);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    QSignalSpy dropped(&scene, &FlowScene::dropRequested);

    std::unique_ptr<QMimeData> mime(PaletteWidget::mimeDataForElement(QStringLiteral("log")));
    const QPoint at = view.mapFromScene(scene.dropTargetAnchor({{}, 3}));
    QDragEnterEvent enter(at, Qt::CopyAction, mime.get(), Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(view.viewport(), &enter);
    QVERIFY(enter.isAccepted());
    QDragMoveEvent move(at, Qt::CopyAction, mime.get(), Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(view.viewport(), &move);
    QVERIFY(move.isAccepted());
    QDropEvent drop(at, Qt::CopyAction, mime.get(), Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(view.viewport(), &drop);
    QVERIFY(drop.isAccepted());
    QCOMPARE(drop.dropAction(), Qt::CopyAction);
    QCOMPARE(dropped.size(), 1);
    QCOMPARE(dropped.at(0).at(0).value<QList<int>>(), FlowPath());
    QCOMPARE(dropped.at(0).at(1).toInt(), 3);

    // Plain text is not a mediator.
    QMimeData text;
    text.setText(QStringLiteral("<log/>"));
    QDragEnterEvent refused(at, Qt::CopyAction, &text, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(view.viewport(), &refused);
    QVERIFY(!refused.isAccepted());
}

void TestFlowScene::moveNode()
{
    FlowScene scene;
    scene.setFlow(branchingSeq());
    QSignalSpy moved(&scene, &FlowScene::moveRequested);
    std::unique_ptr<QMimeData> mime(scene.nodeMimeData(p({0})));
    QVERIFY(scene.handleDrop(scene.dropTargetAnchor({{}, 3}), mime.get()));
    QCOMPARE(moved.size(), 1);
    QCOMPARE(moved.at(0).at(0).value<QList<int>>(), p({0}));
    QCOMPARE(moved.at(0).at(1).value<QList<int>>(), FlowPath());
    QCOMPARE(moved.at(0).at(2).toInt(), 3);

    // From a branch to the sequence.
    mime.reset(scene.nodeMimeData(p({4, 1, 1})));
    QVERIFY(scene.handleDrop(scene.dropTargetAnchor({{}, 6}), mime.get()));
    QCOMPARE(moved.size(), 2);
    QCOMPARE(moved.at(1).at(0).value<QList<int>>(), p({4, 1, 1}));
    QCOMPARE(moved.at(1).at(2).toInt(), 6);
}

void TestFlowScene::moveRefusesNoOpsAndCycles()
{
    FlowScene scene;
    scene.setFlow(branchingSeq());
    QSignalSpy moved(&scene, &FlowScene::moveRequested);
    std::unique_ptr<QMimeData> mime(scene.nodeMimeData(p({1})));
    // Right before or after itself: nothing to do.
    QVERIFY(!scene.dropTargetAt(scene.dropTargetAnchor({{}, 1}), mime.get()));
    QVERIFY(!scene.dropTargetAt(scene.dropTargetAnchor({{}, 2}), mime.get()));
    QVERIFY(scene.dropTargetAt(scene.dropTargetAnchor({{}, 3}), mime.get()));
    // A filter into its own branch.
    mime.reset(scene.nodeMimeData(p({3})));
    QVERIFY(!scene.handleDrop(scene.dropTargetAnchor({p({3, 0}), 1}), mime.get()));
    QCOMPARE(moved.size(), 0);
}

void TestFlowScene::foreignNodeDragRefused()
{
    FlowScene scene;
    scene.setFlow(dispatchSeq());
    FlowScene other;
    other.setFlow(dispatchSeq());
    std::unique_ptr<QMimeData> mime(other.nodeMimeData(p({0})));
    QVERIFY(!scene.canAccept(mime.get()));
    QVERIFY(!scene.handleDrop(scene.dropTargetAnchor({{}, 3}), mime.get()));
}

void TestFlowScene::readOnlyRefusesDrops()
{
    FlowScene scene;
    scene.setFlow(dispatchSeq());
    scene.setReadOnly(true);
    std::unique_ptr<QMimeData> mime(PaletteWidget::mimeDataForElement(QStringLiteral("log")));
    QVERIFY(!scene.handleDrop(scene.dropTargetAnchor({{}, 1}), mime.get()));
}

void TestFlowScene::exportPngAndSvg()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    FlowScene scene;
    scene.setFlow(branchingSeq(), QStringLiteral("dispatchSeq"));
    scene.selectNode(p({1}));

    const QString png = dir.filePath(QStringLiteral("flow.png"));
    QVERIFY(scene.exportPng(png, 1.0));
    const QImage image(png);
    QVERIFY(!image.isNull());
    QCOMPARE(image.size(), scene.contentRect().size().toSize());
    // Not a blank image: the cards differ from the background.
    const QRgb background = image.pixel(2, 2);
    const QPointF origin = scene.contentRect().topLeft();
    const QPoint card = (scene.nodeRect(p({0})).center() - origin).toPoint();
    QVERIFY(image.pixel(card) != background);
    QVERIFY(scene.exportPng(dir.filePath(QStringLiteral("flow2x.png"))));
    QCOMPARE(QImage(dir.filePath(QStringLiteral("flow2x.png"))).width(), image.width() * 2);
    QCOMPARE(scene.selectedPath(), p({1})); // export leaves the selection alone

    const QString svg = dir.filePath(QStringLiteral("flow.svg"));
    QVERIFY(scene.exportSvg(svg));
    QSvgRenderer renderer(svg);
    QVERIFY(renderer.isValid());
    QFile file(svg);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray text = file.readAll();
    QVERIFY(text.contains("<svg"));
    QVERIFY(text.contains("Payload Factory"));
    QVERIFY(text.contains("<title>dispatchSeq</title>"));

    QVERIFY(!scene.exportPng(dir.filePath(QStringLiteral("missing/dir/flow.png"))));
}

void TestFlowScene::zoomAndFit()
{
    FlowScene scene;
    scene.setFlow(longSeq(40, true));
    FlowView view(&scene);
    view.resize(800, 500);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    QSignalSpy zoomed(&view, &FlowView::zoomChanged);
    QCOMPARE(view.zoom(), 1.0);
    // A long flow opens at its start.
    QCOMPARE(view.verticalScrollBar()->value(), view.verticalScrollBar()->minimum());
    QVERIFY(view.visibleSceneRect().contains(scene.nodeRect(p({0}))));
    view.zoomIn();
    QVERIFY(view.zoom() > 1.0);
    view.resetZoom();
    QCOMPARE(view.zoom(), 1.0);
    view.zoomOut();
    QVERIFY(view.zoom() < 1.0);
    QCOMPARE(zoomed.size(), 3);

    // Ctrl + wheel zooms; a plain wheel scrolls.
    view.resetZoom();
    const QPoint centre = view.viewport()->rect().center();
    QWheelEvent wheel(centre, view.viewport()->mapToGlobal(centre), QPoint(), QPoint(0, 120),
                      Qt::NoButton, Qt::ControlModifier, Qt::NoScrollPhase, false);
    QApplication::sendEvent(view.viewport(), &wheel);
    QVERIFY(view.zoom() > 1.1);
    view.resetZoom();
    const int scrolled = view.verticalScrollBar()->value();
    QWheelEvent plain(centre, view.viewport()->mapToGlobal(centre), QPoint(), QPoint(0, -120),
                      Qt::NoButton, Qt::NoModifier, Qt::NoScrollPhase, false);
    QApplication::sendEvent(view.viewport(), &plain);
    QVERIFY(view.verticalScrollBar()->value() > scrolled);
    QCOMPARE(view.zoom(), 1.0);

    view.fitToView();
    QVERIFY(view.zoom() < 1.0);
    const QRectF visible = view.visibleSceneRect().adjusted(-1, -1, 1, 1);
    QVERIFY(visible.contains(scene.contentRect()));

    view.setZoom(100);
    QCOMPARE(view.zoom(), FlowView::kMaxZoom);
    QTest::keyClick(&view, Qt::Key_0, Qt::ControlModifier);
    QCOMPARE(view.zoom(), 1.0);
}

void TestFlowScene::minimapForLongFlows()
{
    FlowScene scene;
    scene.setFlow(dispatchSeq());
    FlowView view(&scene);
    view.resize(800, 700);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    QVERIFY(!view.minimap()->isVisible()); // fits

    scene.setFlow(longSeq(200, true));
    QVERIFY(view.minimap()->isVisible());
    QVERIFY(view.minimap()->geometry().right() <= view.viewport()->geometry().right());
    // Clicking the minimap's lower part scrolls down.
    const int before = view.verticalScrollBar()->value();
    QTest::mouseClick(view.minimap(), Qt::LeftButton, {},
                      QPoint(view.minimap()->width() / 2, view.minimap()->height() - 5));
    QVERIFY(view.verticalScrollBar()->value() > before);

    view.setMinimapEnabled(false);
    QVERIFY(!view.minimap()->isVisible());
    view.setMinimapEnabled(true);
    view.fitToView(); // all visible (zoom clamps at 10 %? then still long) or hidden
    const QSizeF shown = scene.contentRect().size() * view.zoom();
    QCOMPARE(view.minimap()->isVisible(), shown.height() > view.viewport()->height() + 1 ||
                                              shown.width() > view.viewport()->width() + 1);
}

void TestFlowScene::paletteChangeRestyles()
{
    FlowScene scene;
    scene.setFlow(branchingSeq());
    scene.selectNode(p({4, 1, 0}));
    QVERIFY(!scene.flowStyle().dark);
    QPalette dark;
    dark.setColor(QPalette::Window, QColor(0x20, 0x20, 0x20));
    dark.setColor(QPalette::WindowText, Qt::white);
    QSignalSpy selected(&scene, &FlowScene::nodeSelected);
    scene.setPalette(dark);
    QVERIFY(scene.flowStyle().dark);
    QCOMPARE(scene.selectedPath(), p({4, 1, 0}));
    QCOMPARE(selected.size(), 0);

    // A scene that follows the application palette restyles when it changes.
    FlowScene follower;
    follower.setFlow(dispatchSeq());
    const QPalette original = QApplication::palette();
    QApplication::setPalette(dark);
    QTRY_VERIFY(follower.flowStyle().dark);
    QApplication::setPalette(original);
    QTRY_VERIFY(!follower.flowStyle().dark);
}

QTEST_MAIN(TestFlowScene)
#include "tst_flow_scene.moc"
