// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QSyntaxHighlighter>
#include <QTextCharFormat>
#include <array>

class QPalette;

namespace sluice::studio {

// Colours XML as it is typed: element names, attribute names and values, comments, CDATA
// sections, entity references and processing instructions. Comments, CDATA and start tags may
// span lines (the block state carries them). Two colour sets: light and dark backgrounds.
class XmlHighlighter : public QSyntaxHighlighter {
    Q_OBJECT
public:
    enum class Category {
        Element,     // tag names: <log, </log
        Punctuation, // < > </ /> = and quotes' surroundings
        Attribute,   // attribute names, xmlns:prefix included
        Value,       // attribute values with their quotes
        Comment,     // <!-- ... -->
        CData,       // <![CDATA[ ... ]]>
        Entity,      // &amp; &#10;
        Instruction, // <?xml ... ?> and <!DOCTYPE ...>
    };
    Q_ENUM(Category)

    explicit XmlHighlighter(QTextDocument *document);

    bool isDarkTheme() const { return m_dark; }
    void setDarkTheme(bool dark);
    // Dark when the palette's base (text background) is dark.
    void setPalette(const QPalette &palette);

    QTextCharFormat categoryFormat(Category category) const;

protected:
    void highlightBlock(const QString &text) override;

private:
    // Block states: what the end of a line is still inside of.
    enum State {
        Normal = 0,
        InComment,
        InCData,
        InTag, // after a start tag's name, among its attributes
        InValueDouble,
        InValueSingle,
        InInstruction, // <? ... ?>
        InDeclaration, // <!DOCTYPE ... >
    };

    void applyFormats();
    int highlightTag(const QString &text, int position, State &state);
    int highlightUntil(const QString &text, int start, int searchFrom, QStringView terminator,
                       Category category, State openState, State &state);
    void highlightEntities(const QString &text, int start, int end);
    void setCategory(int start, int length, Category category);

    bool m_dark = false;
    std::array<QTextCharFormat, 8> m_formats;
};

} // namespace sluice::studio
