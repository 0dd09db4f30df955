// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QList>
#include <QWidget>

class QLabel;
class QPlainTextEdit;
class QSplitter;
class QTreeWidget;

namespace sluice::studio {

// One line of the WebSocket client's transcript: a frame sent or received, or a note about
// the connection (opened, closed with code and reason, an error).
struct TranscriptEntry {
    enum class Direction { Sent, Received, Note };
    QDateTime time;
    Direction direction = Direction::Note;
    bool binary = false;
    QByteArray data; // the frame's payload; the note's text for notes
};

// The transcript of the try-it WebSocket client: a table (time, direction, kind, size, one
// line of content) and, for the selected line, the whole payload as pretty JSON or XML, text,
// or a hex dump. Keeps the newest kMaxEntries lines.
class WsTryItTranscript : public QWidget {
    Q_OBJECT
public:
    static constexpr int kMaxEntries = 5000;
    // Narrower than this, the detail pane goes under the table.
    static constexpr int kSideBySideWidth = 640;

    explicit WsTryItTranscript(QWidget *parent = nullptr);

    void addFrame(TranscriptEntry::Direction direction, const QByteArray &payload, bool binary);
    void addNote(const QString &text);
    void clear();

    const QList<TranscriptEntry> &entries() const { return m_entries; }
    QTreeWidget *table() const { return m_table; }
    QPlainTextEdit *detail() const { return m_detail; }
    // What the detail pane shows for entry `index` (pretty JSON / XML, text, or hex dump).
    static QString detailText(const TranscriptEntry &entry);
    // Copies entry `row` as the detail pane shows it (context menu "Copy", Ctrl+C).
    void copy(int row) const;
    // Asks for entry `row` to be put in the message editor (context menu, double-click).
    void reuse(int row);

signals:
    void changed();
    void reuseRequested(const sluice::studio::TranscriptEntry &entry);

protected:
    void resizeEvent(QResizeEvent *event) override;

private:
    void append(const TranscriptEntry &entry);
    void showDetail();
    void updateCounts();

    QList<TranscriptEntry> m_entries;
    QSplitter *m_splitter = nullptr;
    QTreeWidget *m_table = nullptr;
    QPlainTextEdit *m_detail = nullptr;
    QLabel *m_counts = nullptr;
    int m_sent = 0;
    int m_received = 0;
};

} // namespace sluice::studio
