// SPDX-License-Identifier: Apache-2.0
#include "build_support.h"
#include "mediation/executor.h"
#include "mediation/json_xml.h"
#include "mediation/mediation_environment.h"
#include "mediation/message_context.h"
#include "mediator_factories.h"
#include "run_support.h"
#include "synapse_text.h"
#include "xml_support.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <libxml/tree.h>

namespace sluice {

namespace {

enum class MediaType { Xml, Json, Text };

// Synapse's switch for quoting plain string arguments placed outside quotes in a JSON format.
const QString kQuoteStrings = QStringLiteral("QUOTE_STRING_IN_PAYLOAD_FACTORY_JSON");

const QRegularExpression &placeholderPattern()
{
    // Greedy digits: $10 is the tenth argument, not the first followed by '0'.
    static const QRegularExpression pattern = precompiledRegex(QStringLiteral("\\$(\\d+)"));
    return pattern;
}

// The highest $n a format uses, and whether it uses $0 (which no argument fills).
std::pair<qlonglong, bool> placeholderRange(const QString &format)
{
    qlonglong highest = 0;
    bool zero = false;
    auto it = placeholderPattern().globalMatch(format);
    while (it.hasNext()) {
        const qlonglong index = it.next().captured(1).toLongLong();
        zero = zero || index == 0;
        highest = std::max(highest, index);
    }
    return {highest, zero};
}

struct Argument {
    std::optional<QString> value;
    std::unique_ptr<Expression> expression;
    bool literal = false;
};

// One evaluated argument and what kind of text it is, which decides how it is inserted.
struct ArgumentValue {
    enum class Kind { String, Xml, Json };
    QString text;
    Kind kind = Kind::String;
    bool literal = false;
};

bool looksLikeJson(const QString &text)
{
    const QString trimmed = text.trimmed();
    return trimmed.startsWith(QLatin1Char('{')) || trimmed.startsWith(QLatin1Char('['));
}

bool isJsonScalarText(const QString &text)
{
    static const QRegularExpression number =
        precompiledRegex(QStringLiteral("^-?(0|[1-9]\\d*)(\\.\\d+)?([eE][+-]?\\d+)?$"));
    return text == QLatin1String("true") || text == QLatin1String("false") ||
           text == QLatin1String("null") || number.match(text).hasMatch();
}

// A JSON object or array as the XML Synapse would insert: the children of <jsonObject>.
std::optional<QString> jsonToXmlFragment(const QString &json)
{
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(json.trimmed().toUtf8(), &error);
    if (error.error != QJsonParseError::NoError)
        return std::nullopt;
    XmlDocHolder xml(jsonToXml(doc));
    QByteArray out;
    for (xmlNodePtr child : childElements(xmlDocGetRootElement(xml.get())))
        out += serializeXmlNode(child);
    return QString::fromUtf8(out);
}

// An XML fragment as JSON text, as Synapse converts XPath results for a JSON format.
std::optional<QString> xmlToJsonFragment(const QString &xml)
{
    XmlDocHolder doc = parseXmlText(QByteArrayLiteral("<jsonObject>") + xml.toUtf8() +
                                        QByteArrayLiteral("</jsonObject>"),
                                    nullptr);
    if (!doc)
        return std::nullopt;
    return QString::fromUtf8(xmlToJson(doc.get()).toJson(QJsonDocument::Compact));
}

// <payloadFactory>: builds a new payload from a template and arguments, as Synapse's regex
// template processor does.
class PayloadFactoryMediator : public Mediator {
public:
    struct Config {
        MediaType mediaType = MediaType::Xml;
        QString format; // inline, serialized
        QString formatKey;
        std::vector<Argument> arguments;
    };

    PayloadFactoryMediator(SourceLocation location, Config config)
        : Mediator(std::move(location))
        , m_config(std::move(config))
    {
    }
    QString elementName() const override { return QStringLiteral("payloadFactory"); }

