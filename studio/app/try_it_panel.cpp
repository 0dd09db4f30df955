// SPDX-License-Identifier: Apache-2.0
#include "try_it_panel.h"

#include "http_try_it_tab.h"
#include "ws_try_it_tab.h"

#include <QColor>
#include <QPalette>
#include <QTabWidget>
#include <QVBoxLayout>

namespace sluice::studio {

namespace {

bool isDark(const QPalette &palette)
{
    return palette.color(QPalette::Window).lightness() < 128;
}

} // namespace

QColor tryItGoodColor(const QPalette &palette)
{
    return isDark(palette) ? QColor(0x5c, 0xd0, 0x7c) : QColor(0x1a, 0x7f, 0x37);
}

QColor tryItBadColor(const QPalette &palette)
{
    return isDark(palette) ? QColor(0xff, 0x7b, 0x72) : QColor(0xd9, 0x2d, 0x20);
}

TryItPanel::TryItPanel(QWidget *parent)
    : QWidget(parent)
{
    m_tabs = new QTabWidget(this);
    m_tabs->setDocumentMode(true);
    m_ws = new WsTryItTab(m_tabs);
    m_http = new HttpTryItTab(m_tabs);
    m_tabs->addTab(m_ws, tr("WebSocket"));
    m_tabs->addTab(m_http, tr("HTTP"));
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_tabs);
}

TryItPanel::~TryItPanel() = default;

void TryItPanel::setEndpoints(const QStringList &wsUrls, const QStringList &httpUrls)
{
    m_ws->setUrls(wsUrls);
    m_http->setUrls(httpUrls);
}

} // namespace sluice::studio
