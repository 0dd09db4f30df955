// SPDX-License-Identifier: Apache-2.0
// The XML source editor: highlighting (light and dark), line numbers, problem marking.

#include "widgets/xml_highlighter.h"
#include "widgets/xml_source_editor.h"

#include <QSignalSpy>
#include <QTest>
#include <QTextBlock>
#include <QTextLayout>

using namespace sluice::studio;
using Category = XmlHighlighter::Category;

namespace {

// The highlighter's format at a document position, if any.
std::optional<QTextCharFormat> formatAt(const QTextDocument *document, int position)
{
    const QTextBlock block = document->findBlock(position);
    const int offset = position - block.position();
    for (const QTextLayout::FormatRange &range : block.layout()->formats()) {
        if (offset >= range.start && offset < range.start + range.length)
            return range.format;
    }
    return std::nullopt;
}

const QString kSample =
    QStringLiteral("<?xml version=\"1.0\"?>\n" // line 1
                   "<sequence name=\"dispatchSeq\" xmlns=\"http://ws.apache.org/ns/synapse\">\n"
                   "    <!-- three properties,\n"                      // line 3
                   "         then a send -->\n"                        // line 4
                   "    <property name=\"OUT_ONLY\"\n"                 // line 5
                   "              value='true'/>\n"                    // line 6
                   "    <payloadFactory><format><![CDATA[{\"a\": 1}\n" // line 7
                   "    ]]></format></payloadFactory>\n"               // line 8
                   "    <log>a &amp; b</log>\n"                        // line 9
                   "</sequence>\n");

} // namespace

class TestXmlSourceEditor : public QObject {
    Q_OBJECT

private slots:
    void highlights_data();
    void highlights();
    void darkThemeFollowsPalette();
    void lineNumbers();
    void problemMarking();
    void problemStripMovesCursor();
    void problemAtCursorLine();
};

void TestXmlSourceEditor::highlights_data()
{
    QTest::addColumn<QString>("needle"); // the text to find in the sample
    QTest::addColumn<int>("offset");     // where in the needle to look
    QTest::addColumn<int>("category");   // -1: no format

    const auto row = [](const char *name, const char *needle, int offset, int category) {
        QTest::newRow(name) << QString::fromUtf8(needle) << offset << category;
    };
    row("instruction", "<?xml", 2, int(Category::Instruction));
    row("open bracket", "<sequence", 0, int(Category::Punctuation));
    row("element", "<sequence", 3, int(Category::Element));
    row("attribute", "name=\"dispatchSeq\"", 1, int(Category::Attribute));
    row("equals", "name=\"dispatchSeq\"", 4, int(Category::Punctuation));
    row("value", "\"dispatchSeq\"", 3, int(Category::Value));
    row("value quote", "\"dispatchSeq\"", 0, int(Category::Value));
    row("namespace attribute", "xmlns=", 2, int(Category::Attribute));
    row("comment start", "<!--", 0, int(Category::Comment));
    row("comment second line", "then a send", 2, int(Category::Comment));
    row("comment end", "send -->", 6, int(Category::Comment));
    row("attribute on a continued tag", "value='true'", 1, int(Category::Attribute));
    row("single-quoted value", "'true'", 2, int(Category::Value));
    row("self-closing end", "/>\n    <payload", 1, int(Category::Punctuation));
    row("cdata", "<![CDATA[", 3, int(Category::CData));
    row("cdata content", "{\"a\": 1}", 1, int(Category::CData));
    row("cdata second line", "]]></format>", 1, int(Category::CData));
    row("element after cdata", "]]></format>", 6, int(Category::Element));
    row("entity", "&amp;", 2, int(Category::Entity));
    row("text", "a &amp;", 0, -1);
    row("end tag", "</sequence>", 4, int(Category::Element));
}

void TestXmlSourceEditor::highlights()
{
    QFETCH(QString, needle);
    QFETCH(int, offset);
    QFETCH(int, category);

    XmlSourceEditor editor;
    editor.setPlainText(kSample);
    const int position = int(kSample.indexOf(needle));
    QVERIFY2(position >= 0, qPrintable(needle));
    const std::optional<QTextCharFormat> format = formatAt(editor.document(), position + offset);
    if (category < 0) {
        QVERIFY(!format);
        return;
    }
    QVERIFY(format);
    const QTextCharFormat expected =
        editor.highlighter()->categoryFormat(static_cast<Category>(category));
    QCOMPARE(format->foreground().color(), expected.foreground().color());
    QCOMPARE(format->fontItalic(), expected.fontItalic());
}

