// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "runtime/message_events.h"

#include <QWidget>

class QAction;
class QComboBox;
class QLabel;
class QLineEdit;
class QTableView;
class QToolButton;

namespace sluice::studio {

class EventDetailView;
class EventLogFilter;
class EventLogModel;

// The live message log: a toolbar of filters (direction, kinds, connection, text or regular
// expression), pause, clear and follow tail; the events table (EventLogModel through an
// EventLogFilter); and the detail pane of the current event. Selecting an event highlights
// every event of the same message (client frame in, mediators, backend frames, client frame
// out); selecting a mediator event reports where the mediator was read (mediatorActivated) so
// that the main window selects it on the design canvas.
class LogDock : public QWidget {
    Q_OBJECT
public:
    explicit LogDock(QWidget *parent = nullptr);
    ~LogDock() override;

    EventLogModel *model() const { return m_model; }
    EventLogFilter *filter() const { return m_filter; }
    QTableView *table() const { return m_table; }
    EventDetailView *detail() const { return m_detail; }
    QLabel *countLabel() const { return m_count; }

    void appendEvents(const QList<sluice::MessageEvent> &events);
    void addDropped(quint64 count);
    void clear();
    void setPaused(bool paused);
    bool isPaused() const;
    void setFollowTail(bool follow);
    bool followTail() const;
    // Selects the row of the event with this id (in the filtered view); false when hidden.
    bool selectEvent(quint64 id);
    // The selected rows as tab-separated text, one line per event.
    QString selectedRowsText() const;
    void copySelection() const;

    // Filters, as the toolbar sets them (for tests and the main window).
    void setDirectionFilter(int direction); // EventDirection as int
    void setKindFilter(const QList<sluice::MessageEventKind> &kinds);
    void setConnectionFilter(const QString &connection);
    void setTextFilter(const QString &text, bool regex);

signals:
    // A mediator event was selected: where its mediator was read.
    void mediatorActivated(const sluice::SourceLocation &location);

private:
    void onCurrentChanged();
    void updateCount();
    void applyKindMenu();
    void applyText();

    EventLogModel *m_model = nullptr;
    EventLogFilter *m_filter = nullptr;
    QTableView *m_table = nullptr;
    EventDetailView *m_detail = nullptr;
    QComboBox *m_direction = nullptr;
    QToolButton *m_kinds = nullptr;
    QList<QAction *> m_kindActions;
    QLineEdit *m_connection = nullptr;
    QLineEdit *m_text = nullptr;
    QToolButton *m_regex = nullptr;
    QToolButton *m_pause = nullptr;
    QToolButton *m_follow = nullptr;
    QLabel *m_count = nullptr;
    bool m_modelChanging = false; // events arriving, not the user selecting
};

} // namespace sluice::studio
