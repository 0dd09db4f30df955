// SPDX-License-Identifier: Apache-2.0
#include "log_dock.h"

#include "event_detail_view.h"
#include "model/event_log_filter.h"
#include "model/event_log_model.h"
#include "runtime/message_event_json.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QScopedValueRollback>
#include <QScrollBar>
#include <QSplitter>
#include <QTableView>
#include <QToolButton>
#include <QVBoxLayout>

namespace sluice::studio {

namespace {

bool isMediatorEvent(const MessageEvent &event)
{
    return event.kind == MessageEventKind::MediatorEntered ||
           event.kind == MessageEventKind::PropertiesSet || event.kind == MessageEventKind::Log ||
           (event.kind == MessageEventKind::Fault && !event.mediator.isEmpty());
}

QToolButton *toolButton(const QString &text, const QString &tip, QWidget *parent)
{
    auto *button = new QToolButton(parent);
    button->setText(text);
    button->setToolTip(tip);
    button->setAutoRaise(true);
    return button;
}

} // namespace

LogDock::LogDock(QWidget *parent)
    : QWidget(parent)
    , m_model(new EventLogModel(this))
    , m_filter(new EventLogFilter(this))
{
    setObjectName(QStringLiteral("LogDock"));
    m_filter->setSourceModel(m_model);

    // ----- toolbar
    m_direction = new QComboBox(this);
    m_direction->addItem(tr("All directions"), int(EventDirection::None));
    m_direction->addItem(tr("In"), int(EventDirection::In));
    m_direction->addItem(tr("Out"), int(EventDirection::Out));
    m_direction->setToolTip(tr("Frames that came in, or went out"));
    connect(m_direction, &QComboBox::currentIndexChanged, this, [this] {
        m_filter->setDirection(EventDirection(m_direction->currentData().toInt()));
        updateCount();
    });

    m_kinds = toolButton(tr("All kinds"), tr("Which kinds of events to show"), this);
    m_kinds->setPopupMode(QToolButton::InstantPopup);
    auto *kindMenu = new QMenu(m_kinds);
    for (MessageEventKind kind : allMessageEventKinds()) {
        QAction *action = kindMenu->addAction(messageEventKindName(kind));
        action->setCheckable(true);
        action->setChecked(true);
        action->setData(int(kind));
        connect(action, &QAction::toggled, this, &LogDock::applyKindMenu);
        m_kindActions.append(action);
    }
    m_kinds->setMenu(kindMenu);

    m_connection = new QLineEdit(this);
    m_connection->setPlaceholderText(tr("connection"));
    m_connection->setClearButtonEnabled(true);
    m_connection->setMaximumWidth(110);
    m_connection->setMinimumWidth(50);
    connect(m_connection, &QLineEdit::textChanged, this, [this](const QString &text) {
        m_filter->setConnection(text);
        updateCount();
    });

    m_text = new QLineEdit(this);
    m_text->setPlaceholderText(tr("search"));
    m_text->setClearButtonEnabled(true);
    m_text->setMinimumWidth(60);
    connect(m_text, &QLineEdit::textChanged, this, &LogDock::applyText);
    m_regex = toolButton(QStringLiteral(".*"), tr("Search with a regular expression"), this);
    m_regex->setCheckable(true);
    connect(m_regex, &QToolButton::toggled, this, &LogDock::applyText);

    m_pause = toolButton(tr("Pause"), tr("Hold new events back (they are shown on resume)"), this);
    m_pause->setCheckable(true);
    connect(m_pause, &QToolButton::toggled, this, [this](bool paused) {
        const QScopedValueRollback<bool> changing(m_modelChanging, true);
        m_model->setPaused(paused);
        m_pause->setText(paused ? tr("Resume") : tr("Pause"));
        updateCount();
    });
    QToolButton *clearButton = toolButton(tr("Clear"), tr("Remove every event"), this);
    connect(clearButton, &QToolButton::clicked, this, &LogDock::clear);
    m_follow = toolButton(tr("Follow"), tr("Keep the newest event in view"), this);
    m_follow->setCheckable(true);
    m_follow->setChecked(true);

    m_count = new QLabel(this);

    auto *bar = new QHBoxLayout;
    bar->setContentsMargins(4, 2, 4, 2);
    bar->setSpacing(4);
    bar->addWidget(m_direction);
    bar->addWidget(m_kinds);
    bar->addWidget(m_connection);
    bar->addWidget(m_text, 1);
    bar->addWidget(m_regex);
    bar->addSpacing(8);
    bar->addWidget(m_pause);
    bar->addWidget(clearButton);
    bar->addWidget(m_follow);
    bar->addSpacing(8);
    bar->addWidget(m_count);

    // ----- table and detail
    m_table = new QTableView(this);
    m_table->setModel(m_filter);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_table->setShowGrid(false);
    m_table->setWordWrap(false);
    m_table->setAlternatingRowColors(true);
    m_table->setFrameShape(QFrame::NoFrame);
    m_table->verticalHeader()->hide();
    // Fixed row heights and column widths: nothing has to measure thousands of rows.
    m_table->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_table->verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 6);
    QHeaderView *header = m_table->horizontalHeader();
    header->setStretchLastSection(true);
    header->setHighlightSections(false);
    const int widths[] = {100, 110, 120, 96, 44, 150};
    for (int column = 0; column < EventLogModel::SummaryColumn; ++column)
        header->resizeSection(column, widths[column]);

