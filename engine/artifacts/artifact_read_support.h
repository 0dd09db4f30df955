// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "artifacts.h"
#include "diagnostics.h"
#include "xml_node.h"

#include <QSet>
#include <QString>
#include <functional>
#include <initializer_list>
#include <optional>

namespace sluice {

// The checks every part of the artifact reader shares. Messages name the element ("<proxy>")
// and point at the offending attribute or element.

// True for an element in the Synapse namespace with that local name.
bool isSynapseElement(const XmlNode &node, const char *localName);

// Reports "<proxy> needs the attribute 'name'" when the attribute is missing or empty (at the
// element, or at the empty attribute) and returns its value.
QString requireAttribute(const XmlNode &element, const char *name, Diagnostics &diagnostics);

// Reads one element of the artifact structure: checks its attributes against the names Synapse
// defines for it (attributes in other namespaces are design hints and ignored) and walks its
// children.
class ElementReader {
public:
    ElementReader(const XmlNode &element, Diagnostics &diagnostics,
                  std::initializer_list<const char *> allowedAttributes);

    const XmlNode &element() const { return m_element; }
    Diagnostics &diagnostics() const { return m_diagnostics; }
    QString tag() const; // "<proxy>"

    bool has(const char *name) const;
    QString value(const char *name) const;
    SourceLocation location(const char *name) const;
    QString required(const char *name) const;
    void error(const SourceLocation &where, const QString &message) const;

    // Hands every child element to handler, which returns false for one it does not know
    // ("unknown element <x> in <proxy>"). Comments and formatting whitespace are skipped; other
    // text is reported unless the element holds a text value.
    void forEachChild(const std::function<bool(const XmlNode &)> &handler,
                      bool textAllowed = false) const;
    // True the first time a child of this name is seen; reports a duplicate after that.
    bool once(const XmlNode &child);
    void unsupported(const XmlNode &child, const QString &reason = QString()) const;
    // The text of a <description>; reports element content.
    QString description(const XmlNode &child) const;
    // The text of a text-only element, trimmed; reports element content.
    QString textOf(const XmlNode &child) const;

private:
    const XmlNode &m_element;
    Diagnostics &m_diagnostics;
    QSet<QString> m_seen;
};

// <parameter name="...">text</parameter> of a proxy or an inbound endpoint (key="..." is kept as
// the value).
NamedValue readParameter(const XmlNode &element, Diagnostics &diagnostics);

} // namespace sluice
