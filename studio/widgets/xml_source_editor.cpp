// SPDX-License-Identifier: Apache-2.0
#include "xml_source_editor.h"

#include "xml_highlighter.h"

#include <QApplication>
#include <QFontDatabase>
#include <QMouseEvent>
#include <QPainter>
#include <QPainterPath>
#include <QTextBlock>
#include <algorithm>

namespace sluice::studio {

class XmlSourceEditor::LineNumberArea : public QWidget {
public:
    explicit LineNumberArea(XmlSourceEditor *editor)
        : QWidget(editor)
        , m_editor(editor)
    {
    }
    QSize sizeHint() const override { return {m_editor->lineNumberAreaWidth(), 0}; }

protected:
    void paintEvent(QPaintEvent *event) override { m_editor->paintLineNumbers(event); }

private:
    XmlSourceEditor *m_editor;
};

// The strip under the text that names the problem at the cursor (or the first one).
class XmlSourceEditor::ProblemStrip : public QWidget {
public:
    explicit ProblemStrip(XmlSourceEditor *editor)
        : QWidget(editor)
        , m_editor(editor)
    {
        setCursor(Qt::PointingHandCursor);
        setFont(QApplication::font()); // a message, not code
        hide();
    }
    void setText(const QString &text)
    {
        m_text = text;
        setToolTip(text);
        update();
    }
    QString text() const { return m_text; }
    int preferredHeight() const { return fontMetrics().height() + 10; }

protected:
    void paintEvent(QPaintEvent *) override
    {
        QPainter painter(this);
        painter.setRenderHint(QPainter::Antialiasing);
        const QColor accent = m_editor->problemColor();
        QColor fill = accent;
        fill.setAlpha(m_editor->isDark() ? 60 : 32);
        painter.fillRect(rect(), palette().color(QPalette::Base));
        painter.fillRect(rect(), fill);
        painter.setPen(accent);
        painter.drawLine(rect().topLeft(), rect().topRight());

        // A round "!" badge, then the message.
        const int diameter = fontMetrics().height() - 2;
        const QRectF badge(8, (height() - diameter) / 2.0, diameter, diameter);
        painter.setPen(Qt::NoPen);
        painter.setBrush(accent);
        painter.drawEllipse(badge);
        QFont bold = font();
        bold.setBold(true);
        painter.setFont(bold);
        painter.setPen(m_editor->isDark() ? QColor(0x1e, 0x1e, 0x1e) : QColor(Qt::white));
        painter.drawText(badge, Qt::AlignCenter, QStringLiteral("!"));

        painter.setFont(font());
        painter.setPen(palette().color(QPalette::Text));
        const QRect textRect = rect().adjusted(qRound(badge.right()) + 8, 0, -8, 0);
        painter.drawText(textRect, Qt::AlignVCenter | Qt::AlignLeft,
                         fontMetrics().elidedText(m_text, Qt::ElideRight, textRect.width()));
    }
    void mouseReleaseEvent(QMouseEvent *event) override { event->accept(); }
    void mousePressEvent(QMouseEvent *) override
    {
        if (const Problem *problem = m_editor->currentProblem()) {
            m_editor->goToPosition(problem->line, problem->column);
            m_editor->setFocus();
        }
    }

private:
    XmlSourceEditor *m_editor;
    QString m_text;
};

XmlSourceEditor::XmlSourceEditor(QWidget *parent)
    : QPlainTextEdit(parent)
    , m_highlighter(new XmlHighlighter(document()))
    , m_lineNumbers(new LineNumberArea(this))
    , m_strip(new ProblemStrip(this))
{
    setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    setLineWrapMode(QPlainTextEdit::NoWrap);
    setTabStopDistance(fontMetrics().horizontalAdvance(QLatin1Char(' ')) * 4);
    m_highlighter->setPalette(palette());

    connect(this, &QPlainTextEdit::blockCountChanged, this, &XmlSourceEditor::updateMargins);
    connect(this, &QPlainTextEdit::updateRequest, this, &XmlSourceEditor::updateLineNumberArea);
    connect(this, &QPlainTextEdit::cursorPositionChanged, this, [this] {
        updateExtraSelections();
        updateProblemStrip();
    });
    updateMargins();
    updateExtraSelections();
}

XmlSourceEditor::~XmlSourceEditor() = default;

bool XmlSourceEditor::isDark() const
{
    return palette().color(QPalette::Base).lightness() < 128;
}

QColor XmlSourceEditor::problemColor() const
{
    return isDark() ? QColor(0xf9, 0x70, 0x66) : QColor(0xd9, 0x2d, 0x20);
}

QWidget *XmlSourceEditor::problemStrip() const
{
    return m_strip;
}

int XmlSourceEditor::lineNumberAreaWidth() const
{
    int digits = 1;
    for (int count = qMax(1, blockCount()); count >= 10; count /= 10)
        ++digits;
    // Room for a problem marker on the left and at least three digits.
    return 18 + fontMetrics().horizontalAdvance(QLatin1Char('9')) * qMax(3, digits);
}

void XmlSourceEditor::showProblem(int line, int column, const QString &message)
{
    m_problems.append({qMax(1, line), column, message});
    std::stable_sort(m_problems.begin(), m_problems.end(), [](const Problem &a, const Problem &b) {
        return a.line != b.line ? a.line < b.line : a.column < b.column;
    });
    updateMargins();
    updateExtraSelections();
    updateProblemStrip();
    m_lineNumbers->update();
    emit problemsChanged();
}

void XmlSourceEditor::clearProblems()
{
    if (m_problems.isEmpty())
        return;
    m_problems.clear();
    updateMargins();
    updateExtraSelections();
    updateProblemStrip();
    m_lineNumbers->update();
    emit problemsChanged();
}

const XmlSourceEditor::Problem *XmlSourceEditor::currentProblem() const
{
    if (m_problems.isEmpty())
        return nullptr;
    const int line = textCursor().blockNumber() + 1;
    for (const Problem &problem : m_problems) {
        if (problem.line == line)
            return &problem;
    }
    return &m_problems.first();
}

QString XmlSourceEditor::problemText() const
{
    const Problem *problem = currentProblem();
    if (!problem)
        return {};
    QString text = tr("Line %1: %2").arg(problem->line).arg(problem->message);
    if (problem->column > 0) {
        text = tr("Line %1, column %2: %3")
                   .arg(problem->line)
                   .arg(problem->column)
                   .arg(problem->message);
    }
    if (m_problems.size() > 1)
        text += tr(" (%1 problems in all)").arg(m_problems.size());
    return text;
}

void XmlSourceEditor::updateProblemStrip()
{
    m_strip->setText(problemText());
}

void XmlSourceEditor::goToPosition(int line, int column)
{
    QTextBlock block = document()->findBlockByNumber(qMax(0, line - 1));
    if (!block.isValid())
        block = document()->lastBlock();
    QTextCursor cursor(block);
    cursor.setPosition(block.position() + std::clamp(column - 1, 0, block.length() - 1));
    setTextCursor(cursor);
    centerCursor();
}

void XmlSourceEditor::updateMargins()
{
    const int bottom = m_problems.isEmpty() ? 0 : m_strip->preferredHeight();
    setViewportMargins(lineNumberAreaWidth(), 0, 0, bottom);
    m_strip->setVisible(!m_problems.isEmpty());
    layoutChildren();
}

void XmlSourceEditor::layoutChildren()
{
    const QRect contents = contentsRect();
    const QRect view = viewport()->geometry();
    m_lineNumbers->setGeometry(contents.left(), view.top(), lineNumberAreaWidth(), view.height());
    m_strip->setGeometry(contents.left(), view.bottom() + 1, view.right() + 1 - contents.left(),
                         m_strip->preferredHeight());
}

void XmlSourceEditor::resizeEvent(QResizeEvent *event)
{
    QPlainTextEdit::resizeEvent(event);
    layoutChildren();
}

void XmlSourceEditor::changeEvent(QEvent *event)
{
    QPlainTextEdit::changeEvent(event);
    if (event->type() == QEvent::PaletteChange) {
        m_highlighter->setPalette(palette());
        updateExtraSelections();
        m_lineNumbers->update();
        m_strip->update();
    } else if (event->type() == QEvent::FontChange) {
        setTabStopDistance(fontMetrics().horizontalAdvance(QLatin1Char(' ')) * 4);
        updateMargins();
    }
}

void XmlSourceEditor::updateLineNumberArea(const QRect &rect, int dy)
{
    if (dy != 0)
        m_lineNumbers->scroll(0, dy);
    else
        m_lineNumbers->update(0, rect.y(), m_lineNumbers->width(), rect.height());
}

void XmlSourceEditor::updateExtraSelections()
{
    QList<QTextEdit::ExtraSelection> selections;

    QTextEdit::ExtraSelection current;
    QColor currentLine = palette().color(QPalette::Highlight);
    currentLine.setAlpha(isDark() ? 40 : 22);
    current.format.setBackground(currentLine);
    current.format.setProperty(QTextFormat::FullWidthSelection, true);
    current.cursor = textCursor();
    current.cursor.clearSelection();
    selections.append(current);

    QColor lineTint = problemColor();
    lineTint.setAlpha(isDark() ? 55 : 30);
    for (const Problem &problem : std::as_const(m_problems)) {
        const QTextBlock block = document()->findBlockByNumber(problem.line - 1);
        if (!block.isValid())
            continue;
        QTextEdit::ExtraSelection line;
        line.format.setBackground(lineTint);
        line.format.setProperty(QTextFormat::FullWidthSelection, true);
        line.cursor = QTextCursor(block);
        selections.append(line);

        // Underline from the column to the end of the word there (the whole line's text when
        // there is no column).
        const QString text = block.text();
        int start = 0;
        int end = text.size();
        if (problem.column > 0) {
            start = qMin(problem.column - 1, qMax(0, int(text.size()) - 1));
            end = start + 1;
            while (end < text.size() && !text.at(end).isSpace() && text.at(end) != u'>')
                ++end;
        } else {
            while (start < end && text.at(start).isSpace())
                ++start;
        }
        if (end > start) {
            QTextEdit::ExtraSelection underline;
            underline.format.setUnderlineStyle(QTextCharFormat::WaveUnderline);
            underline.format.setUnderlineColor(problemColor());
            underline.cursor = QTextCursor(block);
            underline.cursor.setPosition(block.position() + start);
            underline.cursor.setPosition(block.position() + qMin(end, int(text.size())),
                                         QTextCursor::KeepAnchor);
            selections.append(underline);
        }
    }
    setExtraSelections(selections);
}

void XmlSourceEditor::paintLineNumbers(QPaintEvent *event)
{
    QPainter painter(m_lineNumbers);
    painter.setRenderHint(QPainter::Antialiasing);
    const QColor base = palette().color(QPalette::Base);
    const QColor text = palette().color(QPalette::Text);
    painter.fillRect(event->rect(), isDark() ? base.lighter(112) : base.darker(104));

    QColor dim = text;
    dim.setAlphaF(0.45f);
    const int currentBlock = textCursor().blockNumber();
    QList<int> problemLines;
    for (const Problem &problem : std::as_const(m_problems))
        problemLines.append(problem.line - 1);

    QTextBlock block = firstVisibleBlock();
    int number = block.blockNumber();
    qreal top = blockBoundingGeometry(block).translated(contentOffset()).top();
    const int lineHeight = fontMetrics().height();
    const int right = m_lineNumbers->width() - 6;
    while (block.isValid() && top <= event->rect().bottom()) {
        const qreal bottom = top + blockBoundingRect(block).height();
        if (block.isVisible() && bottom >= event->rect().top()) {
            const bool problem = problemLines.contains(number);
            QFont font = painter.font();
            font.setBold(problem || number == currentBlock);
            painter.setFont(font);
            painter.setPen(problem ? problemColor() : number == currentBlock ? text : dim);
            painter.drawText(QRectF(0, top, right, lineHeight), Qt::AlignRight | Qt::AlignVCenter,
                             QString::number(number + 1));
            if (problem) {
                const qreal diameter = 7;
                painter.setPen(Qt::NoPen);
                painter.setBrush(problemColor());
                painter.drawEllipse(
                    QRectF(5, top + (lineHeight - diameter) / 2, diameter, diameter));
            }
        }
        block = block.next();
        top = bottom;
        ++number;
    }
}

} // namespace sluice::studio
