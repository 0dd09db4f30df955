// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "runtime/runtime_status.h"

#include <QAbstractTableModel>
#include <functional>

namespace sluice::studio {

// The runtime's open WebSocket connections (clients of inbound endpoints and the backend
// connections opened for them) as a table. setConnections() is called with a fresh list every
// time the runtime reports: rows are matched by id and updated in place, new ones inserted (a
// backend connection right under the client it serves) and gone ones removed, so that views keep
// their selection and scroll position and never flicker through a reset.
class ConnectionsModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { Id, Peer, Artifact, Path, Subprotocol, RemoteAddress, Age, FramesIn, FramesOut };
    static constexpr int ColumnCount = FramesOut + 1;
    // Data role with the connection id of a row, whatever the column.
    static constexpr int IdRole = Qt::UserRole + 1;

    explicit ConnectionsModel(QObject *parent = nullptr);

    void setConnections(const QList<sluice::ConnectionInfo> &connections);
    const QList<sluice::ConnectionInfo> &connections() const { return m_rows; }
    int rowOf(const QString &id) const;

    // Ages are shown relative to this clock (ms since the epoch); tests set a fixed one.
    void setClock(std::function<qint64()> nowMs);
    // Tells views that the Age column changed (the connections view calls it every second).
    void refreshAges();

    // "12 s", "3 min", "2 h 5 min", "3 d".
    static QString formatAge(qint64 ms);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    QVariant display(const sluice::ConnectionInfo &connection, int column) const;

    QList<sluice::ConnectionInfo> m_rows;
    std::function<qint64()> m_now;
};

} // namespace sluice::studio
