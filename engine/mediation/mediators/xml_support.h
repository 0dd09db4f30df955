// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QByteArray>
#include <QString>
#include <memory>
#include <vector>

using xmlChar = unsigned char;
using xmlDocPtr = struct _xmlDoc *;
using xmlNodePtr = struct _xmlNode *;

namespace sluice {

// libxml2 helpers for the mediators that edit the XML view of a payload. libxml2 speaks
// `xmlChar *` (UTF-8); these convert without C casts.

inline const xmlChar *xmlString(const QByteArray &utf8)
{
    return reinterpret_cast<const xmlChar *>(utf8.constData());
}
inline const xmlChar *xmlString(const char *utf8)
{
    return reinterpret_cast<const xmlChar *>(utf8);
}
QString fromXmlString(const xmlChar *text);

struct XmlDocFree {
    void operator()(struct _xmlDoc *doc) const;
};
using XmlDocHolder = std::unique_ptr<struct _xmlDoc, XmlDocFree>;

// Parses a standalone XML text (a template result, an inline fragment) with the same safety
// rules as payloads: no network, no DTD. nullptr and *error when it is not well-formed.
XmlDocHolder parseXmlText(const QByteArray &text, QString *error);

// True when `text` is one well-formed XML element (what Synapse's isXML() accepts).
bool isXmlElementText(const QString &text);

// The markup of one node (an element with its subtree, or a text node's escaped text).
QByteArray serializeXmlNode(xmlNodePtr node);
// The text content of a node and its descendants.
QString xmlNodeText(xmlNodePtr node);
// The local name and namespace of an element.
QString xmlLocalName(xmlNodePtr node);
QString xmlNamespaceUri(xmlNodePtr node);

inline const char *const kSoap11Namespace = "http://schemas.xmlsoap.org/soap/envelope/";
inline const char *const kSoap12Namespace = "http://www.w3.org/2003/05/soap-envelope";

// The SOAP envelope namespace of a document's root, empty when the root is not an Envelope.
QString soapNamespace(xmlDocPtr doc);
// The <Body> / <Header> element of a SOAP envelope (nullptr when absent). `create` adds an
// empty Header before the Body when there is none.
xmlNodePtr soapBody(xmlDocPtr doc);
xmlNodePtr soapHeader(xmlDocPtr doc, bool create);

// Child elements of `parent`, in order.
std::vector<xmlNodePtr> childElements(xmlNodePtr parent);

// Escapes text for element content and attribute values.
QString escapeXml(const QString &text);

} // namespace sluice
