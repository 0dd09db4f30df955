// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "runtime/message_events.h"

#include <QAbstractTableModel>
#include <QList>
#include <deque>

namespace sluice::studio {

// Which way a frame went, as the log shows it.
enum class EventDirection { None, In, Out };
EventDirection eventDirection(const MessageEvent &event);
// "client → sluice", "sluice → backend", ... (empty for events that are not frames).
QString eventDirectionText(const MessageEvent &event);
// One line about an event: a frame's payload prefix, a log line, a fault reason, the
// properties a mediator set, a close code and reason.
QString eventSummary(const MessageEvent &event);

// The live message log: the runtime's message events as a table (time, connection, direction,
// kind, size, artifact / mediator, summary). Built to keep up with thousands of events per
// second: events arrive in batches (one beginInsertRows per batch), the table is bounded (the
// oldest rows go in chunks) and a batch larger than maxRowsPerBatch() keeps only its newest
// events; everything not shown is counted in droppedCount(). While paused, events wait in a
// bounded buffer and are appended on resume.
class EventLogModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column {
        TimeColumn,
        ConnectionColumn,
        DirectionColumn,
        KindColumn,
        SizeColumn,
        WhereColumn,
        SummaryColumn,
        ColumnCount
    };
    enum Role {
        EventIdRole = Qt::UserRole + 1,
        MessageIdRole,
        ConnectionRole,
        KindRole,      // MessageEventKind as int
        DirectionRole, // EventDirection as int
        HighlightRole, // bool: part of the highlighted message path
        SearchTextRole // every column's text in one string, for the text filter
    };

    explicit EventLogModel(QObject *parent = nullptr);
    ~EventLogModel() override;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

    // Appends one batch (oldest first).
    void appendEvents(const QList<MessageEvent> &events);
    void clear();
    // Events the source could not deliver (a slow consumer, a full queue): shown in the count.
    void addDropped(quint64 count);

    const MessageEvent &event(int row) const { return m_events[size_t(row)]; }
    // Row of the event with this id, -1 when it is not (or no longer) in the table.
    int rowOfEvent(quint64 id) const;

    // Bounds: the table keeps at most `capacity` rows; one batch adds at most maxRowsPerBatch.
    int capacity() const { return m_capacity; }
    void setCapacity(int rows);
    int maxRowsPerBatch() const { return m_maxRowsPerBatch; }
    void setMaxRowsPerBatch(int rows);
    quint64 droppedCount() const { return m_dropped; }
    quint64 totalReceived() const { return m_received; }

    bool isPaused() const { return m_paused; }
    void setPaused(bool paused);

    // The message path: every row of one message (client frame in, mediators, backend frames,
    // client frame out), in order.
    QList<int> rowsOfMessage(quint64 messageId) const;
    QList<int> rowsOfConnection(const QString &connectionId) const;
    // The message a backend sent back for `messageId`: WebSocket frames carry no correlation,
    // so this is the first frame the same client's backend sent after the message went out,
    // provided no other message went to that backend in between (0 when there is none, or
    // when that is not certain).
    quint64 replyOf(quint64 messageId) const;
    // The whole round trip: the rows of the message and of its reply (replyOf), in order.
    QList<int> rowsOfPath(quint64 messageId) const;
    // Marks the rows of a message and its reply (HighlightRole, a background); 0 clears.
    void setHighlightedMessage(quint64 messageId);
    quint64 highlightedMessage() const { return m_highlighted; }
    quint64 highlightedReply() const { return m_highlightedReply; }

signals:
    // After every append, clear or drop: for the "N events, M dropped" label.
    void countsChanged();

private:
    void appendNow(const QList<MessageEvent> &events);
    void trimTo(int rows);
    bool isHighlighted(const MessageEvent &event) const
    {
        return event.messageId != 0 &&
               (event.messageId == m_highlighted || event.messageId == m_highlightedReply);
    }

    std::deque<MessageEvent> m_events;
    QList<MessageEvent> m_pausedBuffer;
    int m_capacity = 50000;
    int m_maxRowsPerBatch = 5000;
    quint64 m_dropped = 0;
    quint64 m_received = 0;
    quint64 m_highlighted = 0;
    quint64 m_highlightedReply = 0;
    bool m_paused = false;
};

} // namespace sluice::studio
