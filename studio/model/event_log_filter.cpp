// SPDX-License-Identifier: Apache-2.0
#include "event_log_filter.h"

namespace sluice::studio {

EventLogFilter::EventLogFilter(QObject *parent)
    : QSortFilterProxyModel(parent)
{
}

EventLogFilter::~EventLogFilter() = default;

void EventLogFilter::setDirection(EventDirection direction)
{
    m_direction = direction;
    invalidateFilter();
}

void EventLogFilter::setKinds(const QSet<MessageEventKind> &kinds)
{
    m_kinds = kinds;
    invalidateFilter();
}

void EventLogFilter::setConnection(const QString &connectionId)
{
    m_connection = connectionId.trimmed();
    invalidateFilter();
}

bool EventLogFilter::setText(const QString &text, bool regex, QString *error)
{
    if (regex) {
        QRegularExpression expression(text, QRegularExpression::CaseInsensitiveOption);
        if (!expression.isValid()) {
            if (error)
                *error = tr("%1 at offset %2")
                             .arg(expression.errorString())
                             .arg(expression.patternErrorOffset());
            return false;
        }
        m_regex = expression;
    }
    m_text = text;
    m_useRegex = regex;
    invalidateFilter();
    return true;
}

bool EventLogFilter::filterAcceptsRow(int sourceRow, const QModelIndex &) const
{
    const auto *log = qobject_cast<const EventLogModel *>(sourceModel());
    if (!log || sourceRow >= log->rowCount())
        return false;
    const MessageEvent &event = log->event(sourceRow);
    if (m_direction != EventDirection::None && eventDirection(event) != m_direction)
        return false;
    if (!m_kinds.isEmpty() && !m_kinds.contains(event.kind))
        return false;
    if (!m_connection.isEmpty() && event.connectionId != m_connection)
        return false;
    if (m_text.isEmpty())
        return true;
    const QString haystack =
        log->data(log->index(sourceRow, 0), EventLogModel::SearchTextRole).toString();
    return m_useRegex ? m_regex.match(haystack).hasMatch()
                      : haystack.contains(m_text, Qt::CaseInsensitive);
}

} // namespace sluice::studio