void TestXmlSourceEditor::darkThemeFollowsPalette()
{
    XmlSourceEditor editor;
    editor.setPlainText(kSample);
    XmlHighlighter *highlighter = editor.highlighter();
    QVERIFY(!highlighter->isDarkTheme());
    const QColor light = highlighter->categoryFormat(Category::Element).foreground().color();

    QPalette dark = editor.palette();
    dark.setColor(QPalette::Base, QColor(0x1e, 0x1e, 0x1e));
    dark.setColor(QPalette::Text, QColor(0xdd, 0xdd, 0xdd));
    editor.setPalette(dark);
    QVERIFY(highlighter->isDarkTheme());
    const QColor darkElement = highlighter->categoryFormat(Category::Element).foreground().color();
    QVERIFY(darkElement != light);
    QVERIFY(darkElement.lightness() > light.lightness()); // light text on a dark background
    // Already highlighted text took the new colours.
    const int position = int(kSample.indexOf(QStringLiteral("<sequence"))) + 3;
    QCOMPARE(formatAt(editor.document(), position)->foreground().color(), darkElement);
}

void TestXmlSourceEditor::lineNumbers()
{
    XmlSourceEditor editor;
    editor.setPlainText(kSample);
    const int narrow = editor.lineNumberAreaWidth();
    QVERIFY(narrow > 0);
    QString many;
    for (int i = 0; i < 12000; ++i)
        many += QStringLiteral("<log/>\n");
    editor.setPlainText(many);
    QVERIFY(editor.lineNumberAreaWidth() > narrow);
}

void TestXmlSourceEditor::problemMarking()
{
    XmlSourceEditor editor;
    editor.resize(600, 400);
    editor.setPlainText(kSample);
    editor.show();
    QVERIFY(QTest::qWaitForWindowExposed(&editor));
    QSignalSpy changed(&editor, &XmlSourceEditor::problemsChanged);
    const int viewportHeight = editor.viewport()->height();
    QVERIFY(!editor.problemStrip()->isVisible());

    editor.showProblem(5, 15, QStringLiteral("unknown attribute 'nme'"));
    QCOMPARE(changed.size(), 1);
    QVERIFY(editor.hasProblems());
    QVERIFY(editor.problemStrip()->isVisible());
    QVERIFY(editor.viewport()->height() < viewportHeight); // the strip takes the bottom
    QCOMPARE(editor.problemText(), QStringLiteral("Line 5, column 15: unknown attribute 'nme'"));

    // The line is tinted across its width and the text at the column is underlined.
    const QTextBlock line = editor.document()->findBlockByNumber(4);
    bool tinted = false;
    bool underlined = false;
    for (const QTextEdit::ExtraSelection &selection : editor.extraSelections()) {
        if (selection.cursor.block() != line)
            continue;
        if (selection.format.property(QTextFormat::FullWidthSelection).toBool() &&
            selection.format.background().color().red() > 150)
            tinted = true;
        if (selection.format.underlineStyle() == QTextCharFormat::WaveUnderline) {
            underlined = true;
            QCOMPARE(selection.cursor.selectionStart() - line.position(), 14);
            QCOMPARE(selection.cursor.selectedText(), QStringLiteral("name=\"OUT_ONLY\""));
        }
    }
    QVERIFY(tinted);
    QVERIFY(underlined);

    editor.showProblem(2, 0, QStringLiteral("second"));
    QCOMPARE(editor.problems().size(), 2);
    QCOMPARE(editor.problems().first().line, 2); // sorted by line
    QVERIFY(editor.problemText().contains(QStringLiteral("2 problems")));

    editor.clearProblems();
    QCOMPARE(changed.size(), 3);
    QVERIFY(!editor.hasProblems());
    QVERIFY(editor.problemText().isEmpty());
    QVERIFY(!editor.problemStrip()->isVisible());
    QCOMPARE(editor.viewport()->height(), viewportHeight);
    for (const QTextEdit::ExtraSelection &selection : editor.extraSelections())
        QVERIFY(selection.format.underlineStyle() != QTextCharFormat::WaveUnderline);
}

void TestXmlSourceEditor::problemStripMovesCursor()
{
    XmlSourceEditor editor;
    editor.resize(600, 400);
    editor.setPlainText(kSample);
    editor.show();
    QVERIFY(QTest::qWaitForWindowExposed(&editor));
    editor.showProblem(9, 14, QStringLiteral("bad entity"));
    QCOMPARE(editor.textCursor().blockNumber(), 0);
    QTest::mouseClick(editor.problemStrip(), Qt::LeftButton, {},
                      editor.problemStrip()->rect().center());
    QCOMPARE(editor.textCursor().blockNumber(), 8);
    QCOMPARE(editor.textCursor().positionInBlock(), 13);
}

void TestXmlSourceEditor::problemAtCursorLine()
{
    XmlSourceEditor editor;
    editor.setPlainText(kSample);
    editor.showProblem(2, 3, QStringLiteral("first"));
    editor.showProblem(6, 1, QStringLiteral("second"));
    QVERIFY(editor.problemText().startsWith(QStringLiteral("Line 2")));
    editor.goToPosition(6, 4);
    QVERIFY(editor.problemText().startsWith(QStringLiteral("Line 6, column 1: second")));
    // Out-of-range positions are clamped, not refused.
    editor.showProblem(400, 900, QStringLiteral("past the end"));
    editor.goToPosition(400, 900);
    QCOMPARE(editor.textCursor().blockNumber(), editor.document()->blockCount() - 1);
}

QTEST_MAIN(TestXmlSourceEditor)
#include "tst_xml_source_editor.moc"
