// SPDX-License-Identifier: Apache-2.0
#include "ws_try_it_transcript.h"

#include "message_format.h"

#include <QClipboard>
#include <QFontDatabase>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QMenu>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScrollBar>
#include <QShortcut>
#include <QSplitter>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace sluice::studio {

namespace {

enum Column { TimeColumn, DirectionColumn, KindColumn, SizeColumn, ContentColumn };

QString directionText(TranscriptEntry::Direction direction)
{
    switch (direction) {
    case TranscriptEntry::Direction::Sent:
        return QStringLiteral("→ sent");
    case TranscriptEntry::Direction::Received:
        return QStringLiteral("← received");
    case TranscriptEntry::Direction::Note:
        break;
    }
    return QStringLiteral("•");
}

} // namespace

WsTryItTranscript::WsTryItTranscript(QWidget *parent)
    : QWidget(parent)
{
    m_table = new QTreeWidget(this);
    m_table->setRootIsDecorated(false);
    m_table->setUniformRowHeights(true);
    m_table->setAlternatingRowColors(true);
    m_table->setFrameShape(QFrame::NoFrame);
    m_table->setHeaderLabels({tr("Time"), tr("Direction"), tr("Kind"), tr("Size"), tr("Content")});
    QHeaderView *header = m_table->header();
    header->setStretchLastSection(true);
    header->resizeSection(TimeColumn, 96);
    header->resizeSection(DirectionColumn, 90);
    header->resizeSection(KindColumn, 56);
    header->resizeSection(SizeColumn, 64);

    const QFont fixed = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    m_detail = new QPlainTextEdit(this);
    m_detail->setReadOnly(true);
    m_detail->setFont(fixed);
    m_detail->setFrameShape(QFrame::NoFrame);
    m_detail->setPlaceholderText(tr("Select a frame to see all of it"));

    m_splitter = new QSplitter(Qt::Horizontal, this);
    m_splitter->setChildrenCollapsible(false);
    m_splitter->addWidget(m_table);
    m_splitter->addWidget(m_detail);
    m_splitter->setStretchFactor(0, 3);
    m_splitter->setStretchFactor(1, 2);

    m_counts = new QLabel(this);
    auto *clearButton = new QPushButton(tr("Clear"), this);
    clearButton->setToolTip(tr("Clear the transcript"));
    auto *bar = new QHBoxLayout;
    bar->setContentsMargins(0, 0, 0, 0);
    bar->addWidget(new QLabel(tr("<b>Transcript</b>"), this));
    bar->addSpacing(8);
    bar->addWidget(m_counts, 1);
    bar->addWidget(clearButton);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(bar);
    layout->addWidget(m_splitter, 1);

    connect(clearButton, &QPushButton::clicked, this, &WsTryItTranscript::clear);
    connect(m_table, &QTreeWidget::currentItemChanged, this, &WsTryItTranscript::showDetail);
    connect(m_table, &QTreeWidget::itemDoubleClicked, this,
            [this](QTreeWidgetItem *item) { reuse(m_table->indexOfTopLevelItem(item)); });
    m_table->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(m_table, &QWidget::customContextMenuRequested, this, [this](const QPoint &pos) {
        const int row = m_table->indexOfTopLevelItem(m_table->itemAt(pos));
        if (row < 0)
            return;
        QMenu menu(this);
        menu.addAction(tr("Copy"), this, [this, row] { copy(row); });
        QAction *again =
            menu.addAction(tr("Edit as new message"), this, [this, row] { reuse(row); });
        again->setEnabled(m_entries.at(row).direction != TranscriptEntry::Direction::Note);
        menu.exec(m_table->viewport()->mapToGlobal(pos));
    });
    auto *copyShortcut = new QShortcut(QKeySequence::Copy, m_table);
    copyShortcut->setContext(Qt::WidgetShortcut);
    connect(copyShortcut, &QShortcut::activated, this,
            [this] { copy(m_table->indexOfTopLevelItem(m_table->currentItem())); });
    updateCounts();
}

