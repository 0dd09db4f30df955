// SPDX-License-Identifier: Apache-2.0
#include "build_support.h"
#include "enrich_config.h"
#include "mediation/executor.h"
#include "mediation/json_xml.h"
#include "mediation/mediation_environment.h"
#include "mediation/message_context.h"
#include "run_support.h"
#include "synapse_text.h"
#include "xml_support.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace sluice {

namespace {

// Text as a JSON value: JSON when it parses, else a JSON string (as Gson's lenient parser).
QJsonValue jsonFromText(const QString &text)
{
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson("[" + text.toUtf8() + "]", &error);
    if (error.error == QJsonParseError::NoError && doc.array().size() == 1)
        return doc.array().first();
    return text;
}

QJsonValue documentValue(const QJsonDocument &doc)
{
    return doc.isArray() ? QJsonValue(doc.array()) : QJsonValue(doc.object());
}

std::optional<QJsonValue> sourceValue(MessageContext &message, const EnrichConfig &config,
                                      QString *error)
{
    using Type = EnrichConfig::SourceType;
    switch (config.sourceType) {
    case Type::Custom:
        return config.sourcePath->evaluateJson(message, error);
    case Type::Body: {
        const auto doc = message.jsonDocument(error);
        if (!doc)
            return std::nullopt;
        return documentValue(*doc);
    }
    case Type::Property: {
        const QVariant value = message.property(config.sourceProperty);
        if (!value.isValid()) {
            *error = QStringLiteral("the property '%1' is not set").arg(config.sourceProperty);
            return std::nullopt;
        }
        if (value.metaType().id() == QMetaType::QJsonValue)
            return value.toJsonValue();
        return jsonFromText(MessageContext::propertyText(value));
    }
    case Type::Inline: {
        if (config.inlineKey.isEmpty())
            return jsonFromText(config.inlineText);
        const LocalEntry *entry = message.environment().localEntry(config.inlineKey);
        if (!entry) {
            *error = QStringLiteral("the local entry '%1' does not exist").arg(config.inlineKey);
            return std::nullopt;
        }
        if (!entry->xmlValue)
            return jsonFromText(entry->text.trimmed());
        XmlDocHolder xml = parseXmlText(serializeInlineXml(*entry->xmlValue).toUtf8(), error);
        if (!xml)
            return std::nullopt;
        return documentValue(xmlToJson(xml.get()));
    }
    case Type::Envelope:
        break;
    }
    *error = QStringLiteral("the envelope is not JSON");
    return std::nullopt;
}

// A JSON payload may be a bare scalar; QJsonDocument holds only objects and arrays.
void setJsonPayload(MessageContext &message, const QJsonValue &value)
{
    if (value.isObject())
        message.setJsonDocument(QJsonDocument(value.toObject()));
    else if (value.isArray())
        message.setJsonDocument(QJsonDocument(value.toArray()));
    else if (value.isString())
        message.setPayload(
            QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact).mid(1).chopped(1),
            QStringLiteral("application/json"));
    else
        message.setPayload(jsonScalarText(value).toUtf8(), QStringLiteral("application/json"));
}

} // namespace

MediationResult enrichJson(MessageContext &message, const EnrichConfig &config)
{
    using Type = EnrichConfig::TargetType;
    QString error;
    const auto fail = [&](const QString &why) {
        return failWith(message, ErrorCodes::kMediationFailure,
                        QStringLiteral("enrich: %1").arg(why));
    };
    const std::optional<QJsonValue> value = sourceValue(message, config, &error);
    if (!value)
        return fail(error);
    switch (config.targetType) {
    case Type::Property:
        message.setProperty(config.targetProperty,
                            value->isString() ? QVariant(value->toString()) : QVariant(*value));
        return MediationResult::Continue;
    case Type::Body:
    case Type::Custom: {
        const bool body = config.targetType == Type::Body;
        if (body && config.action == EnrichConfig::Action::Replace) {
            setJsonPayload(message, *value);
            return MediationResult::Continue;
        }
        const auto doc = message.jsonDocument(&error);
        if (!doc)
            return fail(error);
        QJsonValue root = documentValue(*doc);
        const JsonLocation here = body ? JsonLocation() : config.targetLocation;
        const bool done = config.action == EnrichConfig::Action::Replace
                              ? setJsonAt(root, here, *value, &error)
                              : addJsonChild(root, here, *value, &error);
        if (!done)
            return fail(error);
        setJsonPayload(message, root);
        return MediationResult::Continue;
    }
    case Type::Envelope:
        break;
    }
    return fail(QStringLiteral("the envelope of a JSON message cannot be replaced"));
}

} // namespace sluice