    m_detail = new EventDetailView(this);
    // Small minimums: the dock shares the bottom area with the side docks' widths.
    m_table->setMinimumWidth(160);
    m_detail->setMinimumWidth(120);
    auto *splitter = new QSplitter(Qt::Horizontal, this);
    splitter->addWidget(m_table);
    splitter->addWidget(m_detail);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 1);

    auto *copy = new QAction(tr("Copy"), this);
    copy->setShortcut(QKeySequence::Copy);
    copy->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    connect(copy, &QAction::triggered, this, &LogDock::copySelection);
    m_table->addAction(copy);
    m_table->setContextMenuPolicy(Qt::ActionsContextMenu);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addLayout(bar);
    layout->addWidget(splitter, 1);

    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &LogDock::onCurrentChanged);
    connect(m_model, &EventLogModel::countsChanged, this, &LogDock::updateCount);
    connect(m_filter, &QAbstractItemModel::rowsInserted, this, [this] {
        if (m_follow->isChecked())
            m_table->scrollToBottom();
    });
    // Scrolling up to read stops following; back at the bottom follows again.
    connect(m_table->verticalScrollBar(), &QScrollBar::valueChanged, this, [this](int value) {
        if (m_table->verticalScrollBar()->isSliderDown())
            m_follow->setChecked(value == m_table->verticalScrollBar()->maximum());
    });
    updateCount();
}

LogDock::~LogDock() = default;

void LogDock::appendEvents(const QList<MessageEvent> &events)
{
    // Appending may remove the oldest rows and with them move the current row to another
    // event: that is not the user picking a mediator, so the design view is left alone then.
    const QScopedValueRollback<bool> changing(m_modelChanging, true);
    m_model->appendEvents(events);
}

void LogDock::addDropped(quint64 count)
{
    m_model->addDropped(count);
}

void LogDock::clear()
{
    m_model->clear();
    m_detail->clearEvent();
}

void LogDock::setPaused(bool paused)
{
    m_pause->setChecked(paused);
}

bool LogDock::isPaused() const
{
    return m_model->isPaused();
}

void LogDock::setFollowTail(bool follow)
{
    m_follow->setChecked(follow);
}

bool LogDock::followTail() const
{
    return m_follow->isChecked();
}

