// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "cluster/cluster_view.h"

#include <QWidget>

class QLabel;
class QTreeWidget;

namespace sluice::studio {

// The cluster dock: whether the running runtime is a node of a cluster ([cluster] in
// deployment.toml), its Redis and state (connected or degraded, since when), and every node of
// the cluster with its connections and messages per second, as its presence in Redis says.
// Fed from RuntimeController::cluster() (the embedded runtime or GET /management/cluster).
class ClusterPanel : public QWidget {
    Q_OBJECT
public:
    explicit ClusterPanel(QWidget *parent = nullptr);

    void setView(const sluice::ClusterView &view);

    QLabel *summary() const { return m_summary; }
    QTreeWidget *nodes() const { return m_nodes; }

private:
    QLabel *m_summary = nullptr;
    QTreeWidget *m_nodes = nullptr;
};

} // namespace sluice::studio
