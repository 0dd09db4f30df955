// SPDX-License-Identifier: Apache-2.0
#include "xml_node.h"

#include <QFile>
#include <QRegularExpression>
#include <QSet>
#include <QXmlStreamReader>
#include <QXmlStreamWriter>
#include <algorithm>

namespace sluice {

XmlNode XmlNode::element(const QString &localName, const QString &ns)
{
    XmlNode node;
    node.kind = Kind::Element;
    node.name = localName;
    node.namespaceUri = ns;
    return node;
}

XmlNode XmlNode::textNode(const QString &text)
{
    XmlNode node;
    node.kind = Kind::Text;
    node.text = text;
    return node;
}

const XmlAttribute *XmlNode::findAttribute(const QString &attrName) const
{
    for (const XmlAttribute &a : attributes) {
        if (a.name == attrName)
            return &a;
    }
    return nullptr;
}

bool XmlNode::hasAttribute(const QString &attrName) const
{
    return findAttribute(attrName) != nullptr;
}

QString XmlNode::attribute(const QString &attrName, const QString &fallback) const
{
    const XmlAttribute *a = findAttribute(attrName);
    return a ? a->value : fallback;
}

SourceLocation XmlNode::attributeLocation(const QString &attrName) const
{
    const XmlAttribute *a = findAttribute(attrName);
    return a && a->location.isValid() ? a->location : location;
}

void XmlNode::setAttribute(const QString &attrName, const QString &value)
{
    for (XmlAttribute &a : attributes) {
        if (a.name == attrName) {
            a.value = value;
            return;
        }
    }
    attributes.append({attrName, QString(), value, {}});
}

void XmlNode::removeAttribute(const QString &attrName)
{
    attributes.removeIf([&](const XmlAttribute &a) { return a.name == attrName; });
}

QList<const XmlNode *> XmlNode::childElements() const
{
    QList<const XmlNode *> result;
    for (const XmlNode &c : children) {
        if (c.isElement())
            result.append(&c);
    }
    return result;
}

QList<const XmlNode *> XmlNode::childElements(const QString &localName) const
{
    QList<const XmlNode *> result;
    for (const XmlNode &c : children) {
        if (c.isElement() && c.name == localName)
            result.append(&c);
    }
    return result;
}

const XmlNode *XmlNode::firstChildElement(const QString &localName) const
{
    for (const XmlNode &c : children) {
        if (c.isElement() && (localName.isEmpty() || c.name == localName))
            return &c;
    }
    return nullptr;
}

XmlNode &XmlNode::appendChild(XmlNode child)
{
    children.push_back(std::move(child));
    return children.back();
}

QString XmlNode::textContent() const
{
    QString result;
    for (const XmlNode &c : children) {
        if (c.kind == Kind::Text || c.kind == Kind::CData)
            result += c.text;
    }
    return result;
}

bool XmlNode::hasElementChildren() const
{
    return firstChildElement() != nullptr;
}

namespace {

bool isBlank(const XmlNode &n)
{
    return n.kind == XmlNode::Kind::Text && n.text.trimmed().isEmpty();
}

std::vector<const XmlNode *> significantChildren(const XmlNode &n)
{
    std::vector<const XmlNode *> result;
    const bool hasStructure = std::any_of(n.children.begin(), n.children.end(), [](auto &c) {
        return c.kind == XmlNode::Kind::Element || c.kind == XmlNode::Kind::Comment;
    });
    for (const XmlNode &c : n.children) {
        if (hasStructure && isBlank(c))
            continue;
        result.push_back(&c);
    }
    return result;
}

} // namespace

bool XmlNode::sameAs(const XmlNode &other) const
{
    if (kind != other.kind)
        return false;
    if (kind != Kind::Element)
        return text == other.text;
    if (name != other.name || namespaceUri != other.namespaceUri || prefix != other.prefix ||
        attributes != other.attributes || namespaceDeclarations != other.namespaceDeclarations)
        return false;
    const auto mine = significantChildren(*this);
    const auto theirs = significantChildren(other);
    if (mine.size() != theirs.size())
        return false;
    for (size_t i = 0; i < mine.size(); ++i) {
        if (!mine[i]->sameAs(*theirs[i]))
            return false;
    }
    return true;
}

namespace {

// Maps character offsets of the decoded document to 1-based line and column.
class LineIndex {
public:
    explicit LineIndex(const QString &text)
    {
        m_starts.push_back(0);
        for (qsizetype i = 0; i < text.size(); ++i) {
            if (text.at(i) == QLatin1Char('\n'))
                m_starts.push_back(i + 1);
        }
    }
    std::pair<int, int> position(qsizetype offset) const
    {
        auto it = std::upper_bound(m_starts.begin(), m_starts.end(), offset);
        const auto line = std::distance(m_starts.begin(), it);
        return {int(line), int(offset - m_starts[size_t(line - 1)] + 1)};
    }

private:
    std::vector<qsizetype> m_starts;
};

class TreeBuilder {
public:
    TreeBuilder(const QString &text, const QString &fileName, Diagnostics &diagnostics,
                const XmlDocumentOptions &options)
        : m_text(text)
        , m_file(fileName)
        , m_lines(text)
        , m_diagnostics(diagnostics)
        , m_options(options)
    {
    }