    MediationResult mediate(MessageContext &message) const override
    {
        QString error;
        const std::optional<QString> format = formatFor(message, &error);
        if (!format)
            return failWith(message, ErrorCodes::kMediationFailure, error);
        std::vector<ArgumentValue> values;
        values.reserve(m_config.arguments.size());
        for (size_t i = 0; i < m_config.arguments.size(); ++i) {
            auto value = evaluate(m_config.arguments[i], message, &error);
            if (!value) {
                return failWith(message, ErrorCodes::kExpressionFailure,
                                QStringLiteral("payloadFactory: cannot evaluate argument %1: %2")
                                    .arg(i + 1)
                                    .arg(error));
            }
            values.push_back(std::move(*value));
        }
        const bool quoteStrings = MessageContext::propertyText(message.property(kQuoteStrings))
                                      .compare(QLatin1String("true"), Qt::CaseInsensitive) == 0;
        const std::optional<QString> result = fill(*format, values, quoteStrings, &error);
        if (!result)
            return failWith(message, ErrorCodes::kMediationFailure, error);
        return setResult(message, *result);
    }

private:
    std::optional<QString> formatFor(MessageContext &message, QString *error) const
    {
        if (m_config.formatKey.isEmpty())
            return m_config.format;
        const LocalEntry *entry = message.environment().localEntry(m_config.formatKey);
        if (!entry) {
            *error = QStringLiteral("payloadFactory: the format '%1' is not a local entry of "
                                    "the project (registry resources are not available)")
                         .arg(m_config.formatKey);
            return std::nullopt;
        }
        const QString format = entry->xmlValue ? serializeInlineXml(*entry->xmlValue) : entry->text;
        const auto [highest, zero] = placeholderRange(format);
        if (zero || highest > qlonglong(m_config.arguments.size())) {
            *error = QStringLiteral("payloadFactory: the format '%1' uses $%2 but there are %3 "
                                    "arguments")
                         .arg(m_config.formatKey)
                         .arg(zero ? 0 : highest)
                         .arg(m_config.arguments.size());
            return std::nullopt;
        }
        return format;
    }

    std::optional<ArgumentValue> evaluate(const Argument &argument, MessageContext &message,
                                          QString *error) const
    {
        ArgumentValue value;
        value.literal = argument.literal;
        if (argument.value) {
            value.text = *argument.value;
            value.kind = isXmlElementText(value.text) ? ArgumentValue::Kind::Xml
                                                      : ArgumentValue::Kind::String;
            return value;
        }
        const Expression &expression = *argument.expression;
        if (expression.language() == Expression::Language::JsonPath) {
            const auto json = expression.evaluateJson(message, error);
            if (!json)
                return std::nullopt;
            if (json->isObject() || json->isArray()) {
                value.kind = ArgumentValue::Kind::Json;
                value.text = MessageContext::propertyText(QVariant(*json));
            } else if (json->isString()) {
                value.text = json->toString();
            } else {
                value.text = jsonScalarText(*json);
            }
            return value;
        }
        const auto text = synapseStringValue(expression, message, error);
        if (!text)
            return std::nullopt;
        value.text = *text;
        value.kind =
            isXmlElementText(value.text) ? ArgumentValue::Kind::Xml : ArgumentValue::Kind::String;
        return value;
    }

    // How an argument enters the format, after Synapse's TemplateProcessor: XML stays XML in an
    // XML format and JSON becomes XML there (and the other way round in a JSON format); plain
    // strings are escaped for the format. literal="true" keeps a value a string for JSON.
    QString replacement(const ArgumentValue &value, bool inJsonString, bool quoteStrings) const
    {
        using Kind = ArgumentValue::Kind;
        switch (m_config.mediaType) {
        case MediaType::Text:
            return value.text;
        case MediaType::Xml:
            if (value.kind == Kind::Xml)
                return value.text;
            if (value.kind == Kind::Json || (!value.literal && looksLikeJson(value.text))) {
                if (auto xml = jsonToXmlFragment(value.text))
                    return *xml;
            }
            return escapeXml(value.text);
        case MediaType::Json:
            break;
        }
        if (value.kind == Kind::Xml && !value.literal) {
            if (auto json = xmlToJsonFragment(value.text))
                return inJsonString ? escapeJsonText(*json) : *json;
            return escapeJsonText(value.text);
        }
        if (value.kind == Kind::Json && !value.literal)
            return inJsonString ? escapeJsonText(value.text) : value.text;
        if (value.kind != Kind::String)
            return escapeJsonText(value.text);
        QString text = escapeJsonText(value.text);
        if (quoteStrings && !inJsonString && !looksLikeJson(value.text) &&
            !isJsonScalarText(value.text.trimmed()))
            text = QLatin1Char('"') + text + QLatin1Char('"');
        return text;
    }