bool LogDock::selectEvent(quint64 id)
{
    const int sourceRow = m_model->rowOfEvent(id);
    if (sourceRow < 0)
        return false;
    const QModelIndex index = m_filter->mapFromSource(m_model->index(sourceRow, 0));
    if (!index.isValid())
        return false;
    m_table->selectionModel()->setCurrentIndex(index, QItemSelectionModel::ClearAndSelect |
                                                          QItemSelectionModel::Rows);
    m_table->scrollTo(index);
    return true;
}

QString LogDock::selectedRowsText() const
{
    QList<int> rows;
    for (const QModelIndex &index : m_table->selectionModel()->selectedRows())
        rows.append(index.row());
    std::sort(rows.begin(), rows.end());
    QStringList lines;
    for (int row : std::as_const(rows)) {
        QStringList cells;
        for (int column = 0; column < EventLogModel::ColumnCount; ++column)
            cells << m_filter->index(row, column).data().toString();
        lines << cells.join(QLatin1Char('\t'));
    }
    return lines.join(QLatin1Char('\n'));
}

void LogDock::copySelection() const
{
    const QString text = selectedRowsText();
    if (!text.isEmpty())
        QApplication::clipboard()->setText(text);
}

void LogDock::setDirectionFilter(int direction)
{
    m_direction->setCurrentIndex(std::max(0, m_direction->findData(direction)));
}

void LogDock::setKindFilter(const QList<MessageEventKind> &kinds)
{
    for (QAction *action : std::as_const(m_kindActions)) {
        const QSignalBlocker blocker(action);
        action->setChecked(kinds.isEmpty() ||
                           kinds.contains(MessageEventKind(action->data().toInt())));
    }
    applyKindMenu();
}

void LogDock::setConnectionFilter(const QString &connection)
{
    m_connection->setText(connection);
}

void LogDock::setTextFilter(const QString &text, bool regex)
{
    const QSignalBlocker blocker(m_regex);
    m_regex->setChecked(regex);
    m_text->setText(text);
    applyText();
}

void LogDock::applyKindMenu()
{
    QSet<MessageEventKind> kinds;
    for (QAction *action : std::as_const(m_kindActions)) {
        if (action->isChecked())
            kinds.insert(MessageEventKind(action->data().toInt()));
    }
    const bool all = kinds.size() == allMessageEventKinds().size();
    m_kinds->setText(all ? tr("All kinds") : tr("%n kind(s)", nullptr, int(kinds.size())));
    // None checked shows nothing: an empty set would mean "every kind" to the filter.
    if (kinds.isEmpty())
        kinds.insert(MessageEventKind(-1));
    m_filter->setKinds(all ? QSet<MessageEventKind>() : kinds);
    updateCount();
}

void LogDock::applyText()
{
    QString error;
    const bool ok = m_filter->setText(m_text->text(), m_regex->isChecked(), &error);
    m_text->setToolTip(ok ? QString() : tr("Invalid regular expression: %1").arg(error));
    m_text->setStyleSheet(ok ? QString() : QStringLiteral("QLineEdit { color: #c62828; }"));
    updateCount();
}

void LogDock::onCurrentChanged()
{
    const QModelIndex current = m_table->currentIndex();
    if (!current.isValid()) {
        m_detail->clearEvent();
        m_model->setHighlightedMessage(0);
        return;
    }
    const int sourceRow = m_filter->mapToSource(current).row();
    const MessageEvent &event = m_model->event(sourceRow);
    m_detail->setEvent(event);
    m_model->setHighlightedMessage(event.messageId);
    if (!m_modelChanging && isMediatorEvent(event) && event.location.isValid())
        emit mediatorActivated(event.location);
}

void LogDock::updateCount()
{
    QString text = tr("%n event(s)", nullptr, m_model->rowCount());
    if (m_filter->rowCount() != m_model->rowCount())
        text += tr(", %1 shown").arg(m_filter->rowCount());
    if (m_model->droppedCount() > 0)
        text += tr(", %1 dropped").arg(m_model->droppedCount());
    if (m_model->isPaused())
        text += tr(" (paused)");
    m_count->setText(text);
}

} // namespace sluice::studio