    std::optional<XmlNode> build()
    {
        QXmlStreamReader reader(m_text);
        reader.setNamespaceProcessing(true);
        std::vector<XmlNode> stack;
        std::optional<XmlNode> root;
        qsizetype previousOffset = 0;
        while (!reader.atEnd()) {
            const auto token = reader.readNext();
            switch (token) {
            case QXmlStreamReader::DTD:
                if (!m_options.allowDoctype) {
                    fail(reader,
                         QStringLiteral("a DOCTYPE is not allowed here (entity declarations "
                                        "and external entities are refused)"));
                    return std::nullopt;
                }
                break;
            case QXmlStreamReader::EntityReference:
                fail(reader, QStringLiteral("undeclared entity '&%1;'").arg(reader.name()));
                return std::nullopt;
            case QXmlStreamReader::StartElement:
                stack.push_back(
                    startElement(reader, previousOffset, stack.empty() ? nullptr : &stack.back()));
                break;
            case QXmlStreamReader::EndElement: {
                XmlNode done = std::move(stack.back());
                stack.pop_back();
                trimFormatting(done);
                if (stack.empty())
                    root = std::move(done);
                else
                    stack.back().children.push_back(std::move(done));
                break;
            }
            case QXmlStreamReader::Characters:
                if (!stack.empty()) {
                    XmlNode t;
                    t.kind = reader.isCDATA() ? XmlNode::Kind::CData : XmlNode::Kind::Text;
                    t.text = reader.text().toString();
                    stack.back().children.push_back(std::move(t));
                }
                break;
            case QXmlStreamReader::Comment:
                if (!stack.empty()) {
                    XmlNode c;
                    c.kind = XmlNode::Kind::Comment;
                    c.text = reader.text().toString();
                    stack.back().children.push_back(std::move(c));
                }
                break;
            default:
                break;
            }
            previousOffset = reader.characterOffset();
        }
        if (reader.hasError()) {
            fail(reader, reader.errorString());
            return std::nullopt;
        }
        if (!root) {
            m_diagnostics.error({m_file, 1, 1}, QStringLiteral("the document has no root element"));
            return std::nullopt;
        }
        return root;
    }

private:
    void fail(const QXmlStreamReader &reader, const QString &message)
    {
        const int line = int(std::max<qint64>(1, reader.lineNumber()));
        const int column = int(std::max<qint64>(1, reader.columnNumber()));
        m_diagnostics.error({m_file, line, column},
                            QStringLiteral("XML is not well-formed: %1").arg(message));
    }

    SourceLocation locationAt(qsizetype offset) const
    {
        const auto [line, column] = m_lines.position(offset);
        return {m_file, line, column};
    }

    XmlNode startElement(const QXmlStreamReader &reader, qsizetype previousOffset,
                         const XmlNode *parent)
    {
        XmlNode node;
        node.kind = XmlNode::Kind::Element;
        node.name = reader.name().toString();
        node.prefix = reader.prefix().toString();
        node.namespaceUri = reader.namespaceUri().toString();
        const qsizetype tagEnd = reader.characterOffset();
        // A start tag holds no other '<' (attribute values cannot), so the last '<' before its
        // end is its start. The previous token's offset is no lower bound: QXmlStreamReader
        // reports text (and the document start) after reading ahead into the next tag.
        qsizetype tagStart =
            m_text.lastIndexOf(QLatin1Char('<'), std::max<qsizetype>(0, tagEnd - 1));
        if (tagStart < 0)
            tagStart = previousOffset;
        node.location = locationAt(tagStart);
        const QString tag = m_text.mid(tagStart, tagEnd - tagStart);

        if (parent)
            node.namespacesInScope = parent->namespacesInScope;
        for (const auto &decl : reader.namespaceDeclarations()) {
            node.namespaceDeclarations.append(
                {decl.prefix().toString(), decl.namespaceUri().toString()});
            node.namespacesInScope.insert(decl.prefix().toString(), decl.namespaceUri().toString());
        }
        for (const auto &attr : reader.attributes()) {
            XmlAttribute a;
            a.name = attr.qualifiedName().toString();
            a.namespaceUri = attr.namespaceUri().toString();
            a.value = attr.value().toString();
            const QRegularExpression at(
                QStringLiteral("[\\s]%1\\s*=").arg(QRegularExpression::escape(a.name)));
            const auto match = at.match(tag);
            a.location =
                match.hasMatch() ? locationAt(tagStart + match.capturedStart() + 1) : node.location;
            node.attributes.append(a);
        }
        return node;
    }

    // Whitespace that only indents child elements is formatting, not content.
    static void trimFormatting(XmlNode &node)
    {
        const bool hasStructure =
            std::any_of(node.children.begin(), node.children.end(), [](const XmlNode &c) {
                return c.kind == XmlNode::Kind::Element || c.kind == XmlNode::Kind::Comment;
            });
        const bool allBlank =
            std::all_of(node.children.begin(), node.children.end(), [](const XmlNode &c) {
                return (c.kind != XmlNode::Kind::Text && c.kind != XmlNode::Kind::CData) ||
                       isBlank(c);
            });
        if (hasStructure && allBlank)
            std::erase_if(node.children, isBlank);
    }

