// SPDX-License-Identifier: Apache-2.0
#include "connections_model.h"

#include <QDateTime>
#include <QHash>
#include <QSet>

namespace sluice::studio {

namespace {

bool sameRow(const ConnectionInfo &a, const ConnectionInfo &b)
{
    return a.id == b.id && a.peer == b.peer && a.artifact == b.artifact && a.path == b.path &&
           a.subprotocol == b.subprotocol && a.remoteAddress == b.remoteAddress &&
           a.clientId == b.clientId && a.openedMs == b.openedMs && a.framesIn == b.framesIn &&
           a.framesOut == b.framesOut;
}

} // namespace

ConnectionsModel::ConnectionsModel(QObject *parent)
    : QAbstractTableModel(parent)
    , m_now([] { return QDateTime::currentMSecsSinceEpoch(); })
{
}

void ConnectionsModel::setConnections(const QList<ConnectionInfo> &connections)
{
    QHash<QString, int> incoming;
    for (int i = 0; i < connections.size(); ++i)
        incoming.insert(connections.at(i).id, i);

    // Remove the rows that are gone, from the bottom so that row numbers stay valid; runs of
    // neighbours go in one call.
    for (int row = int(m_rows.size()) - 1; row >= 0;) {
        if (incoming.contains(m_rows.at(row).id)) {
            --row;
            continue;
        }
        int first = row;
        while (first > 0 && !incoming.contains(m_rows.at(first - 1).id))
            --first;
        beginRemoveRows({}, first, row);
        m_rows.remove(first, row - first + 1);
        endRemoveRows();
        row = first - 1;
    }

    // Update the rows that stay, in place.
    QSet<QString> present;
    for (int row = 0; row < m_rows.size(); ++row) {
        const ConnectionInfo &fresh = connections.at(incoming.value(m_rows.at(row).id));
        present.insert(fresh.id);
        if (!sameRow(m_rows.at(row), fresh)) {
            m_rows[row] = fresh;
            emit dataChanged(index(row, 0), index(row, ColumnCount - 1));
        }
    }

    // Add the new ones in the order the runtime gave them: a backend connection under its
    // client (after the client's other backends), anything else at the end.
    for (const ConnectionInfo &connection : connections) {
        if (present.contains(connection.id))
            continue;
        present.insert(connection.id); // a duplicate id in the input counts once
        int row = int(m_rows.size());
        if (connection.peer == EventPeer::Backend && !connection.clientId.isEmpty()) {
            for (int i = int(m_rows.size()) - 1; i >= 0; --i) {
                if (m_rows.at(i).id == connection.clientId ||
                    m_rows.at(i).clientId == connection.clientId) {
                    row = i + 1;
                    break;
                }
            }
        }
        beginInsertRows({}, row, row);
        m_rows.insert(row, connection);
        endInsertRows();
    }
}

int ConnectionsModel::rowOf(const QString &id) const
{
    for (int row = 0; row < m_rows.size(); ++row) {
        if (m_rows.at(row).id == id)
            return row;
    }
    return -1;
}

void ConnectionsModel::setClock(std::function<qint64()> nowMs)
{
    m_now = std::move(nowMs);
    refreshAges();
}

void ConnectionsModel::refreshAges()
{
    if (!m_rows.isEmpty())
        emit dataChanged(index(0, Age), index(int(m_rows.size()) - 1, Age), {Qt::DisplayRole});
}

QString ConnectionsModel::formatAge(qint64 ms)
{
    const qint64 seconds = qMax<qint64>(0, ms / 1000);
    if (seconds < 60)
        return QStringLiteral("%1 s").arg(seconds);
    const qint64 minutes = seconds / 60;
    if (minutes < 60)
        return QStringLiteral("%1 min").arg(minutes);
    const qint64 hours = minutes / 60;
    if (hours < 24) {
        if (minutes % 60 == 0)
            return QStringLiteral("%1 h").arg(hours);
        return QStringLiteral("%1 h %2 min").arg(hours).arg(minutes % 60);
    }
    return QStringLiteral("%1 d").arg(hours / 24);
}

int ConnectionsModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int ConnectionsModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ConnectionsModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_rows.size())
        return {};
    const ConnectionInfo &connection = m_rows.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        return display(connection, index.column());
    case IdRole:
        return connection.id;
    case Qt::ToolTipRole:
        if (index.column() == Age && connection.openedMs > 0)
            return QDateTime::fromMSecsSinceEpoch(connection.openedMs)
                .toString(QStringLiteral("'opened' yyyy-MM-dd HH:mm:ss"));
        if (index.column() == Peer && connection.peer == EventPeer::Backend)
            return tr("backend connection for client %1").arg(connection.clientId);
        return display(connection, index.column());
    case Qt::TextAlignmentRole:
        if (index.column() == Age || index.column() == FramesIn || index.column() == FramesOut)
            return QVariant(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    default:
        return {};
    }
}

QVariant ConnectionsModel::display(const ConnectionInfo &connection, int column) const
{
    switch (column) {
    case Id:
        return connection.id;
    case Peer:
        return connection.peer == EventPeer::Backend ? tr("backend") : tr("client");
    case Artifact:
        return connection.artifact;
    case Path:
        return connection.path;
    case Subprotocol:
        return connection.subprotocol;
    case RemoteAddress:
        return connection.remoteAddress;
    case Age:
        return connection.openedMs > 0 ? formatAge(m_now() - connection.openedMs) : QString();
    case FramesIn:
        return QString::number(connection.framesIn);
    case FramesOut:
        return QString::number(connection.framesOut);
    default:
        return {};
    }
}

QVariant ConnectionsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Id:
        return tr("Id");
    case Peer:
        return tr("Peer");
    case Artifact:
        return tr("Artifact");
    case Path:
        return tr("Path / URL");
    case Subprotocol:
        return tr("Subprotocol");
    case RemoteAddress:
        return tr("Remote address");
    case Age:
        return tr("Age");
    case FramesIn:
        return tr("Frames in");
    case FramesOut:
        return tr("Frames out");
    default:
        return {};
    }
}

} // namespace sluice::studio