    std::optional<QString> fill(const QString &format, const std::vector<ArgumentValue> &values,
                                bool quoteStrings, QString *error) const
    {
        QString out;
        out.reserve(format.size());
        qsizetype last = 0;
        bool inJsonString = false;
        auto it = placeholderPattern().globalMatch(format);
        while (it.hasNext()) {
            const QRegularExpressionMatch match = it.next();
            const QStringView segment = QStringView(format).mid(last, match.capturedStart() - last);
            if (m_config.mediaType == MediaType::Json)
                inJsonString = jsonStringStateAfter(segment, inJsonString);
            out += segment;
            const qlonglong index = match.captured(1).toLongLong();
            if (index < 1 || index > qlonglong(values.size())) {
                *error = QStringLiteral("payloadFactory: the format uses $%1 but there are %2 "
                                        "arguments")
                             .arg(match.captured(1))
                             .arg(values.size());
                return std::nullopt;
            }
            out += replacement(values[size_t(index - 1)], inJsonString, quoteStrings);
            last = match.capturedEnd();
        }
        out += QStringView(format).mid(last);
        return out;
    }

    // The new payload is text whatever the frame that brought the message in.
    MediationResult setResult(MessageContext &message, const QString &result) const
    {
        const QByteArray bytes = result.trimmed().toUtf8();
        QString error;
        switch (m_config.mediaType) {
        case MediaType::Text:
            message.setPayload(result.toUtf8(), QStringLiteral("text/plain"), FrameKind::Text);
            return MediationResult::Continue;
        case MediaType::Json: {
            QJsonParseError parseError;
            QJsonDocument::fromJson("[" + bytes + "]", &parseError);
            if (parseError.error != QJsonParseError::NoError) {
                return failWith(
                    message, ErrorCodes::kMediationFailure,
                    QStringLiteral("payloadFactory: the result is not JSON (%1): %2")
                        .arg(parseError.errorString(), QString::fromUtf8(bytes.left(200))));
            }
            message.setPayload(bytes, QStringLiteral("application/json"), FrameKind::Text);
            return MediationResult::Continue;
        }
        case MediaType::Xml:
            break;
        }
        XmlDocHolder doc = parseXmlText(bytes, &error);
        if (!doc) {
            return failWith(message, ErrorCodes::kMediationFailure,
                            QStringLiteral("payloadFactory: the result is not well-formed XML "
                                           "(%1): %2")
                                .arg(error, QString::fromUtf8(bytes.left(200))));
        }
        // A SOAP message keeps its envelope: the new payload goes into its Body, as in Synapse.
        xmlDocPtr current = message.isXml() ? message.xmlDocument() : nullptr;
        xmlNodePtr body = soapBody(current);
        xmlNodePtr root = xmlDocGetRootElement(doc.get());
        if (body && xmlLocalName(root) != QLatin1String("Envelope")) {
            for (xmlNodePtr child = body->children; child;) {
                xmlNodePtr next = child->next;
                xmlUnlinkNode(child);
                xmlFreeNode(child);
                child = next;
            }
            xmlAddChild(body, xmlDocCopyNode(root, current, 1));
            message.markXmlChanged();
            return MediationResult::Continue;
        }
        const QString contentType =
            message.contentType().contains(QLatin1String("xml"), Qt::CaseInsensitive)
                ? message.contentType()
                : QStringLiteral("application/xml");
        message.setPayload(bytes, contentType, FrameKind::Text);
        return MediationResult::Continue;
    }