    const QString &m_text;
    QString m_file;
    LineIndex m_lines;
    Diagnostics &m_diagnostics;
    XmlDocumentOptions m_options;
};

bool refuseOversized(qint64 size, const QString &fileName, Diagnostics &diagnostics)
{
    if (size <= kMaxXmlDocumentBytes)
        return false;
    diagnostics.error({fileName, 1, 1},
                      QStringLiteral("refused: the file is %1 bytes, over the limit of %2 MiB "
                                     "for an XML artifact")
                          .arg(size)
                          .arg(kMaxXmlDocumentBytes / (1024 * 1024)));
    return true;
}

} // namespace

std::optional<XmlNode> parseXml(const QByteArray &data, const QString &fileName,
                                Diagnostics &diagnostics, const XmlDocumentOptions &options)
{
    if (refuseOversized(data.size(), fileName, diagnostics))
        return std::nullopt;
    const QString text = QString::fromUtf8(data);
    TreeBuilder builder(text, fileName, diagnostics, options);
    return builder.build();
}

std::optional<XmlNode> parseXmlFile(const QString &path, const QString &displayName,
                                    Diagnostics &diagnostics)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        diagnostics.error({displayName, 0, 0},
                          QStringLiteral("cannot read file: %1").arg(file.errorString()));
        return std::nullopt;
    }
    // Checked before reading, so that a huge file is not even loaded.
    if (refuseOversized(file.size(), displayName, diagnostics))
        return std::nullopt;
    return parseXml(file.readAll(), displayName, diagnostics);
}

namespace {

QString qualified(const XmlNode &n)
{
    return n.prefix.isEmpty() ? n.name : n.prefix + QLatin1Char(':') + n.name;
}

void writeNode(QXmlStreamWriter &w, const XmlNode &n, bool isRoot)
{
    switch (n.kind) {
    case XmlNode::Kind::Text:
        w.writeCharacters(n.text);
        return;
    case XmlNode::Kind::CData:
        w.writeCDATA(n.text);
        return;
    case XmlNode::Kind::Comment:
        w.writeComment(n.text);
        return;
    case XmlNode::Kind::Element:
        break;
    }
    w.writeStartElement(qualified(n));
    bool declaresOwn = false;
    for (const auto &d : n.namespaceDeclarations) {
        if (d.prefix == n.prefix)
            declaresOwn = true;
        w.writeAttribute(d.prefix.isEmpty() ? QStringLiteral("xmlns")
                                            : QStringLiteral("xmlns:") + d.prefix,
                         d.uri);
    }
    // Trees built in code carry no declarations: the root declares its own namespace.
    if (isRoot && !declaresOwn && !n.namespaceUri.isEmpty()) {
        w.writeAttribute(n.prefix.isEmpty() ? QStringLiteral("xmlns")
                                            : QStringLiteral("xmlns:") + n.prefix,
                         n.namespaceUri);
    }
    for (const auto &a : n.attributes)
        w.writeAttribute(a.name, a.value);
    for (const XmlNode &c : n.children)
        writeNode(w, c, false);
    w.writeEndElement();
}

void collectPrefixes(const XmlNode &n, QSet<QString> &used)
{
    if (!n.isElement())
        return;
    used.insert(n.prefix);
    for (const auto &a : n.attributes) {
        const auto colon = a.name.indexOf(QLatin1Char(':'));
        if (colon > 0)
            used.insert(a.name.left(colon));
    }
    for (const auto &c : n.children)
        collectPrefixes(c, used);
}

} // namespace

QByteArray writeXml(const XmlNode &root, const XmlWriteOptions &options)
{
    QByteArray out;
    QXmlStreamWriter w(&out);
    w.setAutoFormatting(options.indent > 0);
    w.setAutoFormattingIndent(options.indent);
    if (options.declaration)
        w.writeStartDocument();
    writeNode(w, root, true);
    w.writeEndDocument();
    if (!options.declaration && out.startsWith('\n'))
        out.remove(0, 1);
    if (!out.endsWith('\n'))
        out.append('\n');
    return out;
}

QString serializeXmlFragment(const XmlNode &node)
{
    XmlNode copy = node;
    if (copy.isElement()) {
        QSet<QString> used;
        collectPrefixes(copy, used);
        for (const QString &prefix : used) {
            const bool declared =
                std::any_of(copy.namespaceDeclarations.begin(), copy.namespaceDeclarations.end(),
                            [&](const XmlNamespaceDeclaration &d) { return d.prefix == prefix; });
            if (!declared && copy.namespacesInScope.contains(prefix))
                copy.namespaceDeclarations.append({prefix, copy.namespacesInScope.value(prefix)});
        }
    }
    QByteArray out;
    QXmlStreamWriter w(&out);
    writeNode(w, copy, true);
    return QString::fromUtf8(out);
}

} // namespace sluice
