// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "diagnostics.h"
#include "source_location.h"

#include <QHash>
#include <QList>
#include <QString>
#include <optional>
#include <vector>

namespace sluice {

inline const QString kSynapseNamespace = QStringLiteral("http://ws.apache.org/ns/synapse");

struct XmlAttribute {
    QString name; // qualified name as written (e.g. "xmlns:m" is never here; "m:foo" may be)
    QString namespaceUri;
    QString value;
    SourceLocation location;

    bool operator==(const XmlAttribute &o) const
    {
        return name == o.name && namespaceUri == o.namespaceUri && value == o.value;
    }
};

struct XmlNamespaceDeclaration {
    QString prefix; // empty for the default namespace
    QString uri;
    bool operator==(const XmlNamespaceDeclaration &) const = default;
};

// A small, copyable XML tree that remembers where every element and attribute was read from.
// The artifact model keeps mediator configurations as XmlNode trees: that makes the reader and
// writer lossless for every mediator, including ones this version cannot run, and lets each
// mediator factory report errors at the exact line and column.
struct XmlNode {
    enum class Kind { Element, Text, CData, Comment };

    Kind kind = Kind::Element;
    QString name; // local name for elements
    QString prefix;
    QString namespaceUri;
    QString text; // for Text, CData and Comment
    QList<XmlAttribute> attributes;
    QList<XmlNamespaceDeclaration> namespaceDeclarations; // declared on this element
    QHash<QString, QString> namespacesInScope;            // prefix -> uri, for expressions
    std::vector<XmlNode> children;
    SourceLocation location;

    static XmlNode element(const QString &localName, const QString &ns = kSynapseNamespace);
    static XmlNode textNode(const QString &text);

    bool isElement() const { return kind == Kind::Element; }
    bool hasAttribute(const QString &name) const;
    QString attribute(const QString &name, const QString &fallback = QString()) const;
    const XmlAttribute *findAttribute(const QString &name) const;
    // Location of the attribute if present, else of the element.
    SourceLocation attributeLocation(const QString &name) const;
    void setAttribute(const QString &name, const QString &value);
    void removeAttribute(const QString &name);

    QList<const XmlNode *> childElements() const;
    QList<const XmlNode *> childElements(const QString &localName) const;
    const XmlNode *firstChildElement(const QString &localName = QString()) const;
    XmlNode &appendChild(XmlNode child);
    // Concatenated text and CDATA of the direct children, as written.
    QString textContent() const;
    bool hasElementChildren() const;

    // Structural equality: names, namespaces, attributes, namespace declarations, children.
    // Locations and whitespace-only text between elements are ignored.
    bool sameAs(const XmlNode &other) const;
};

struct XmlDocumentOptions {
    // Artifacts never need a DTD; refusing it shuts out entity expansion bombs and external
    // entities at the door.
    bool allowDoctype = false;
};

// An XML document (artifact file, CAR entry, uploaded artifact, axis2.xml) bigger than this is
// refused before it is parsed: real artifacts are kilobytes, and a 50 MB one of small elements
// took 94 s and 2.2 GB to validate (docs/reliability.md, "Bad artifacts").
inline constexpr qint64 kMaxXmlDocumentBytes = qint64(4) * 1024 * 1024;

// Parses a whole document; on error records file:line:col and returns nullopt.
std::optional<XmlNode> parseXml(const QByteArray &data, const QString &fileName,
                                Diagnostics &diagnostics, const XmlDocumentOptions &options = {});
std::optional<XmlNode> parseXmlFile(const QString &path, const QString &displayName,
                                    Diagnostics &diagnostics);

struct XmlWriteOptions {
    int indent = 4;
    bool declaration = true;
};

// Writes the tree back as indented XML. Text-only elements stay on one line; mixed content is
// written as read.
QByteArray writeXml(const XmlNode &root, const XmlWriteOptions &options = {});
QString serializeXmlFragment(const XmlNode &node); // no declaration, compact, for payloads

} // namespace sluice