    Config m_config;
};

Argument readArgument(const XmlNode &element, const MediatorBuildContext &context)
{
    context.checkAttributes(element, {QStringLiteral("value"), QStringLiteral("expression"),
                                      QStringLiteral("evaluator"), QStringLiteral("literal"),
                                      QStringLiteral("deepCheck"), QStringLiteral("description")});
    checkChildElements(element, context, {});
    Argument argument;
    argument.literal = boolAttribute(element, QStringLiteral("literal"), false, context);
    const auto evaluator = enumAttribute(element, QStringLiteral("evaluator"),
                                         {QStringLiteral("xml"), QStringLiteral("json")},
                                         QStringLiteral("xml"), context);
    const bool hasValue = element.hasAttribute(QStringLiteral("value"));
    const bool hasExpression = element.hasAttribute(QStringLiteral("expression"));
    if (hasValue == hasExpression) {
        context.error(element.location,
                      QStringLiteral("<arg> needs exactly one of 'value' and 'expression'"));
    } else if (hasValue) {
        argument.value = element.attribute(QStringLiteral("value"));
    } else {
        QString text = element.attribute(QStringLiteral("expression")).trimmed();
        // With evaluator="json" the expression is a bare JSONPath ("$.name").
        if (evaluator && *evaluator == QLatin1String("json") &&
            !text.startsWith(QLatin1String("json-eval(")))
            text = QStringLiteral("json-eval(") + text + QLatin1Char(')');
        argument.expression =
            compileExpressionText(text, element, QStringLiteral("expression"), context);
    }
    return argument;
}

// The format as text: an inline element (serialized with the namespaces in scope, so it keeps
// Synapse's default namespace unless it declares xmlns=""), or the text for json / text.
QString readFormat(const XmlNode &element, MediaType mediaType, const MediatorBuildContext &context)
{
    const QList<const XmlNode *> elements = element.childElements();
    for (qsizetype i = 1; i < elements.size(); ++i) {
        context.error(elements[i]->location,
                      QStringLiteral("<format> can hold only one XML element"));
    }
    if (elements.isEmpty()) {
        const QString text = element.textContent();
        return mediaType == MediaType::Text ? text : text.trimmed();
    }
    const XmlNode &first = *elements.first();
    // A text format may come wrapped in Synapse's <text> element of the payload namespace.
    if (mediaType == MediaType::Text && first.name == QLatin1String("text") &&
        first.namespaceUri == QLatin1String("http://ws.apache.org/commons/ns/payload"))
        return first.textContent();
    return serializeInlineXml(first);
}

} // namespace

std::unique_ptr<Mediator> buildPayloadFactoryMediator(const XmlNode &element,
                                                      const MediatorBuildContext &context)
{
    const int errors = context.diagnostics().errorCount();
    context.checkAttributes(element, {QStringLiteral("media-type"), QStringLiteral("template-type"),
                                      QStringLiteral("description")});
    checkChildElements(element, context, {QStringLiteral("format"), QStringLiteral("args")});
    PayloadFactoryMediator::Config config;
    static const QStringList mediaTypes{QStringLiteral("xml"), QStringLiteral("json"),
                                        QStringLiteral("text")};
    if (const auto mediaType = enumAttribute(element, QStringLiteral("media-type"), mediaTypes,
                                             QStringLiteral("xml"), context)) {
        config.mediaType = static_cast<MediaType>(mediaTypes.indexOf(*mediaType));
    }
    if (element.attribute(QStringLiteral("template-type")) == QLatin1String("freemarker")) {
        context.error(element.attributeLocation(QStringLiteral("template-type")),
                      QStringLiteral("freemarker templates are not supported"));
    } else {
        enumAttribute(element, QStringLiteral("template-type"),
                      {QStringLiteral("default"), QStringLiteral("freemarker")},
                      QStringLiteral("default"), context);
    }

    const XmlNode *format = singleChild(element, QStringLiteral("format"), context);
    if (!format) {
        context.error(element.location, QStringLiteral("<payloadFactory> needs a <format>"));
    } else {
        context.checkAttributes(*format, {QStringLiteral("key")});
        config.formatKey = format->attribute(QStringLiteral("key"));
        if (format->hasAttribute(QStringLiteral("key"))) {
            if (config.formatKey.isEmpty()) {
                context.error(format->attributeLocation(QStringLiteral("key")),
                              QStringLiteral("<format> has an empty 'key'"));
            }
            if (format->hasElementChildren() || !format->textContent().trimmed().isEmpty()) {
                context.error(format->location, QStringLiteral("<format key=\"%1\"> cannot also "
                                                               "have content")
                                                    .arg(config.formatKey));
            }
        } else {
            config.format = readFormat(*format, config.mediaType, context);
            if (config.format.trimmed().isEmpty())
                context.error(format->location, QStringLiteral("<format> is empty"));
        }
    }
    if (const XmlNode *args = singleChild(element, QStringLiteral("args"), context)) {
        context.checkAttributes(*args, {});
        checkChildElements(*args, context, {QStringLiteral("arg")});
        for (const XmlNode *arg : args->childElements(QStringLiteral("arg")))
            config.arguments.push_back(readArgument(*arg, context));
    }
    if (format && config.formatKey.isEmpty()) {
        const auto [highest, zero] = placeholderRange(config.format);
        if (zero) {
            context.error(format->location,
                          QStringLiteral("<format> uses $0; arguments are numbered from $1"));
        } else if (highest > qlonglong(config.arguments.size())) {
            context.error(format->location, QStringLiteral("<format> uses $%1 but <args> has %2 "
                                                           "<arg>")
                                                .arg(highest)
                                                .arg(config.arguments.size()));
        }
    }
    if (hasErrorsSince(context, errors))
        return nullptr;
    return std::make_unique<PayloadFactoryMediator>(element.location, std::move(config));
}

} // namespace sluice
