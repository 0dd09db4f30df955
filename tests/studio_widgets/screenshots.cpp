// SPDX-License-Identifier: Apache-2.0
// Renders the studio widgets in light and dark palettes for docs/images:
//   flow-light.png, flow-dark.png        the sample flow (dispatchSeq with a filter and a switch)
//   widgets-light.png, widgets-dark.png  the palette next to the XML source with a problem
//   icons.png                            every icon at 32 px on a light and a dark background
// Usage: studio_widgets_screenshots [output dir] [--extra]
//   (default dir: the repository's docs/images; --extra adds flow-drop-*, flow-nested-* and
//   the scene's own export-*.svg / .png, for looking at, not for the docs)

#include "sample_flows.h"
#include "widgets/flow_scene.h"
#include "widgets/flow_view.h"
#include "widgets/icons.h"
#include "widgets/palette_widget.h"
#include "widgets/xml_source_editor.h"

#include <QApplication>
#include <QDir>
#include <QDragEnterEvent>
#include <QHBoxLayout>
#include <QMimeData>
#include <QPainter>
#include <QStyleFactory>
#include <QSvgRenderer>
#include <QTextStream>
#include <QTreeView>
#include <memory>

using namespace sluice::studio;
using namespace sluice::studio::samples;

namespace {

const QString kSource = QStringLiteral(R"xml(<?xml version="1.0" encoding="UTF-8"?>
<sequence name="dispatchSeq" trace="disable" xmlns="http://ws.apache.org/ns/synapse">
    <property name="OUT_ONLY" value="true"/>
    <property name="FORCE_SC_ACCEPTED" scope="axis2" type="STRING" value="true"/>
    <property name="websocket.accept.contenType" scope="axis2" value="text/xml"/>
    <!-- clients that completed the handshake go on; others get a fault -->
    <filter source="$ctx:websocket.source.handshake.present" regex="true">
        <then>
            <log level="full"/>
            <header name="X-Client" expression="get-property('client')"/>
        </then>
        <else>
            <makefault version="soap12">
                <code value="soap12Env:Receiver"/>
                <reason value="no handshake"/>
            </makefault>
            <respond/>
        </else>
    </filter>
    <switch source="get-property('messageType')">
        <case regex="text/xml">
            <payloadFactory media-type="xml">
                <format><![CDATA[<ack>$1</ack>]]></format>
                <args><arg evaluator="xml" expression="//id"/></args>
            </payloadFactory>
        </case>
        <case regex="application/json">
            <enrich>...</enrich>
            <call><endpoint key="jsonBackend"/></call>
        </case>
        <default>
            <script language="js">mc.setProperty('seen', 'yes');</script>
            <drop/>
        </default>
    </switch>
    <send>
        <endpoint>
            <address uri="ws://localhost:8082/websocket"/>
        </endpoint>
    </send>
</sequence>
)xml");

QPalette darkPalette()
{
    QPalette palette;
    const QColor window(0x2b, 0x2d, 0x31);
    const QColor base(0x1e, 0x1f, 0x22);
    const QColor text(0xe6, 0xe8, 0xeb);
    palette.setColor(QPalette::Window, window);
    palette.setColor(QPalette::WindowText, text);
    palette.setColor(QPalette::Base, base);
    palette.setColor(QPalette::AlternateBase, window);
    palette.setColor(QPalette::Text, text);
    palette.setColor(QPalette::Button, window);
    palette.setColor(QPalette::ButtonText, text);
    palette.setColor(QPalette::ToolTipBase, window);
    palette.setColor(QPalette::ToolTipText, text);
    palette.setColor(QPalette::PlaceholderText, QColor(0x8b, 0x90, 0x98));
    palette.setColor(QPalette::Highlight, QColor(0x3b, 0x82, 0xf6));
    palette.setColor(QPalette::HighlightedText, Qt::white);
    palette.setColor(QPalette::Disabled, QPalette::Text, QColor(0x8b, 0x90, 0x98));
    palette.setColor(QPalette::Disabled, QPalette::WindowText, QColor(0x8b, 0x90, 0x98));
    return palette;
}

bool save(QWidget &widget, const QDir &dir, const QString &name)
{
    const QString path = QDir::cleanPath(dir.filePath(name));
    const bool ok = widget.grab().save(path, "PNG");
    QTextStream(stdout) << (ok ? "wrote " : "FAILED ") << QDir::toNativeSeparators(path) << '\n';
    return ok;
}

bool shootFlow(const QDir &dir, const QString &theme)
{
    FlowScene scene;
    scene.setFlow(branchingSeq(), QStringLiteral("dispatchSeq"));
    scene.selectNode({3, 1, 0});
    FlowView view(&scene);
    view.setFrameShape(QFrame::NoFrame);
    view.setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    view.setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    view.resize(scene.contentRect().size().toSize());
    view.show();
    QApplication::processEvents();
    return save(view, dir, QStringLiteral("flow-%1.png").arg(theme));
}

// The sample flow while a palette mediator is dragged over it: the drop marks show, the one
// under the cursor is highlighted. extra: a switch with a filter nested in a case.
bool shootDrag(const QDir &dir, const QString &theme)
{
    FlowScene scene;
    scene.setFlow(branchingSeq(), QStringLiteral("dispatchSeq"));
    FlowView view(&scene);
    view.setFrameShape(QFrame::NoFrame);
    view.setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    view.setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    view.resize(scene.contentRect().size().toSize() - QSize(0, 560));
    view.show();
    QApplication::processEvents();
    std::unique_ptr<QMimeData> mime(PaletteWidget::mimeDataForElement(QStringLiteral("log")));
    const QPoint at = view.mapFromScene(scene.dropTargetAnchor({{3, 1}, 1}) + QPointF(40, 6));
    QDragEnterEvent enter(at, Qt::CopyAction, mime.get(), Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(view.viewport(), &enter);
    QDragMoveEvent move(at, Qt::CopyAction, mime.get(), Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(view.viewport(), &move);
    QApplication::processEvents();
    return save(view, dir, QStringLiteral("flow-drop-%1.png").arg(theme));
}

bool shootNested(const QDir &dir, const QString &theme)
{
    FlowScene scene;
    scene.setFlow(nestedSeq(), QStringLiteral("nested"));
    FlowView view(&scene);
    view.setFrameShape(QFrame::NoFrame);
    view.resize(scene.contentRect().size().toSize());
    view.show();
    QApplication::processEvents();
    return save(view, dir, QStringLiteral("flow-nested-%1.png").arg(theme));
}

bool shootWidgets(const QDir &dir, const QString &theme)
{
    QWidget window;
    auto *layout = new QHBoxLayout(&window);
    layout->setContentsMargins(8, 8, 8, 8);
    auto *palette = new PaletteWidget;
    palette->setEntries(paletteEntries());
    palette->setCurrentElement(QStringLiteral("payloadFactory"));
    palette->setFixedWidth(230);
    auto *editor = new XmlSourceEditor;
    editor->setPlainText(kSource);
    editor->showProblem(28, 13, QStringLiteral("<enrich> needs a <source> and a <target>"));
    editor->goToPosition(28, 13);
    layout->addWidget(palette);
    layout->addWidget(editor, 1);
    window.resize(1040, 600);
    window.show();
    QApplication::processEvents();
    return save(window, dir, QStringLiteral("widgets-%1.png").arg(theme));
}

bool shootIcons(const QDir &dir)
{
    const QStringList names = studioIconNames();
    constexpr int columns = 6;
    constexpr QSize cell(150, 70);
    const int rows = int((names.size() + columns - 1) / columns);
    const QSize panel(columns * cell.width(), rows * cell.height() + 16);
    QImage image(panel.width(), panel.height() * 2, QImage::Format_ARGB32_Premultiplied);
    QPainter painter(&image);
    painter.setRenderHints(QPainter::Antialiasing | QPainter::TextAntialiasing);
    QFont font = QApplication::font();
    font.setPointSizeF(font.pointSizeF() * 0.9);
    painter.setFont(font);
    for (const bool dark : {false, true}) {
        const QRect area(0, dark ? panel.height() : 0, panel.width(), panel.height());
        painter.fillRect(area, dark ? QColor(0x1e, 0x1f, 0x22) : QColor(0xf6, 0xf7, 0xf9));
        painter.setPen(dark ? QColor(0xa3, 0xa9, 0xb2) : QColor(0x59, 0x61, 0x6c));
        for (int i = 0; i < names.size(); ++i) {
            const QRect box(area.left() + (i % columns) * cell.width(),
                            area.top() + 8 + (i / columns) * cell.height(), cell.width(),
                            cell.height());
            studioIconRenderer(names.at(i))
                ->render(&painter, QRectF(box.center().x() - 16, box.top() + 6, 32, 32));
            painter.drawText(box.adjusted(4, 42, -4, 0), Qt::AlignHCenter | Qt::AlignTop,
                             names.at(i));
        }
    }
    painter.end();
    const QString path = QDir::cleanPath(dir.filePath(QStringLiteral("icons.png")));
    const bool ok = image.save(path, "PNG");
    QTextStream(stdout) << (ok ? "wrote " : "FAILED ") << QDir::toNativeSeparators(path) << '\n';
    return ok;
}

} // namespace

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QApplication::setStyle(QStyleFactory::create(QStringLiteral("Fusion")));
    QApplication::setWindowIcon(studioIcon(QStringLiteral("sluice")));
    const QStringList arguments = QApplication::arguments();
    const QDir dir(arguments.size() > 1 && !arguments.at(1).startsWith(u'-')
                       ? arguments.at(1)
                       : QStringLiteral(SLUICE_DOCS_IMAGES));
    if (!QDir().mkpath(dir.path()))
        return 1;

    const bool extra = arguments.contains(QStringLiteral("--extra"));
    bool ok = true;
    const QPalette light = QApplication::style()->standardPalette();
    for (const auto &[theme, palette] : {std::pair{QStringLiteral("light"), light},
                                         std::pair{QStringLiteral("dark"), darkPalette()}}) {
        QApplication::setPalette(palette);
        ok = shootFlow(dir, theme) && ok;
        ok = shootWidgets(dir, theme) && ok;
        if (extra) {
            FlowScene scene;
            scene.setFlow(branchingSeq(), QStringLiteral("dispatchSeq"));
            ok = scene.exportSvg(dir.filePath(QStringLiteral("export-%1.svg").arg(theme))) && ok;
            ok = scene.exportPng(dir.filePath(QStringLiteral("export-%1.png").arg(theme))) && ok;
            ok = shootDrag(dir, theme) && ok;
            ok = shootNested(dir, theme) && ok;
        }
    }
    ok = shootIcons(dir) && ok;
    return ok ? 0 : 1;
}
