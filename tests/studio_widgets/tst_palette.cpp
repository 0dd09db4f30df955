// SPDX-License-Identifier: Apache-2.0
// The mediator palette (groups, search, drag mime data, activation) and the icon set.

#include "artifacts/mediator_catalog.h"
#include "sample_flows.h"
#include "widgets/icons.h"
#include "widgets/palette_widget.h"

#include <QLabel>
#include <QLineEdit>
#include <QMimeData>
#include <QPainter>
#include <QSignalSpy>
#include <QSvgRenderer>
#include <QTest>
#include <QTreeView>
#include <memory>

using namespace sluice::studio;
using namespace sluice::studio::samples;

class TestPalette : public QObject {
    Q_OBJECT

private slots:
    void everyCatalogMediatorHasItsIcon()
    {
        // The catalog names the icons; the palette and canvas draw them: they must agree.
        for (const sluice::MediatorDescription &d : sluice::mediatorCatalog())
            QVERIFY2(sluice::studio::hasStudioIcon(d.iconName), qPrintable(d.iconName));
    }

    void groupsInCatalogOrder();
    void search_data();
    void search();
    void noMatch();
    void dragMimeData();
    void activation();
    void helpFollowsCurrent();
    void icons_data();
    void icons();
    void unknownIconFallsBack();
};

void TestPalette::groupsInCatalogOrder()
{
    PaletteWidget palette;
    QList<PaletteEntry> entries = paletteEntries();
    entries.append({QStringLiteral("clone"), QStringLiteral("Clone"), QStringLiteral("extra"),
                    QString(), QString()});
    palette.setEntries(entries);
    QCOMPARE(palette.visibleGroups(),
             (QStringList{QStringLiteral("Core"), QStringLiteral("Flow control"),
                          QStringLiteral("Transformation"), QStringLiteral("Transport"),
                          QStringLiteral("Extra")}));
    const QStringList elements = palette.visibleElements();
    QCOMPARE(elements.size(), entries.size());
    // Within a group, the catalog's order.
    QCOMPARE(elements.mid(0, 6),
             (QStringList{QStringLiteral("log"), QStringLiteral("property"),
                          QStringLiteral("sequence"), QStringLiteral("drop"),
                          QStringLiteral("respond"), QStringLiteral("loopback")}));
    QCOMPARE(elements.mid(12, 2), (QStringList{QStringLiteral("send"), QStringLiteral("call")}));
    QCOMPARE(elements.last(), QStringLiteral("clone"));
}

void TestPalette::search_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QStringList>("expected");
    QTest::newRow("name") << QStringLiteral("swi") << QStringList{QStringLiteral("switch")};
    QTest::newRow("case-insensitive")
        << QStringLiteral("PAYLOAD") << QStringList{QStringLiteral("payloadFactory")};
    QTest::newRow("element name") << QStringLiteral("makefault")
                                  << QStringList{QStringLiteral("makefault")};
    QTest::newRow("group") << QStringLiteral("flow control")
                           << QStringList{QStringLiteral("filter"), QStringLiteral("switch")};
    QTest::newRow("help text") << QStringLiteral("out flow")
                               << QStringList{QStringLiteral("loopback")};
    QTest::newRow("blank shows all") << QStringLiteral("  ") << QStringList();
}

void TestPalette::search()
{
    QFETCH(QString, text);
    QFETCH(QStringList, expected);
    PaletteWidget palette;
    palette.setEntries(paletteEntries());
    palette.setFilterText(text);
    QCOMPARE(palette.filterText(), text);
    if (expected.isEmpty())
        QCOMPARE(palette.visibleElements().size(), paletteEntries().size());
    else
        QCOMPARE(palette.visibleElements(), expected);
    palette.setFilterText(QString());
    QCOMPARE(palette.visibleElements().size(), paletteEntries().size());
}

void TestPalette::noMatch()
{
    PaletteWidget palette;
    palette.setEntries(paletteEntries());
    palette.show();
    QVERIFY(QTest::qWaitForWindowExposed(&palette));
    QTest::keyClicks(palette.searchField(), QStringLiteral("xslt"));
    QVERIFY(palette.visibleElements().isEmpty());
    QVERIFY(!palette.view()->isVisible());
    const QList<QLabel *> labels = palette.findChildren<QLabel *>();
    const bool told = std::any_of(labels.begin(), labels.end(), [](const QLabel *label) {
        return label->isVisible() && label->text().contains(QStringLiteral("xslt"));
    });
    QVERIFY(told);
    QTest::keyClick(palette.searchField(), Qt::Key_Escape);
    QVERIFY(palette.filterText().isEmpty());
    QVERIFY(palette.view()->isVisible());
}

