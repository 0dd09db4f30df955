// SPDX-License-Identifier: Apache-2.0
#include "event_log_model.h"

#include "runtime/message_event_json.h"

#include <QBrush>
#include <QColor>
#include <QDateTime>
#include <QFileInfo>
#include <QStringDecoder>
#include <algorithm>
#include <utility>

namespace sluice::studio {

namespace {

constexpr int kSummaryChars = 160;

QString kindText(MessageEventKind kind)
{
    return messageEventKindName(kind);
}

// The payload as one line: UTF-8 text when it decodes, else its first bytes in hex.
QString payloadLine(const QByteArray &payload)
{
    if (payload.isEmpty())
        return QString();
    QStringDecoder decoder(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
    QString text = decoder.decode(payload);
    if (decoder.hasError())
        return QStringLiteral("0x") + QString::fromLatin1(payload.left(24).toHex(' '));
    text.replace(QLatin1Char('\n'), QLatin1Char(' ')).replace(QLatin1Char('\r'), QLatin1Char(' '));
    return text.simplified().left(kSummaryChars);
}

QString propertiesLine(const QList<EventProperty> &properties)
{
    QStringList parts;
    for (const EventProperty &property : properties)
        parts << QStringLiteral("%1 = %2").arg(property.name, property.value.toString());
    return parts.join(QStringLiteral(", ")).left(kSummaryChars);
}

} // namespace

EventDirection eventDirection(const MessageEvent &event)
{
    switch (event.kind) {
    case MessageEventKind::FrameIn:
        return EventDirection::In;
    case MessageEventKind::FrameOut:
        return EventDirection::Out;
    default:
        return EventDirection::None;
    }
}

QString eventDirectionText(const MessageEvent &event)
{
    const QString peer = eventPeerName(event.peer);
    switch (eventDirection(event)) {
    case EventDirection::In:
        return QStringLiteral("%1 \u2192 sluice").arg(peer);
    case EventDirection::Out:
        return QStringLiteral("sluice \u2192 %1").arg(peer);
    case EventDirection::None:
        break;
    }
    return QString();
}

QString eventSummary(const MessageEvent &event)
{
    switch (event.kind) {
    case MessageEventKind::ConnectionOpened:
    case MessageEventKind::BackendOpened: {
        QString line = event.subprotocol.isEmpty()
                           ? QStringLiteral("opened")
                           : QStringLiteral("opened, subprotocol %1").arg(event.subprotocol);
        if (!event.text.isEmpty())
            line += QStringLiteral(" ") + event.text;
        return line;
    }
    case MessageEventKind::ConnectionClosed:
    case MessageEventKind::BackendClosed:
        return event.closeReason.isEmpty()
                   ? QStringLiteral("closed %1").arg(event.closeCode)
                   : QStringLiteral("closed %1 %2").arg(event.closeCode).arg(event.closeReason);
    case MessageEventKind::FrameIn:
    case MessageEventKind::FrameOut:
        if (event.opcode == EventOpcode::Close)
            return QStringLiteral("close frame");
        // HTTP requests and answers carry their request or status line, and it says more than
        // the body alone (backend frames carry the backend's URL, which the connection tells).
        if (event.peer == EventPeer::Client && !event.text.isEmpty())
            return event.payload.isEmpty()
                       ? event.text
                       : event.text + QStringLiteral("  ") + payloadLine(event.payload);
        return payloadLine(event.payload);
    case MessageEventKind::MediatorEntered:
        // The file name is enough in a table row; the detail pane has the whole path.
        if (!event.location.isValid())
            return QString();
        return QStringLiteral("%1:%2:%3")
            .arg(QFileInfo(event.location.file).fileName())
            .arg(event.location.line)
            .arg(event.location.column);
    case MessageEventKind::PropertiesSet:
        return propertiesLine(event.properties);
    case MessageEventKind::Log:
    case MessageEventKind::Fault:
        return event.text.simplified().left(kSummaryChars);
    }
    return QString();
}

EventLogModel::EventLogModel(QObject *parent)
    : QAbstractTableModel(parent)
{
}

EventLogModel::~EventLogModel() = default;

int EventLogModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_events.size());
}

int EventLogModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant EventLogModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case TimeColumn:
        return tr("Time");
    case ConnectionColumn:
        return tr("Connection");
    case DirectionColumn:
        return tr("Direction");
    case KindColumn:
        return tr("Kind");
    case SizeColumn:
        return tr("Size");
    case WhereColumn:
        return tr("Artifact / mediator");
    case SummaryColumn:
        return tr("Summary");
    default:
        return {};
    }
}

QVariant EventLogModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= rowCount())
        return {};
    const MessageEvent &e = event(index.row());
    switch (role) {
    case Qt::DisplayRole:
    case Qt::ToolTipRole:
        switch (index.column()) {
        case TimeColumn:
            return QDateTime::fromMSecsSinceEpoch(e.timestampMs)
                .toString(QStringLiteral("HH:mm:ss.zzz"));
        case ConnectionColumn:
            return e.connectionId;
        case DirectionColumn:
            return eventDirectionText(e);
        case KindColumn:
            return kindText(e.kind);
        case SizeColumn:
            return eventDirection(e) == EventDirection::None ? QVariant() : QVariant(e.size);
        case WhereColumn:
            return e.mediator.isEmpty() ? e.artifact
                                        : QStringLiteral("%1 / %2").arg(e.artifact, e.mediator);
        case SummaryColumn:
            return eventSummary(e);
        default:
            return {};
        }
    case Qt::TextAlignmentRole:
        if (index.column() == SizeColumn)
            return int(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    case Qt::ForegroundRole:
        if (e.kind == MessageEventKind::Fault)
            return QBrush(QColor(0xc6, 0x28, 0x28));
        return {};
    case Qt::BackgroundRole:
        if (isHighlighted(e))
            return QBrush(QColor(255, 213, 79, 110)); // translucent amber: readable in both themes
        return {};
    case EventIdRole:
        return e.id;
    case MessageIdRole:
        return e.messageId;
    case ConnectionRole:
        return e.connectionId;
    case KindRole:
        return int(e.kind);
    case DirectionRole:
        return int(eventDirection(e));
    case HighlightRole:
        return isHighlighted(e);
    case SearchTextRole: {
        QStringList parts;
        for (int column = 0; column < ColumnCount; ++column)
            parts << data(this->index(index.row(), column), Qt::DisplayRole).toString();
        return parts.join(QLatin1Char(' '));
    }
    default:
        return {};
    }
}

void EventLogModel::appendEvents(const QList<MessageEvent> &events)
{
    if (events.isEmpty())
        return;
    m_received += quint64(events.size());
    if (m_paused) {
        m_pausedBuffer.append(events);
        // The buffer is bounded like the table: the oldest waiting events go first.
        const qsizetype excess = m_pausedBuffer.size() - m_capacity;
        if (excess > 0) {
            m_pausedBuffer.remove(0, excess);
            m_dropped += quint64(excess);
            emit countsChanged();
        }
        return;
    }
    appendNow(events);
}

void EventLogModel::appendNow(const QList<MessageEvent> &events)
{
    // A batch larger than the view can take in one step keeps its newest events: a user
    // watching a flood wants to see what happens now, and the count says what was skipped.
    const int limit = std::min(m_maxRowsPerBatch, m_capacity);
    qsizetype first = 0;
    if (events.size() > limit) {
        first = events.size() - limit;
        m_dropped += quint64(first);
    }
    const int adding = int(events.size() - first);
    // Make room in chunks (a tenth of the capacity at least) so that the view does not get a
    // removal for every batch once the table is full.
    const int overflow = int(m_events.size()) + adding - m_capacity;
    if (overflow > 0)
        trimTo(std::max(0, int(m_events.size()) - std::max(overflow, m_capacity / 10)));
    const int row = int(m_events.size());
    beginInsertRows(QModelIndex(), row, row + adding - 1);
    for (qsizetype i = first; i < events.size(); ++i)
        m_events.push_back(events[i]);
    endInsertRows();
    emit countsChanged();
}

void EventLogModel::trimTo(int rows)
{
    const int remove = int(m_events.size()) - rows;
    if (remove <= 0)
        return;
    beginRemoveRows(QModelIndex(), 0, remove - 1);
    m_events.erase(m_events.begin(), m_events.begin() + remove);
    endRemoveRows();
}

