// SPDX-License-Identifier: Apache-2.0
#include "theme.h"

#include <QApplication>
#include <QStyle>
#include <QStyleFactory>

namespace sluice::studio {

namespace {

Theme g_theme = Theme::Light;

QPalette makePalette(const QColor &window, const QColor &base, const QColor &alternate,
                     const QColor &text, const QColor &muted, const QColor &button,
                     const QColor &highlight, const QColor &link)
{
    QPalette palette;
    palette.setColor(QPalette::Window, window);
    palette.setColor(QPalette::WindowText, text);
    palette.setColor(QPalette::Base, base);
    palette.setColor(QPalette::AlternateBase, alternate);
    palette.setColor(QPalette::Text, text);
    palette.setColor(QPalette::Button, button);
    palette.setColor(QPalette::ButtonText, text);
    palette.setColor(QPalette::BrightText, Qt::white);
    palette.setColor(QPalette::ToolTipBase, base);
    palette.setColor(QPalette::ToolTipText, text);
    palette.setColor(QPalette::PlaceholderText, muted);
    palette.setColor(QPalette::Highlight, highlight);
    palette.setColor(QPalette::HighlightedText, Qt::white);
    palette.setColor(QPalette::Link, link);
    palette.setColor(QPalette::LinkVisited, link);
    palette.setColor(QPalette::Mid, muted);
    for (const auto role : {QPalette::Text, QPalette::WindowText, QPalette::ButtonText})
        palette.setColor(QPalette::Disabled, role, muted);
    palette.setColor(QPalette::Disabled, QPalette::Highlight, muted);
    return palette;
}

} // namespace

QPalette lightPalette()
{
    return makePalette(QColor(0xf3, 0xf4, 0xf6), Qt::white, QColor(0xf8, 0xf9, 0xfb),
                       QColor(0x1f, 0x23, 0x28), QColor(0x8a, 0x90, 0x99), QColor(0xe9, 0xeb, 0xee),
                       QColor(0x25, 0x63, 0xeb), QColor(0x1d, 0x4e, 0xd8));
}

QPalette darkPalette()
{
    return makePalette(QColor(0x2b, 0x2d, 0x31), QColor(0x1e, 0x1f, 0x22), QColor(0x26, 0x28, 0x2c),
                       QColor(0xe6, 0xe8, 0xeb), QColor(0x8b, 0x90, 0x98), QColor(0x35, 0x38, 0x3d),
                       QColor(0x25, 0x63, 0xeb), QColor(0x7c, 0xb4, 0xff));
}

void applyTheme(Theme theme)
{
    if (QApplication::style()->name().compare(QStringLiteral("fusion"), Qt::CaseInsensitive))
        QApplication::setStyle(QStyleFactory::create(QStringLiteral("Fusion")));
    g_theme = theme;
    QApplication::setPalette(theme == Theme::Dark ? darkPalette() : lightPalette());
}

Theme currentTheme()
{
    return g_theme;
}

} // namespace sluice::studio
