// SPDX-License-Identifier: Apache-2.0
#include "cluster_panel.h"

#include <QDateTime>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace sluice::studio {

namespace {

enum Column { Node, Connections, In, Out, Relayed, Received, Seen, ColumnCount };

QString rate(double perSecond)
{
    return QLocale().toString(perSecond, 'f', perSecond < 10 ? 1 : 0);
}

} // namespace

ClusterPanel::ClusterPanel(QWidget *parent)
    : QWidget(parent)
{
    m_summary = new QLabel(this);
    m_summary->setTextFormat(Qt::PlainText);
    m_summary->setWordWrap(true);
    m_nodes = new QTreeWidget(this);
    m_nodes->setColumnCount(ColumnCount);
    m_nodes->setHeaderLabels({tr("Node"), tr("Connections"), tr("In/s"), tr("Out/s"),
                              tr("Relayed/s"), tr("Received/s"), tr("Seen")});
    m_nodes->setRootIsDecorated(false);
    m_nodes->setAlternatingRowColors(true);
    m_nodes->setFrameShape(QFrame::NoFrame);
    m_nodes->setSelectionMode(QAbstractItemView::NoSelection);
    m_nodes->header()->setStretchLastSection(false);
    m_nodes->header()->setSectionResizeMode(Node, QHeaderView::Stretch);
    m_nodes->setToolTip(tr("In/s and Out/s: WebSocket frames of the node's clients and backends; "
                           "Relayed/s: broadcasts it sent to the cluster; Received/s: broadcasts "
                           "of other nodes it delivered"));
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 4, 6, 0);
    layout->addWidget(m_summary);
    layout->addWidget(m_nodes, 1);
    setView(ClusterView());
}

void ClusterPanel::setView(const ClusterView &view)
{
    m_nodes->clear();
    if (!view.enabled) {
        m_summary->setText(tr("Not in a cluster. Add a [cluster] table to deployment.toml to "
                              "share broadcasts with other runtimes through Redis."));
        return;
    }
    const QString since =
        view.stateSinceMs > 0
            ? QDateTime::fromMSecsSinceEpoch(view.stateSinceMs).toString(QStringLiteral("HH:mm:ss"))
            : QString();
    QString state = view.state == QLatin1String("connected")
                        ? tr("connected")
                        : (view.state == QLatin1String("degraded")
                               ? tr("degraded: serving its own clients only, rejoining")
                               : tr("connecting"));
    m_summary->setText(
        tr("Node %1 on Redis %2%3, %4 since %5 \u00b7 %6 relayed, %7 received, "
           "%8 dropped")
            .arg(view.node, view.redis, view.tls ? tr(" (TLS)") : QString(), state, since)
            .arg(view.relayed)
            .arg(view.received)
            .arg(view.dropped));
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    for (const ClusterNodeInfo &node : view.nodes) {
        auto *item = new QTreeWidgetItem(m_nodes);
        item->setText(Node, node.self ? tr("%1 (this runtime)").arg(node.name) : node.name);
        item->setText(Connections, QString::number(node.connections));
        item->setText(In, rate(node.inPerSecond));
        item->setText(Out, rate(node.outPerSecond));
        item->setText(Relayed, rate(node.relayedPerSecond));
        item->setText(Received, rate(node.receivedPerSecond));
        item->setText(Seen,
                      node.updatedMs > 0
                          ? tr("%1 s ago").arg(std::max<qint64>(0, now - node.updatedMs) / 1000)
                          : QString());
        for (int column = Connections; column < ColumnCount; ++column)
            item->setTextAlignment(column, Qt::AlignRight | Qt::AlignVCenter);
        if (node.self) {
            QFont font = item->font(Node);
            font.setBold(true);
            item->setFont(Node, font);
        }
    }
}

} // namespace sluice::studio