void TestPalette::dragMimeData()
{
    PaletteWidget palette;
    palette.setEntries(paletteEntries());
    QAbstractItemModel *model = palette.view()->model();
    QVERIFY(palette.view()->dragEnabled());
    QCOMPARE(palette.view()->defaultDropAction(), Qt::CopyAction);
    QCOMPARE(model->supportedDragActions(), Qt::CopyAction);
    QCOMPARE(model->mimeTypes(), QStringList{kMediatorMimeType});

    const QModelIndex group = model->index(1, 0); // Flow control
    QVERIFY(!(model->flags(group) & Qt::ItemIsDragEnabled));
    QVERIFY(!model->mimeData({group}));

    const QModelIndex entry = model->index(1, 0, group); // Switch
    QVERIFY(model->flags(entry) & Qt::ItemIsDragEnabled);
    std::unique_ptr<QMimeData> mime(model->mimeData({entry}));
    QVERIFY(mime);
    QVERIFY(mime->hasFormat(kMediatorMimeType));
    QCOMPARE(mime->data(kMediatorMimeType), QByteArray("switch"));
    QCOMPARE(PaletteWidget::elementFromMimeData(mime.get()), QStringLiteral("switch"));
    QMimeData other;
    other.setText(QStringLiteral("switch"));
    QVERIFY(PaletteWidget::elementFromMimeData(&other).isEmpty());
}

void TestPalette::activation()
{
    PaletteWidget palette;
    palette.setEntries(paletteEntries());
    palette.show();
    QVERIFY(QTest::qWaitForWindowExposed(&palette));
    QSignalSpy activated(&palette, &PaletteWidget::entryActivated);

    // Type, then Return: the first match is added.
    palette.searchField()->setFocus();
    QTest::keyClicks(palette.searchField(), QStringLiteral("enr"));
    QCOMPARE(palette.currentElement(), QStringLiteral("enrich"));
    QTest::keyClick(palette.searchField(), Qt::Key_Return);
    QCOMPARE(activated.size(), 1);
    QCOMPARE(activated.takeFirst().at(0).toString(), QStringLiteral("enrich"));

    // Down moves into the list; Return and double click there activate too.
    palette.setFilterText(QString());
    QTest::keyClick(palette.searchField(), Qt::Key_Down);
    QVERIFY(palette.view()->hasFocus());
    palette.setCurrentElement(QStringLiteral("drop"));
    const QRect rect = palette.view()->visualRect(palette.view()->currentIndex());
    QTest::keyClick(palette.view(), Qt::Key_Return);
    QCOMPARE(activated.size(), 1);
    QCOMPARE(activated.takeFirst().at(0).toString(), QStringLiteral("drop"));
    QTest::mouseClick(palette.view()->viewport(), Qt::LeftButton, {}, rect.center());
    QTest::mouseDClick(palette.view()->viewport(), Qt::LeftButton, {}, rect.center());
    QCOMPARE(activated.size(), 1);
    QCOMPARE(activated.takeFirst().at(0).toString(), QStringLiteral("drop"));
}

void TestPalette::helpFollowsCurrent()
{
    PaletteWidget palette;
    palette.setEntries(paletteEntries());
    QSignalSpy current(&palette, &PaletteWidget::currentElementChanged);
    palette.setCurrentElement(QStringLiteral("respond"));
    QCOMPARE(palette.helpText(), QStringLiteral("Sends the message back to the client."));
    QCOMPARE(current.size(), 1);
    QCOMPARE(current.at(0).at(0).toString(), QStringLiteral("respond"));
    // The current entry survives new entries.
    palette.setEntries(paletteEntries());
    QCOMPARE(palette.currentElement(), QStringLiteral("respond"));
}

void TestPalette::icons_data()
{
    QTest::addColumn<QString>("name");
    const char *names[] = {
        "mediator-log",
        "mediator-property",
        "mediator-sequence",
        "mediator-drop",
        "mediator-respond",
        "mediator-filter",
        "mediator-switch",
        "mediator-loopback",
        "mediator-send",
        "mediator-call",
        "mediator-payloadFactory",
        "mediator-header",
        "mediator-enrich",
        "mediator-makefault",
        "mediator-unknown",
        "artifact-sequence",
        "artifact-proxy",
        "artifact-inbound-endpoint",
        "artifact-endpoint",
        "artifact-api",
        "artifact-local-entry",
        "sluice",
    };
    for (const char *name : names)
        QTest::newRow(name) << QString::fromLatin1(name);
}

void TestPalette::icons()
{
    QFETCH(QString, name);
    QVERIFY(hasStudioIcon(name));
    QVERIFY(studioIconNames().contains(name));
    QSvgRenderer *renderer = studioIconRenderer(name);
    QVERIFY(renderer->isValid());
    QCOMPARE(renderer->viewBoxF(), QRectF(0, 0, 24, 24));
    // Something is drawn.
    QImage image(48, 48, QImage::Format_ARGB32_Premultiplied);
    image.fill(Qt::transparent);
    QPainter painter(&image);
    renderer->render(&painter);
    painter.end();
    int inked = 0;
    for (int y = 0; y < image.height(); ++y) {
        for (int x = 0; x < image.width(); ++x)
            inked += qAlpha(image.pixel(x, y)) > 128;
    }
    QVERIFY2(inked > 40, qPrintable(QString::number(inked)));
    QVERIFY(!studioIcon(name).pixmap(24, 24).isNull());
}

void TestPalette::unknownIconFallsBack()
{
    QVERIFY(!hasStudioIcon(QStringLiteral("mediator-xslt")));
    QCOMPARE(studioIconPath(QStringLiteral("mediator-xslt")),
             QStringLiteral(":/icons/mediator-unknown.svg"));
    QVERIFY(studioIconRenderer(QStringLiteral("mediator-xslt"))->isValid());
}

QTEST_MAIN(TestPalette)
#include "tst_palette.moc"
