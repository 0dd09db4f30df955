// SPDX-License-Identifier: Apache-2.0
#include "xml_support.h"

#include <libxml/parser.h>
#include <libxml/tree.h>

namespace sluice {

QString fromXmlString(const xmlChar *text)
{
    return text ? QString::fromUtf8(reinterpret_cast<const char *>(text)) : QString();
}

void XmlDocFree::operator()(struct _xmlDoc *doc) const
{
    if (doc)
        xmlFreeDoc(doc);
}

XmlDocHolder parseXmlText(const QByteArray &text, QString *error)
{
    const int options = XML_PARSE_NONET | XML_PARSE_NOWARNING | XML_PARSE_NOERROR;
    XmlDocHolder doc(
        xmlReadMemory(text.constData(), int(text.size()), "fragment", nullptr, options));
    if (!doc) {
        if (error) {
            const xmlError *last = xmlGetLastError();
            *error = last && last->message ? QStringLiteral("line %1: %2")
                                                 .arg(last->line)
                                                 .arg(QString::fromUtf8(last->message).trimmed())
                                           : QStringLiteral("not well-formed");
        }
        return nullptr;
    }
    if (doc->intSubset || doc->extSubset) {
        if (error)
            *error = QStringLiteral("a DOCTYPE is not accepted");
        return nullptr;
    }
    if (!xmlDocGetRootElement(doc.get())) {
        if (error)
            *error = QStringLiteral("no root element");
        return nullptr;
    }
    return doc;
}

bool isXmlElementText(const QString &text)
{
    const QString trimmed = text.trimmed();
    if (trimmed.size() < 4 || !trimmed.startsWith(QLatin1Char('<')) ||
        !trimmed.endsWith(QLatin1Char('>')))
        return false;
    return parseXmlText(trimmed.toUtf8(), nullptr) != nullptr;
}

QByteArray serializeXmlNode(xmlNodePtr node)
{
    if (!node)
        return QByteArray();
    xmlBufferPtr buffer = xmlBufferCreate();
    xmlNodeDump(buffer, node->doc, node, 0, 0);
    QByteArray out(reinterpret_cast<const char *>(xmlBufferContent(buffer)),
                   xmlBufferLength(buffer));
    xmlBufferFree(buffer);
    return out;
}

QString xmlNodeText(xmlNodePtr node)
{
    xmlChar *content = xmlNodeGetContent(node);
    const QString text = fromXmlString(content);
    xmlFree(content);
    return text;
}

QString xmlLocalName(xmlNodePtr node)
{
    return node ? fromXmlString(node->name) : QString();
}

QString xmlNamespaceUri(xmlNodePtr node)
{
    return node && node->ns ? fromXmlString(node->ns->href) : QString();
}

QString soapNamespace(xmlDocPtr doc)
{
    xmlNodePtr root = doc ? xmlDocGetRootElement(doc) : nullptr;
    if (!root || xmlLocalName(root) != QLatin1String("Envelope"))
        return QString();
    const QString ns = xmlNamespaceUri(root);
    if (ns == QLatin1String(kSoap11Namespace) || ns == QLatin1String(kSoap12Namespace))
        return ns;
    return QString();
}

namespace {

xmlNodePtr envelopeChild(xmlDocPtr doc, const char *localName)
{
    const QString ns = soapNamespace(doc);
    if (ns.isEmpty())
        return nullptr;
    for (xmlNodePtr child : childElements(xmlDocGetRootElement(doc))) {
        if (xmlLocalName(child) == QLatin1String(localName) && xmlNamespaceUri(child) == ns)
            return child;
    }
    return nullptr;
}

} // namespace

xmlNodePtr soapBody(xmlDocPtr doc)
{
    return envelopeChild(doc, "Body");
}

xmlNodePtr soapHeader(xmlDocPtr doc, bool create)
{
    xmlNodePtr header = envelopeChild(doc, "Header");
    if (header || !create || soapNamespace(doc).isEmpty())
        return header;
    xmlNodePtr root = xmlDocGetRootElement(doc);
    header = xmlNewDocNode(doc, root->ns, xmlString("Header"), nullptr);
    const std::vector<xmlNodePtr> children = childElements(root);
    if (children.empty())
        xmlAddChild(root, header);
    else
        xmlAddPrevSibling(children.front(), header);
    return header;
}

std::vector<xmlNodePtr> childElements(xmlNodePtr parent)
{
    std::vector<xmlNodePtr> result;
    if (!parent)
        return result;
    for (xmlNodePtr child = parent->children; child; child = child->next) {
        if (child->type == XML_ELEMENT_NODE)
            result.push_back(child);
    }
    return result;
}

QString escapeXml(const QString &text)
{
    QString out;
    out.reserve(text.size());
    for (const QChar c : text) {
        switch (c.unicode()) {
        case '&':
            out += QLatin1String("&amp;");
            break;
        case '<':
            out += QLatin1String("&lt;");
            break;
        case '>':
            out += QLatin1String("&gt;");
            break;
        case '"':
            out += QLatin1String("&quot;");
            break;
        case '\'':
            out += QLatin1String("&apos;");
            break;
        default:
            out += c;
        }
    }
    return out;
}

} // namespace sluice