void EventLogModel::clear()
{
    beginResetModel();
    m_events.clear();
    m_pausedBuffer.clear();
    m_dropped = 0;
    m_received = 0;
    m_highlighted = 0;
    m_highlightedReply = 0;
    endResetModel();
    emit countsChanged();
}

void EventLogModel::addDropped(quint64 count)
{
    if (count == 0)
        return;
    m_dropped += count;
    emit countsChanged();
}

int EventLogModel::rowOfEvent(quint64 id) const
{
    // Ids grow with every event, so the table is sorted by them.
    const auto it =
        std::lower_bound(m_events.begin(), m_events.end(), id,
                         [](const MessageEvent &e, quint64 wanted) { return e.id < wanted; });
    if (it == m_events.end() || it->id != id)
        return -1;
    return int(it - m_events.begin());
}

void EventLogModel::setCapacity(int rows)
{
    m_capacity = std::max(1, rows);
    if (int(m_events.size()) > m_capacity) {
        trimTo(m_capacity);
        emit countsChanged();
    }
}

void EventLogModel::setMaxRowsPerBatch(int rows)
{
    m_maxRowsPerBatch = std::max(1, rows);
}

void EventLogModel::setPaused(bool paused)
{
    if (m_paused == paused)
        return;
    m_paused = paused;
    if (!paused && !m_pausedBuffer.isEmpty()) {
        const QList<MessageEvent> waiting = std::exchange(m_pausedBuffer, {});
        appendNow(waiting);
    }
}

QList<int> EventLogModel::rowsOfMessage(quint64 messageId) const
{
    QList<int> rows;
    if (messageId == 0)
        return rows;
    for (size_t row = 0; row < m_events.size(); ++row) {
        if (m_events[row].messageId == messageId)
            rows.append(int(row));
    }
    return rows;
}

QList<int> EventLogModel::rowsOfConnection(const QString &connectionId) const
{
    QList<int> rows;
    for (size_t row = 0; row < m_events.size(); ++row) {
        if (m_events[row].connectionId == connectionId)
            rows.append(int(row));
    }
    return rows;
}

quint64 EventLogModel::replyOf(quint64 messageId) const
{
    const QList<int> rows = rowsOfMessage(messageId);
    int sent = -1;
    for (int row : rows) {
        const MessageEvent &e = m_events[size_t(row)];
        if (e.kind == MessageEventKind::FrameOut && e.peer == EventPeer::Backend)
            sent = row;
    }
    if (sent < 0)
        return 0;
    const QString connection = m_events[size_t(sent)].connectionId;
    for (size_t row = size_t(sent) + 1; row < m_events.size(); ++row) {
        const MessageEvent &e = m_events[row];
        if (e.connectionId != connection || e.peer != EventPeer::Backend)
            continue;
        if (e.kind == MessageEventKind::FrameOut && e.messageId != messageId)
            return 0; // another message went out first: which one this answers is not known
        if (e.kind == MessageEventKind::FrameIn)
            return e.messageId;
    }
    return 0;
}

QList<int> EventLogModel::rowsOfPath(quint64 messageId) const
{
    QList<int> rows = rowsOfMessage(messageId);
    if (const quint64 reply = replyOf(messageId); reply != 0 && reply != messageId) {
        rows.append(rowsOfMessage(reply));
        std::sort(rows.begin(), rows.end());
    }
    return rows;
}

void EventLogModel::setHighlightedMessage(quint64 messageId)
{
    if (m_highlighted == messageId)
        return;
    // Repaint only the rows whose highlight changes.
    QList<int> rows = rowsOfMessage(m_highlighted) + rowsOfMessage(m_highlightedReply);
    m_highlighted = messageId;
    m_highlightedReply = messageId == 0 ? 0 : replyOf(messageId);
    rows.append(rowsOfPath(messageId));
    for (int row : std::as_const(rows))
        emit dataChanged(index(row, 0), index(row, ColumnCount - 1),
                         {Qt::BackgroundRole, HighlightRole});
}

} // namespace sluice::studio
