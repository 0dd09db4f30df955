// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "event_log_model.h"

#include <QRegularExpression>
#include <QSet>
#include <QSortFilterProxyModel>

namespace sluice::studio {

// The log dock's filters over an EventLogModel: direction, kinds, connection and text (plain,
// case-insensitive, or a regular expression), all of them at once. Rows keep the model's order.
class EventLogFilter : public QSortFilterProxyModel {
    Q_OBJECT
public:
    explicit EventLogFilter(QObject *parent = nullptr);
    ~EventLogFilter() override;

    // EventDirection::None shows every direction (it does not mean "only non-frames").
    void setDirection(EventDirection direction);
    EventDirection direction() const { return m_direction; }
    // Empty: every kind.
    void setKinds(const QSet<MessageEventKind> &kinds);
    QSet<MessageEventKind> kinds() const { return m_kinds; }
    // Exact connection id ("ws-3"); empty: every connection.
    void setConnection(const QString &connectionId);
    QString connection() const { return m_connection; }
    // Text searched in every column; with `regex`, a regular expression (case-insensitive).
    // Returns false, and keeps the previous text filter, when the expression is invalid; the
    // reason is in *error.
    bool setText(const QString &text, bool regex, QString *error = nullptr);

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;

private:
    EventDirection m_direction = EventDirection::None;
    QSet<MessageEventKind> m_kinds;
    QString m_connection;
    QString m_text;
    QRegularExpression m_regex;
    bool m_useRegex = false;
};

} // namespace sluice::studio
