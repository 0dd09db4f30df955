// SPDX-License-Identifier: Apache-2.0
#include "busy_indicator.h"

#include <QApplication>
#include <QHBoxLayout>
#include <QLabel>
#include <QProgressBar>

namespace sluice::studio {

BusyIndicator::BusyIndicator(QWidget *parent)
    : QWidget(parent)
{
    setObjectName(QStringLiteral("BusyIndicator"));
    m_label = new QLabel(this);
    m_bar = new QProgressBar(this);
    // No range: the bar shows activity, not a fraction (the work reports no steps).
    m_bar->setRange(0, 0);
    m_bar->setTextVisible(false);
    m_bar->setMaximumWidth(120);
    m_bar->setMaximumHeight(12);
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_label);
    layout->addWidget(m_bar);
    hide();
}

void BusyIndicator::start(const QString &what)
{
    m_label->setText(what + QStringLiteral("\u2026"));
    setToolTip(m_label->text());
    if (m_running++ == 0) {
        show();
        emit busyChanged(true);
    }
}

void BusyIndicator::finish()
{
    if (m_running == 0)
        return;
    if (--m_running == 0) {
        hide();
        m_label->clear();
        emit busyChanged(false);
    }
}

QString BusyIndicator::text() const
{
    return m_label->text();
}

BusyIndicator::Scope::Scope(BusyIndicator *indicator, const QString &what)
    : m_indicator(indicator)
{
    m_indicator->start(what);
    QApplication::setOverrideCursor(Qt::WaitCursor);
    // The work that follows blocks the event loop: paint the indicator now, or it would never
    // be seen.
    QCoreApplication::sendPostedEvents(nullptr, QEvent::LayoutRequest);
    if (QWidget *bar = m_indicator->parentWidget())
        bar->repaint();
}

BusyIndicator::Scope::~Scope()
{
    QApplication::restoreOverrideCursor();
    m_indicator->finish();
}

} // namespace sluice::studio
