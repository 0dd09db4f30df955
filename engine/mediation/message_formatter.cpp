// SPDX-License-Identifier: Apache-2.0
#include "message_formatter.h"

#include "ascii_text.h"
#include "json_xml.h"
#include "message_context.h"

#include <libxml/tree.h>

namespace sluice {

namespace {

// Synapse's wrapper of a plain-text payload (BaseConstants.DEFAULT_TEXT_WRAPPER).
constexpr const char *kTextWrapperNamespace = "http://ws.apache.org/commons/ns/payload";

enum class Format { Json, Xml, Text, Other };

// Which of MI's formatters a content type selects. Views, not copies: this runs for every
// message that leaves.
Format formatOfType(QStringView contentType)
{
    const qsizetype semicolon = contentType.indexOf(u';');
    const QStringView mime = (semicolon < 0 ? contentType : contentType.left(semicolon)).trimmed();
    if (containsAsciiNoCase(mime, QLatin1String("json")))
        return Format::Json;
    if (equalsAsciiNoCase(mime, QLatin1String("application/xml")) ||
        equalsAsciiNoCase(mime, QLatin1String("text/xml")) ||
        endsWithAsciiNoCase(mime, QLatin1String("+xml")))
        return Format::Xml;
    if (equalsAsciiNoCase(mime, QLatin1String("text/plain")))
        return Format::Text;
    return Format::Other;
}

// What the payload is now. Text frames and bodies without a telling type are recognised by
// their first character, as the XPath and JSONPath views do.
Format formatOfPayload(const MessageContext &message)
{
    if (message.isJson())
        return Format::Json;
    if (message.isXml())
        return Format::Xml;
    const QString &type = message.contentType();
    if (type.isEmpty() || formatOfType(type) == Format::Text)
        return Format::Text;
    return Format::Other;
}

bool isTextWrapper(xmlNodePtr node)
{
    return node && node->ns && node->ns->href &&
           xmlStrEqual(node->name, reinterpret_cast<const xmlChar *>("text")) &&
           xmlStrEqual(node->ns->href, reinterpret_cast<const xmlChar *>(kTextWrapperNamespace));
}

xmlDocPtr wrapText(const QByteArray &text)
{
    xmlDocPtr doc = xmlNewDoc(reinterpret_cast<const xmlChar *>("1.0"));
    xmlNodePtr root = xmlNewNode(nullptr, reinterpret_cast<const xmlChar *>("text"));
    xmlSetNs(root,
             xmlNewNs(root, reinterpret_cast<const xmlChar *>(kTextWrapperNamespace), nullptr));
    xmlDocSetRootElement(doc, root);
    // xmlNodeAddContent escapes &, < and > on output.
    xmlNodeAddContentLen(root, reinterpret_cast<const xmlChar *>(text.constData()),
                         int(text.size()));
    return doc;
}

void toXml(MessageContext &message, Format from, const QString &type)
{
    if (from == Format::Json) {
        const auto json = message.jsonDocument();
        if (json)
            message.setXmlDocument(jsonToXml(*json), type);
        return;
    }
    if (from == Format::Text && !message.payload().isEmpty())
        message.setXmlDocument(wrapText(message.payload()), type);
}

void toJson(MessageContext &message, const QString &type)
{
    xmlDocPtr doc = message.xmlDocument();
    if (!doc)
        return;
    const QJsonDocument json = xmlToJson(doc);
    message.setJsonDocument(json);
    message.setContentType(type);
}

// MI's PlainTextFormatter: the text of the wrapper element, any other payload as it is.
void toText(MessageContext &message, const QString &type)
{
    xmlDocPtr doc = message.xmlDocument();
    xmlNodePtr root = doc ? xmlDocGetRootElement(doc) : nullptr;
    if (!isTextWrapper(root))
        return;
    xmlChar *content = xmlNodeGetContent(root);
    const QByteArray text(reinterpret_cast<const char *>(content));
    xmlFree(content);
    message.setPayload(text, type);
}

} // namespace

// The type messageType (else ContentType) asks for; empty when neither is set.
static QString requestedContentType(const MessageContext &message)
{
    static const QString kMessageType = QStringLiteral("messageType");
    static const QString kContentType = QStringLiteral("ContentType");
    // Looked up in place: most messages set neither, and a copy of an absent value made into
    // text costs more than the search (this runs for every message sent or responded).
    // By pointer: a braced list of the two names would copy both strings (two atomic
    // reference counts each) on every call.
    const PropertyMap &axis2 = message.properties(PropertyScope::Axis2);
    if (axis2.isEmpty())
        return QString();
    for (const QString *name : {&kMessageType, &kContentType}) {
        if (const QVariant *value = axis2.find(*name)) {
            const QString type = MessageContext::propertyText(*value);
            if (!type.isEmpty())
                return type;
        }
    }
    return QString();
}

QString outgoingContentType(const MessageContext &message)
{
    const QString requested = requestedContentType(message);
    return requested.isEmpty() ? message.contentType() : requested;
}

void formatForTransport(MessageContext &message)
{
    // Without either property the message leaves as its payload is: its own content type
    // names the payload's format (the common case, and the hot path).
    const QString type = requestedContentType(message);
    if (type.isEmpty())
        return;
    const Format to = formatOfType(type);
    if (to == Format::Other)
        return;
    const Format from = formatOfPayload(message);
    if (from == to || from == Format::Other)
        return;
    switch (to) {
    case Format::Xml:
        toXml(message, from, type);
        break;
    case Format::Json:
        if (from == Format::Xml)
            toJson(message, type);
        break;
    case Format::Text:
        // Only a payload typed XML: a text/plain body that merely starts with '<' is text to MI
        // (its builder wraps it whole), so it leaves as the same text.
        if (from == Format::Xml && formatOfType(message.contentType()) == Format::Xml)
            toText(message, type);
        break;
    case Format::Other:
        break;
    }
}

} // namespace sluice