void WsTryItTranscript::resizeEvent(QResizeEvent *event)
{
    QWidget::resizeEvent(event);
    // Side by side when there is room, the detail under the table in a narrow dock.
    const Qt::Orientation wanted = width() < kSideBySideWidth ? Qt::Vertical : Qt::Horizontal;
    if (m_splitter->orientation() != wanted)
        m_splitter->setOrientation(wanted);
}

void WsTryItTranscript::addFrame(TranscriptEntry::Direction direction, const QByteArray &payload,
                                 bool binary)
{
    append({QDateTime::currentDateTime(), direction, binary, payload});
}

void WsTryItTranscript::addNote(const QString &text)
{
    append({QDateTime::currentDateTime(), TranscriptEntry::Direction::Note, false, text.toUtf8()});
}

void WsTryItTranscript::clear()
{
    m_entries.clear();
    m_table->clear();
    m_detail->clear();
    m_sent = 0;
    m_received = 0;
    updateCounts();
    emit changed();
}

QString WsTryItTranscript::detailText(const TranscriptEntry &entry)
{
    if (entry.direction == TranscriptEntry::Direction::Note)
        return QString::fromUtf8(entry.data);
    return readablePayload(entry.data, entry.binary);
}

void WsTryItTranscript::append(const TranscriptEntry &entry)
{
    if (m_entries.size() >= kMaxEntries) {
        m_entries.removeFirst();
        delete m_table->takeTopLevelItem(0);
    }
    m_entries.append(entry);
    const bool note = entry.direction == TranscriptEntry::Direction::Note;
    m_sent += entry.direction == TranscriptEntry::Direction::Sent ? 1 : 0;
    m_received += entry.direction == TranscriptEntry::Direction::Received ? 1 : 0;

    auto *item = new QTreeWidgetItem;
    item->setText(TimeColumn, entry.time.toString(QStringLiteral("HH:mm:ss.zzz")));
    item->setText(DirectionColumn, directionText(entry.direction));
    if (!note) {
        item->setText(KindColumn, entry.binary ? tr("binary") : tr("text"));
        item->setText(SizeColumn, formatSize(entry.data.size()));
        item->setTextAlignment(SizeColumn, Qt::AlignRight | Qt::AlignVCenter);
    }
    item->setText(ContentColumn,
                  note ? QString::fromUtf8(entry.data) : payloadSummary(entry.data, entry.binary));
    if (note) {
        QFont italic = item->font(ContentColumn);
        italic.setItalic(true);
        for (int column = 0; column <= ContentColumn; ++column) {
            item->setFont(column, italic);
            item->setForeground(column, palette().brush(QPalette::Disabled, QPalette::Text));
        }
    } else if (entry.direction == TranscriptEntry::Direction::Sent) {
        item->setForeground(DirectionColumn, palette().brush(QPalette::Link));
    }
    // Follow the tail unless the user scrolled up to read something.
    const bool atBottom =
        m_table->verticalScrollBar()->value() == m_table->verticalScrollBar()->maximum();
    m_table->addTopLevelItem(item);
    if (atBottom)
        m_table->scrollToItem(item);
    updateCounts();
    emit changed();
}

void WsTryItTranscript::copy(int row) const
{
    if (row >= 0 && row < m_entries.size())
        QGuiApplication::clipboard()->setText(detailText(m_entries.at(row)));
}

void WsTryItTranscript::reuse(int row)
{
    if (row >= 0 && row < m_entries.size() &&
        m_entries.at(row).direction != TranscriptEntry::Direction::Note)
        emit reuseRequested(m_entries.at(row));
}

void WsTryItTranscript::showDetail()
{
    const int row = m_table->indexOfTopLevelItem(m_table->currentItem());
    m_detail->setPlainText(row >= 0 && row < m_entries.size() ? detailText(m_entries.at(row))
                                                              : QString());
}

void WsTryItTranscript::updateCounts()
{
    m_counts->setText(tr("%1 sent, %2 received").arg(m_sent).arg(m_received));
}

} // namespace sluice::studio
