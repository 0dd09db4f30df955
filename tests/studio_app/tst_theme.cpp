// SPDX-License-Identifier: Apache-2.0
// The light and dark palettes read well (WCAG contrast) and the View menu switches them.

#include "app/main_window.h"
#include "app/theme.h"

#include <QAction>
#include <QApplication>
#include <QMenu>
#include <QMenuBar>
#include <QStandardPaths>
#include <QStyle>
#include <QTest>
#include <cmath>

using namespace sluice::studio;

namespace {

double luminance(const QColor &color)
{
    const auto channel = [](double value) {
        return value <= 0.03928 ? value / 12.92 : std::pow((value + 0.055) / 1.055, 2.4);
    };
    return 0.2126 * channel(color.redF()) + 0.7152 * channel(color.greenF()) +
           0.0722 * channel(color.blueF());
}

double contrast(const QColor &a, const QColor &b)
{
    const double la = luminance(a);
    const double lb = luminance(b);
    return (std::max(la, lb) + 0.05) / (std::min(la, lb) + 0.05);
}

} // namespace

class TestTheme : public QObject {
    Q_OBJECT

private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(QStringLiteral("sluice-tests"));
    }

    void contrast_data()
    {
        QTest::addColumn<bool>("dark");
        QTest::newRow("light") << false;
        QTest::newRow("dark") << true;
    }

    void contrast()
    {
        QFETCH(bool, dark);
        const QPalette palette = dark ? darkPalette() : lightPalette();
        QVERIFY(::contrast(palette.color(QPalette::Text), palette.color(QPalette::Base)) > 7);
        QVERIFY(::contrast(palette.color(QPalette::WindowText), palette.color(QPalette::Window)) >
                7);
        QVERIFY(::contrast(palette.color(QPalette::ButtonText), palette.color(QPalette::Button)) >
                7);
        QVERIFY(::contrast(palette.color(QPalette::HighlightedText),
                           palette.color(QPalette::Highlight)) > 4.5);
        QVERIFY(::contrast(palette.color(QPalette::PlaceholderText),
                           palette.color(QPalette::Base)) > 3);
        QCOMPARE(palette.color(QPalette::Window).lightness() < 128, dark);
    }

    void viewMenuSwitchesTheme()
    {
        MainWindow window;
        QAction *darkAction = nullptr;
        for (QAction *menu : window.menuBar()->actions()) {
            for (QAction *action : menu->menu()->actions()) {
                if (action->isCheckable() && action->text().contains(QStringLiteral("Dark")))
                    darkAction = action;
            }
        }
        QVERIFY(darkAction);
        darkAction->trigger();
        QCOMPARE(window.theme(), Theme::Dark);
        QCOMPARE(QApplication::palette().color(QPalette::Window),
                 darkPalette().color(QPalette::Window));
        QVERIFY(
            QApplication::style()->name().contains(QStringLiteral("fusion"), Qt::CaseInsensitive));
        darkAction->trigger();
        QCOMPARE(window.theme(), Theme::Light);
        QCOMPARE(QApplication::palette().color(QPalette::Window),
                 lightPalette().color(QPalette::Window));
    }
};

QTEST_MAIN(TestTheme)
#include "tst_theme.moc"
