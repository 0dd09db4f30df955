// SPDX-License-Identifier: Apache-2.0
#include "artifact_read_support.h"

#include <algorithm>

namespace sluice {

namespace {

QString latin(const char *text)
{
    return QString(QLatin1String(text));
}

QString tagOf(const XmlNode &element)
{
    return QStringLiteral("<%1>").arg(element.name);
}

// "<foo>", with the namespace when it is not the Synapse one.
QString describeElement(const XmlNode &element)
{
    if (element.namespaceUri == kSynapseNamespace)
        return tagOf(element);
    if (element.namespaceUri.isEmpty())
        return QStringLiteral("%1 (no namespace)").arg(tagOf(element));
    return QStringLiteral("%1 (namespace '%2')").arg(tagOf(element), element.namespaceUri);
}

QString abbreviated(const QString &text)
{
    const QString simple = text.simplified();
    return simple.size() > 40 ? simple.left(37) + QStringLiteral("...") : simple;
}

} // namespace

bool isSynapseElement(const XmlNode &node, const char *localName)
{
    return node.isElement() && node.namespaceUri == kSynapseNamespace &&
           node.name == QLatin1String(localName);
}

QString requireAttribute(const XmlNode &element, const char *name, Diagnostics &diagnostics)
{
    const XmlAttribute *attribute = element.findAttribute(latin(name));
    if (!attribute || attribute->value.isEmpty()) {
        const QString message = QStringLiteral("%1 needs the attribute '%2'");
        diagnostics.error(attribute ? attribute->location : element.location,
                          message.arg(tagOf(element), QLatin1String(name)));
    }
    return attribute ? attribute->value : QString();
}

ElementReader::ElementReader(const XmlNode &element, Diagnostics &diagnostics,
                             std::initializer_list<const char *> allowedAttributes)
    : m_element(element)
    , m_diagnostics(diagnostics)
{
    for (const XmlAttribute &attribute : element.attributes) {
        if (!attribute.namespaceUri.isEmpty())
            continue;
        const bool known = std::any_of(
            allowedAttributes.begin(), allowedAttributes.end(),
            [&](const char *allowed) { return attribute.name == QLatin1String(allowed); });
        if (!known) {
            error(attribute.location,
                  QStringLiteral("unknown attribute '%1' on %2").arg(attribute.name, tag()));
        }
    }
}

QString ElementReader::tag() const
{
    return tagOf(m_element);
}

bool ElementReader::has(const char *name) const
{
    return m_element.hasAttribute(latin(name));
}

QString ElementReader::value(const char *name) const
{
    return m_element.attribute(latin(name));
}

SourceLocation ElementReader::location(const char *name) const
{
    return m_element.attributeLocation(latin(name));
}

QString ElementReader::required(const char *name) const
{
    return requireAttribute(m_element, name, m_diagnostics);
}

void ElementReader::error(const SourceLocation &where, const QString &message) const
{
    m_diagnostics.error(where, message);
}

void ElementReader::forEachChild(const std::function<bool(const XmlNode &)> &handler,
                                 bool textAllowed) const
{
    for (const XmlNode &child : m_element.children) {
        switch (child.kind) {
        case XmlNode::Kind::Comment:
            break;
        case XmlNode::Kind::Text:
        case XmlNode::Kind::CData:
            if (!textAllowed && !child.text.trimmed().isEmpty()) {
                error(m_element.location, QStringLiteral("unexpected text '%1' in %2")
                                              .arg(abbreviated(child.text), tag()));
            }
            break;
        case XmlNode::Kind::Element:
            if (!handler(child)) {
                error(
                    child.location,
                    QStringLiteral("unknown element %1 in %2").arg(describeElement(child), tag()));
            }
            break;
        }
    }
}

bool ElementReader::once(const XmlNode &child)
{
    if (!m_seen.contains(child.name)) {
        m_seen.insert(child.name);
        return true;
    }
    error(child.location, QStringLiteral("duplicate element %1 in %2").arg(tagOf(child), tag()));
    return false;
}

void ElementReader::unsupported(const XmlNode &child, const QString &reason) const
{
    QString message = QStringLiteral("unsupported element %1 in %2").arg(tagOf(child), tag());
    if (!reason.isEmpty())
        message += QStringLiteral(" (%1)").arg(reason);
    error(child.location, message);
}

QString ElementReader::description(const XmlNode &child) const
{
    ElementReader reader(child, m_diagnostics, {});
    reader.forEachChild([](const XmlNode &) { return false; }, true);
    return child.textContent();
}

QString ElementReader::textOf(const XmlNode &child) const
{
    ElementReader reader(child, m_diagnostics, {});
    reader.forEachChild([](const XmlNode &) { return false; }, true);
    return child.textContent().trimmed();
}

NamedValue readParameter(const XmlNode &element, Diagnostics &diagnostics)
{
    ElementReader reader(element, diagnostics, {"name", "key"});
    NamedValue parameter;
    parameter.name = reader.required("name");
    parameter.location = element.location;
    reader.forEachChild([](const XmlNode &) { return false; }, true);
    parameter.value = reader.has("key") ? reader.value("key") : element.textContent().trimmed();
    return parameter;
}

} // namespace sluice
