// SPDX-License-Identifier: Apache-2.0
#include "message_context.h"
#include "ascii_text.h"

#include "json_xml.h"
#include "mediation_environment.h"
#include "recycling_allocator.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QJsonValue>
#include <atomic>
#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/tree.h>

namespace sluice {

namespace {

std::atomic<quint64> g_nextMessageId{1};

constexpr int kScopeCount = 5;

int scopeIndex(PropertyScope scope)
{
    return static_cast<int>(scope);
}

// Where stopAtDoctype leaves its mark (the parser context's _private).
int g_doctypeMarker = 0;

// SAX hook called on <!DOCTYPE ...>, before the internal subset is read: stops the parser.
void stopAtDoctype(void *context, const xmlChar *, const xmlChar *, const xmlChar *)
{
    auto *parser = static_cast<xmlParserCtxtPtr>(context);
    parser->_private = &g_doctypeMarker;
    xmlStopParser(parser);
}

QByteArray serializeXml(xmlDocPtr doc)
{
    xmlNodePtr root = xmlDocGetRootElement(doc);
    if (!root)
        return QByteArray();
    xmlBufferPtr buffer = xmlBufferCreate();
    xmlNodeDump(buffer, doc, root, 0, 0);
    QByteArray out(reinterpret_cast<const char *>(xmlBufferContent(buffer)),
                   xmlBufferLength(buffer));
    xmlBufferFree(buffer);
    return out;
}

} // namespace

std::optional<PropertyScope> parsePropertyScope(QStringView text)
{
    if (text.isEmpty() || text == QLatin1String("default") || text == QLatin1String("synapse"))
        return PropertyScope::Default;
    if (text == QLatin1String("axis2"))
        return PropertyScope::Axis2;
    if (text == QLatin1String("transport"))
        return PropertyScope::Transport;
    if (text == QLatin1String("axis2-client"))
        return PropertyScope::Axis2Client;
    if (text == QLatin1String("operation"))
        return PropertyScope::Operation;
    return std::nullopt;
}

QString propertyScopeName(PropertyScope scope)
{
    switch (scope) {
    case PropertyScope::Default:
        return QStringLiteral("default");
    case PropertyScope::Axis2:
        return QStringLiteral("axis2");
    case PropertyScope::Transport:
        return QStringLiteral("transport");
    case PropertyScope::Axis2Client:
        return QStringLiteral("axis2-client");
    case PropertyScope::Operation:
        return QStringLiteral("operation");
    }
    return QString();
}

MessageContext::MessageContext(std::shared_ptr<const MediationEnvironment> environment)
    : m_environment(std::move(environment))
    , m_messageId(newMessageId())
{
}

quint64 MessageContext::newMessageId()
{
    return g_nextMessageId.fetch_add(1, std::memory_order_relaxed);
}

std::shared_ptr<MessageContext>
MessageContext::create(std::shared_ptr<const MediationEnvironment> environment)
{
    return std::allocate_shared<MessageContext>(RecyclingAllocator<MessageContext>(),
                                                std::move(environment));
}

MessageContext::~MessageContext()
{
    if (m_xml)
        xmlFreeDoc(m_xml);
}

std::shared_ptr<MessageContext> MessageContext::clone() const
{
    auto copy = create(m_environment);
    copy->m_payload = payload();
    copy->m_contentType = m_contentType;
    copy->m_frameKind = m_frameKind;
    copy->m_payloadModified = m_payloadModified;
    for (int i = 0; i < kScopeCount; ++i)
        copy->m_properties[i] = m_properties[i];
    copy->m_direction = m_direction;
    copy->m_channelId = m_channelId;
    copy->m_artifactName = m_artifactName;
    copy->m_toAddress = m_toAddress;
    copy->m_responseChannel = m_responseChannel;
    copy->m_outSequence = m_outSequence;
    return copy;
}

const QByteArray &MessageContext::payload() const
{
    switch (m_authority) {
    case Authority::Bytes:
        break;
    case Authority::Xml:
        if (m_xml) {
            const bool jsonMessage = isJson();
            m_payload =
                jsonMessage ? xmlToJson(m_xml).toJson(QJsonDocument::Compact) : serializeXml(m_xml);
        }
        m_authority = Authority::Bytes;
        break;
    case Authority::Json:
        if (m_json)
            m_payload = m_json->toJson(QJsonDocument::Compact);
        m_authority = Authority::Bytes;
        break;
    }
    return m_payload;
}

void MessageContext::dropParsedViews()
{
    if (m_xml) {
        xmlFreeDoc(m_xml);
        m_xml = nullptr;
    }
    m_json.reset();
    m_authority = Authority::Bytes;
}

void MessageContext::setReceivedPayload(const QByteArray &bytes, const QString &contentType,
                                        FrameKind kind)
{
    dropParsedViews();
    m_payload = bytes;
    m_contentType = contentType;
    m_frameKind = kind;
    m_payloadModified = false;
}

void MessageContext::reuseFor(const QByteArray &bytes, const QString &contentType, FrameKind kind,
                              Direction direction)
{
    if (m_idSpent)
        m_messageId = newMessageId();
    m_idSpent = false;
    dropParsedViews();
    m_payload = bytes;
    if (!m_contentType.isSharedWith(contentType))
        m_contentType = contentType;
    m_frameKind = kind;
    m_payloadModified = false;
    m_direction = direction;
    for (PropertyMap &scope : m_properties) {
        if (!scope.isEmpty())
            scope = PropertyMap();
    }
    m_lastSet = LastSet{};
    m_hasFault = false;
}

void MessageContext::setPayload(const QByteArray &bytes, const QString &contentType)
{
    setPayload(bytes, contentType, m_frameKind);
}

void MessageContext::setPayload(const QByteArray &bytes, const QString &contentType, FrameKind kind)
{
    dropParsedViews();
    m_payload = bytes;
    if (!contentType.isEmpty())
        m_contentType = contentType;
    m_frameKind = kind;
    m_payloadModified = true;
}

bool MessageContext::isJson() const
{
    if (containsAsciiNoCase(m_contentType, QLatin1String("json")))
        return true;
    if (!m_contentType.isEmpty() && !m_contentType.startsWith(QLatin1String("text/plain")))
        return false;
    if (m_authority == Authority::Json)
        return true;
    for (char c : m_payload) {
        if (c == ' ' || c == '\n' || c == '\r' || c == '\t')
            continue;
        return c == '{' || c == '[';
    }
    return false;
}

bool MessageContext::isXml() const
{
    if (containsAsciiNoCase(m_contentType, QLatin1String("xml")))
        return true;
    if (!m_contentType.isEmpty() && !m_contentType.startsWith(QLatin1String("text/plain")))
        return false;
    for (char c : m_payload) {
        if (c == ' ' || c == '\n' || c == '\r' || c == '\t')
            continue;
        return c == '<';
    }
    return false;
}

xmlDocPtr MessageContext::xmlDocument(QString *error)
{
    if (m_xml)
        return m_xml;
    if (isJson()) {
        auto json = jsonDocument(error);
        if (!json)
            return nullptr;
        m_xml = jsonToXml(*json);
        return m_xml;
    }
    const QByteArray &bytes = payload();
    if (bytes.trimmed().isEmpty()) {
        if (error)
            *error = QStringLiteral("the payload is empty");
        return nullptr;
    }
    // No network, no entity substitution, no DTD loading; a DOCTYPE is refused outright so
    // that neither entity bombs nor external entities reach the parser's expansion code: the
    // parser stops at <!DOCTYPE, before it reads any declaration.
    const int options = XML_PARSE_NONET | XML_PARSE_NOWARNING | XML_PARSE_NOERROR;
    xmlParserCtxtPtr parser = xmlCreateMemoryParserCtxt(bytes.constData(), int(bytes.size()));
    if (!parser) {
        if (error)
            *error = QStringLiteral("payload is not XML (out of memory)");
        return nullptr;
    }
    xmlCtxtUseOptions(parser, options);
    parser->sax->internalSubset = stopAtDoctype;
    xmlParseDocument(parser);
    xmlDocPtr doc = parser->myDoc;
    parser->myDoc = nullptr;
    const bool hasDoctype = parser->_private == &g_doctypeMarker;
    const bool wellFormed = parser->wellFormed != 0;
    const int errorLine = parser->lastError.line;
    const QString errorText = parser->lastError.message
                                  ? QString::fromUtf8(parser->lastError.message).trimmed()
                                  : QString();
    xmlFreeParserCtxt(parser);
    if (hasDoctype || (doc && (doc->intSubset || doc->extSubset))) {
        if (doc)
            xmlFreeDoc(doc);
        if (error)
            *error = QStringLiteral("payload has a DOCTYPE; DTDs and entities are not accepted");
        return nullptr;
    }
    if (!doc || !wellFormed) {
        if (doc)
            xmlFreeDoc(doc);
        if (error) {
            *error = !errorText.isEmpty() ? QStringLiteral("payload is not XML (line %1): %2")
                                                .arg(errorLine)
                                                .arg(errorText)
                                          : QStringLiteral("payload is not XML");
        }
        return nullptr;
    }
    m_xml = doc;
    return m_xml;
}

void MessageContext::markXmlChanged()
{
    if (!m_xml)
        return;
    m_json.reset();
    m_authority = Authority::Xml;
    m_payloadModified = true;
}

void MessageContext::setXmlDocument(xmlDocPtr document, const QString &contentType)
{
    dropParsedViews();
    m_xml = document;
    if (!contentType.isEmpty())
        m_contentType = contentType;
    m_authority = Authority::Xml;
    m_payloadModified = true;
}

std::optional<QJsonDocument> MessageContext::jsonDocument(QString *error)
{
    if (m_json)
        return m_json;
    QJsonParseError parseError;
    const QByteArray &bytes = payload();
    QJsonDocument doc = QJsonDocument::fromJson(bytes, &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        if (error) {
            *error = QStringLiteral("payload is not JSON (offset %1): %2")
                         .arg(parseError.offset)
                         .arg(parseError.errorString());
        }
        return std::nullopt;
    }
    m_json = doc;
    return m_json;
}

void MessageContext::setJsonDocument(const QJsonDocument &document)
{
    dropParsedViews();
    m_json = document;
    m_authority = Authority::Json;
    if (!isJson())
        m_contentType = QStringLiteral("application/json");
    m_payloadModified = true;
}

QVariant MessageContext::property(const QString &name, PropertyScope scope) const
{
    return m_properties[scopeIndex(scope)].value(name);
}

bool MessageContext::hasProperty(const QString &name, PropertyScope scope) const
{
    return m_properties[scopeIndex(scope)].contains(name);
}

void MessageContext::setProperty(const QString &name, const QVariant &value, PropertyScope scope)
{
    const QVariant &stored = m_properties[scopeIndex(scope)].insert(name, value);
    m_lastSet = LastSet{&stored, name.constData(), name.size(), scope};
}

void MessageContext::setProperty(const QString &name, QVariant &&value, PropertyScope scope)
{
    const QVariant &stored = m_properties[scopeIndex(scope)].insert(name, std::move(value));
    m_lastSet = LastSet{&stored, name.constData(), name.size(), scope};
}

void MessageContext::removeProperty(const QString &name, PropertyScope scope)
{
    m_properties[scopeIndex(scope)].remove(name);
    m_lastSet = LastSet{};
}

void MessageContext::setBaseProperties(PropertyScope scope, PropertyMap::Base base)
{
    m_properties[scopeIndex(scope)].setBase(std::move(base));
}

const PropertyMap &MessageContext::properties(PropertyScope scope) const
{
    return m_properties[scopeIndex(scope)];
}

QString MessageContext::propertyText(const QVariant &value)
{
    if (!value.isValid())
        return QString();
    if (value.metaType().id() == QMetaType::QJsonValue) {
        const QJsonValue json = value.toJsonValue();
        if (json.isObject())
            return QString::fromUtf8(QJsonDocument(json.toObject()).toJson(QJsonDocument::Compact));
        if (json.isArray())
            return QString::fromUtf8(QJsonDocument(json.toArray()).toJson(QJsonDocument::Compact));
        if (json.isString())
            return json.toString();
        return json.toVariant().toString();
    }
    if (value.metaType().id() == QMetaType::Bool)
        return value.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    return value.toString();
}

void MessageContext::setFault(int code, const QString &message, const QString &detail)
{
    m_hasFault = true;
    setProperty(kErrorCode, QString::number(code));
    setProperty(kErrorMessage, message);
    setProperty(kErrorDetail, detail.isEmpty() ? message : detail);
}

void MessageContext::complete()
{
    if (m_completion)
        m_completion(*this);
}

} // namespace sluice
