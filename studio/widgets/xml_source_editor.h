// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QList>
#include <QPlainTextEdit>
#include <QString>

namespace sluice::studio {

class XmlHighlighter;

// The XML source view of an artifact: a plain text editor with line numbers, XML colouring
// that follows the palette (light or dark), and problem marking. A problem tints its line,
// underlines the text at its column, marks the line number and is described in a strip under
// the text; clicking the strip moves the cursor to the problem.
class XmlSourceEditor : public QPlainTextEdit {
    Q_OBJECT
public:
    struct Problem {
        int line = 0;   // 1-based
        int column = 0; // 1-based; 0 or less: the whole line
        QString message;
    };

    explicit XmlSourceEditor(QWidget *parent = nullptr);
    ~XmlSourceEditor() override;

    XmlHighlighter *highlighter() const { return m_highlighter; }

    // Adds a problem (the strip shows the one at the cursor's line, else the first).
    void showProblem(int line, int column, const QString &message);
    void clearProblems();
    QList<Problem> problems() const { return m_problems; }
    bool hasProblems() const { return !m_problems.isEmpty(); }
    // What the problem strip says; empty when there are no problems.
    QString problemText() const;
    QWidget *problemStrip() const;

    // Moves the cursor to a 1-based line and column and scrolls it into view.
    void goToPosition(int line, int column);
    int lineNumberAreaWidth() const;

signals:
    void problemsChanged();

protected:
    void resizeEvent(QResizeEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    class LineNumberArea;
    class ProblemStrip;
    friend class LineNumberArea;
    friend class ProblemStrip;

    void updateMargins();
    void updateExtraSelections();
    void updateProblemStrip();
    void updateLineNumberArea(const QRect &rect, int dy);
    void paintLineNumbers(QPaintEvent *event);
    void layoutChildren();
    const Problem *currentProblem() const;
    bool isDark() const;
    QColor problemColor() const;

    XmlHighlighter *m_highlighter = nullptr;
    LineNumberArea *m_lineNumbers = nullptr;
    ProblemStrip *m_strip = nullptr;
    QList<Problem> m_problems;
};

} // namespace sluice::studio
