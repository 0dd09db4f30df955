// SPDX-License-Identifier: Apache-2.0
#include "xml_highlighter.h"

#include <QPalette>

namespace sluice::studio {

namespace {

bool isNameEnd(QChar c)
{
    return c.isSpace() || c == u'>' || c == u'/' || c == u'=' || c == u'"' || c == u'\'' ||
           c == u'<';
}

} // namespace

XmlHighlighter::XmlHighlighter(QTextDocument *document)
    : QSyntaxHighlighter(document)
{
    applyFormats();
}

void XmlHighlighter::setDarkTheme(bool dark)
{
    if (dark == m_dark)
        return;
    m_dark = dark;
    applyFormats();
    rehighlight();
}

void XmlHighlighter::setPalette(const QPalette &palette)
{
    setDarkTheme(palette.color(QPalette::Base).lightness() < 128);
}

QTextCharFormat XmlHighlighter::categoryFormat(Category category) const
{
    return m_formats.at(static_cast<size_t>(category));
}

void XmlHighlighter::applyFormats()
{
    // GitHub's light and dark code colours: distinct hues, readable on their backgrounds.
    struct Colours {
        const char *light;
        const char *dark;
    };
    static constexpr Colours colours[] = {
        {"#116329", "#7ee787"}, // Element
        {"#6e7781", "#8b949e"}, // Punctuation
        {"#0550ae", "#79c0ff"}, // Attribute
        {"#0a3069", "#a5d6ff"}, // Value
        {"#6e7781", "#8b949e"}, // Comment
        {"#953800", "#ffa657"}, // CData
        {"#cf222e", "#ff7b72"}, // Entity
        {"#8250df", "#d2a8ff"}, // Instruction
    };
    for (size_t i = 0; i < m_formats.size(); ++i) {
        QTextCharFormat format;
        format.setForeground(QColor(QLatin1String(m_dark ? colours[i].dark : colours[i].light)));
        m_formats[i] = format;
    }
    m_formats[static_cast<size_t>(Category::Comment)].setFontItalic(true);
}

void XmlHighlighter::setCategory(int start, int length, Category category)
{
    if (length > 0)
        setFormat(start, length, categoryFormat(category));
}

int XmlHighlighter::highlightUntil(const QString &text, int start, int searchFrom,
                                   QStringView terminator, Category category, State openState,
                                   State &state)
{
    const int end = text.indexOf(terminator, searchFrom);
    if (end < 0) {
        setCategory(start, text.size() - start, category);
        state = openState;
        return text.size();
    }
    const int next = end + terminator.size();
    setCategory(start, next - start, category);
    state = Normal;
    return next;
}

void XmlHighlighter::highlightEntities(const QString &text, int start, int end)
{
    int position = text.indexOf(u'&', start);
    while (position >= 0 && position < end) {
        const int semicolon = text.indexOf(u';', position);
        if (semicolon < 0 || semicolon >= end)
            return;
        bool name = semicolon > position + 1;
        for (int i = position + 1; i < semicolon && name; ++i)
            name = text.at(i).isLetterOrNumber() || text.at(i) == u'#' || text.at(i) == u'_';
        if (name)
            setCategory(position, semicolon + 1 - position, Category::Entity);
        position = text.indexOf(u'&', position + 1);
    }
}

int XmlHighlighter::highlightTag(const QString &text, int position, State &state)
{
    const int size = text.size();
    while (position < size) {
        if (state == InValueDouble || state == InValueSingle) {
            const QChar quote = state == InValueDouble ? u'"' : u'\'';
            const int close = text.indexOf(quote, position);
            if (close < 0) {
                setCategory(position, size - position, Category::Value);
                return size;
            }
            setCategory(position, close + 1 - position, Category::Value);
            state = InTag;
            position = close + 1;
            continue;
        }
        const QChar c = text.at(position);
        if (c.isSpace()) {
            ++position;
        } else if (c == u'>') {
            setCategory(position, 1, Category::Punctuation);
            state = Normal;
            return position + 1;
        } else if (c == u'/' && position + 1 < size && text.at(position + 1) == u'>') {
            setCategory(position, 2, Category::Punctuation);
            state = Normal;
            return position + 2;
        } else if (c == u'=' || c == u'/') {
            setCategory(position, 1, Category::Punctuation);
            ++position;
        } else if (c == u'"' || c == u'\'') {
            setCategory(position, 1, Category::Value);
            state = c == u'"' ? InValueDouble : InValueSingle;
            ++position;
        } else if (c == u'<') {
            state = Normal; // an unclosed tag: let the next one start afresh
            return position;
        } else {
            const int start = position;
            while (position < size && !isNameEnd(text.at(position)))
                ++position;
            setCategory(start, position - start, Category::Attribute);
        }
    }
    return size;
}

void XmlHighlighter::highlightBlock(const QString &text)
{
    State state = static_cast<State>(qMax(previousBlockState(), 0));
    const int size = text.size();
    int position = 0;
    while (position < size) {
        switch (state) {
        case InComment:
            position = highlightUntil(text, position, position, u"-->", Category::Comment,
                                      InComment, state);
            break;
        case InCData:
            position =
                highlightUntil(text, position, position, u"]]>", Category::CData, InCData, state);
            break;
        case InInstruction:
            position = highlightUntil(text, position, position, u"?>", Category::Instruction,
                                      InInstruction, state);
            break;
        case InDeclaration:
            position = highlightUntil(text, position, position, u">", Category::Instruction,
                                      InDeclaration, state);
            break;
        case InTag:
        case InValueDouble:
        case InValueSingle:
            position = highlightTag(text, position, state);
            break;
        case Normal: {
            const int open = text.indexOf(u'<', position);
            highlightEntities(text, position, open < 0 ? size : open);
            if (open < 0) {
                position = size;
                break;
            }
            const QStringView rest = QStringView(text).mid(open);
            if (rest.startsWith(u"<!--")) {
                position = highlightUntil(text, open, open + 4, u"-->", Category::Comment,
                                          InComment, state);
            } else if (rest.startsWith(u"<![CDATA[")) {
                position =
                    highlightUntil(text, open, open + 9, u"]]>", Category::CData, InCData, state);
            } else if (rest.startsWith(u"<?")) {
                position = highlightUntil(text, open, open + 2, u"?>", Category::Instruction,
                                          InInstruction, state);
            } else if (rest.startsWith(u"<!")) {
                position = highlightUntil(text, open, open + 2, u">", Category::Instruction,
                                          InDeclaration, state);
            } else {
                const int bracket = rest.startsWith(u"</") ? 2 : 1;
                setCategory(open, bracket, Category::Punctuation);
                int end = open + bracket;
                while (end < size && !isNameEnd(text.at(end)))
                    ++end;
                setCategory(open + bracket, end - open - bracket, Category::Element);
                state = InTag;
                position = end;
            }
            break;
        }
        }
    }
    setCurrentBlockState(state);
}

} // namespace sluice::studio
