// SPDX-License-Identifier: Apache-2.0
#include "build_support.h"
#include "enrich_config.h"
#include "mediation/message_context.h"
#include "mediator_factories.h"

namespace sluice {

namespace {

// <enrich>: copies a part of the message (or an inline value) into another part: the body, an
// XPath or json-eval location, a property, the envelope.
class EnrichMediator : public Mediator {
public:
    EnrichMediator(SourceLocation location, EnrichConfig config)
        : Mediator(std::move(location))
        , m_config(std::move(config))
    {
    }
    QString elementName() const override { return QStringLiteral("enrich"); }

    MediationResult mediate(MessageContext &message) const override
    {
        if (m_config.nativeJson && message.isJson())
            return enrichJson(message, m_config);
        return enrichXml(message, m_config);
    }

private:
    EnrichConfig m_config;
};

const QStringList kSourceTypes{QStringLiteral("custom"), QStringLiteral("envelope"),
                               QStringLiteral("body"), QStringLiteral("property"),
                               QStringLiteral("inline")};
const QStringList kTargetTypes{QStringLiteral("custom"), QStringLiteral("envelope"),
                               QStringLiteral("body"), QStringLiteral("property")};
const QStringList kActions{QStringLiteral("replace"), QStringLiteral("child"),
                           QStringLiteral("sibling")};

bool isJsonPath(const std::unique_ptr<Expression> &expression)
{
    return expression && expression->language() == Expression::Language::JsonPath;
}

void readSource(const XmlNode &element, EnrichConfig &config, const MediatorBuildContext &context)
{
    using Type = EnrichConfig::SourceType;
    context.checkAttributes(element, {QStringLiteral("type"), QStringLiteral("clone"),
                                      QStringLiteral("xpath"), QStringLiteral("property"),
                                      QStringLiteral("key")});
    if (const auto type = enumAttribute(element, QStringLiteral("type"), kSourceTypes,
                                        QStringLiteral("custom"), context)) {
        config.sourceType = static_cast<Type>(kSourceTypes.indexOf(*type));
    }
    config.clone = boolAttribute(element, QStringLiteral("clone"), true, context);
    // Inline content is the value itself; other sources have no content.
    if (config.sourceType != Type::Inline)
        checkChildElements(element, context, {});
    switch (config.sourceType) {
    case Type::Custom:
        config.sourcePath = requireExpression(element, QStringLiteral("xpath"), context);
        break;
    case Type::Property:
        config.sourceProperty = context.requireAttribute(element, QStringLiteral("property"));
        break;
    case Type::Inline: {
        const QList<const XmlNode *> elements = element.childElements();
        for (qsizetype i = 1; i < elements.size(); ++i) {
            context.error(elements[i]->location,
                          QStringLiteral("an inline <source> can hold only one XML element"));
        }
        if (!elements.isEmpty())
            config.inlineXml = serializeInlineXml(*elements.first());
        else if (!element.textContent().trimmed().isEmpty())
            config.inlineText = element.textContent().trimmed();
        else if (!element.attribute(QStringLiteral("key")).isEmpty())
            config.inlineKey = element.attribute(QStringLiteral("key"));
        else
            context.error(element.location, QStringLiteral("an inline <source> needs an XML "
                                                           "element, text or a 'key'"));
        break;
    }
    case Type::Envelope:
    case Type::Body:
        break;
    }
}

void readTarget(const XmlNode &element, EnrichConfig &config, const MediatorBuildContext &context)
{
    using Type = EnrichConfig::TargetType;
    context.checkAttributes(element, {QStringLiteral("type"), QStringLiteral("action"),
                                      QStringLiteral("xpath"), QStringLiteral("property")});
    checkChildElements(element, context, {});
    const QString typeText = element.attribute(QStringLiteral("type"));
    if (typeText == QLatin1String("inline") || typeText == QLatin1String("key")) {
        context.error(element.attributeLocation(QStringLiteral("type")),
                      QStringLiteral("target type '%1' is not supported; allowed: %2")
                          .arg(typeText, kTargetTypes.join(QStringLiteral(", "))));
        return;
    }
    if (const auto type = enumAttribute(element, QStringLiteral("type"), kTargetTypes,
                                        QStringLiteral("custom"), context)) {
        config.targetType = static_cast<Type>(kTargetTypes.indexOf(*type));
    }
    if (element.attribute(QStringLiteral("action")) == QLatin1String("remove")) {
        context.error(element.attributeLocation(QStringLiteral("action")),
                      QStringLiteral("target action 'remove' is not supported; allowed: %1")
                          .arg(kActions.join(QStringLiteral(", "))));
    } else if (const auto action = enumAttribute(element, QStringLiteral("action"), kActions,
                                                 QStringLiteral("replace"), context)) {
        config.action = static_cast<EnrichConfig::Action>(kActions.indexOf(*action));
    }
    if (config.targetType == Type::Custom) {
        config.targetPath = requireExpression(element, QStringLiteral("xpath"), context);
    } else if (config.targetType == Type::Property) {
        config.targetProperty = context.requireAttribute(element, QStringLiteral("property"));
    }
    if (isJsonPath(config.targetPath)) {
        // json-eval($.a.b), possibly spaced, or the bare path.
        QString text = config.targetPath->text().trimmed();
        if (text.startsWith(QLatin1String("json-eval"))) {
            const qsizetype open = text.indexOf(QLatin1Char('('));
            text = text.mid(open + 1, text.lastIndexOf(QLatin1Char(')')) - open - 1);
        }
        QString error;
        if (auto location = parseJsonLocation(text, &error)) {
            config.targetLocation = std::move(*location);
            if (config.targetLocation.empty() && config.action == EnrichConfig::Action::Replace) {
                context.error(element.attributeLocation(QStringLiteral("xpath")),
                              QStringLiteral("replacing the root $ with a custom target is not "
                                             "supported; use type=\"body\" action=\"replace\""));
            }
        } else {
            context.error(element.attributeLocation(QStringLiteral("xpath")),
                          QStringLiteral("invalid json-eval target: %1").arg(error));
        }
        if (config.action == EnrichConfig::Action::Sibling) {
            context.error(element.attributeLocation(QStringLiteral("action")),
                          QStringLiteral("action 'sibling' is not supported for a json-eval "
                                         "target; allowed: replace, child"));
        }
    }
}

QString typeName(const QStringList &names, int index)
{
    return names.at(index);
}

// Synapse's refused pairs, plus the actions a target type cannot do.
void checkCombination(const XmlNode &target, const EnrichConfig &config,
                      const MediatorBuildContext &context)
{
    using S = EnrichConfig::SourceType;
    using T = EnrichConfig::TargetType;
    const S s = config.sourceType;
    const T t = config.targetType;
    const bool refused = (s == S::Envelope && t != T::Property) ||
                         (s == S::Body && (t == T::Envelope || t == T::Body)) ||
                         (s == S::Custom && t == T::Envelope);
    if (refused) {
        context.error(target.location,
                      QStringLiteral("<enrich> cannot combine source type '%1' with target type "
                                     "'%2'")
                          .arg(typeName(kSourceTypes, int(s)), typeName(kTargetTypes, int(t))));
        return;
    }
    const bool actionRefused = config.action != EnrichConfig::Action::Replace &&
                               (t == T::Envelope || t == T::Property ||
                                (t == T::Body && config.action == EnrichConfig::Action::Sibling));
    if (actionRefused) {
        context.error(
            target.attributeLocation(QStringLiteral("action")),
            QStringLiteral("<enrich> target type '%1' does not support action '%2'")
                .arg(typeName(kTargetTypes, int(t)), typeName(kActions, int(config.action))));
    }
}

// EnrichMediatorFactory's conditions for native JSON: no envelope, no inline XML, and any
// custom path on either side a json-eval.
bool supportsNativeJson(const EnrichConfig &config)
{
    using S = EnrichConfig::SourceType;
    using T = EnrichConfig::TargetType;
    const bool sourceCustom = config.sourceType == S::Custom;
    const bool targetCustom = config.targetType == T::Custom;
    const bool sourceJson = isJsonPath(config.sourcePath);
    const bool targetJson = isJsonPath(config.targetPath);
    const bool envelope = config.sourceType == S::Envelope || config.targetType == T::Envelope;
    const bool inlineXml = !config.inlineXml.isEmpty();
    const bool pathsAllow = (!sourceCustom && !targetCustom) || (sourceJson && !targetCustom) ||
                            (!sourceCustom && targetJson) || (sourceJson && targetJson);
    return !inlineXml && !envelope && pathsAllow;
}

} // namespace

std::unique_ptr<Mediator> buildEnrichMediator(const XmlNode &element,
                                              const MediatorBuildContext &context)
{
    const int errors = context.diagnostics().errorCount();
    context.checkAttributes(element, {QStringLiteral("description")});
    checkChildElements(element, context, {QStringLiteral("source"), QStringLiteral("target")});
    EnrichConfig config;
    const XmlNode *source = singleChild(element, QStringLiteral("source"), context);
    const XmlNode *target = singleChild(element, QStringLiteral("target"), context);
    if (!source)
        context.error(element.location, QStringLiteral("<enrich> needs a <source>"));
    if (!target)
        context.error(element.location, QStringLiteral("<enrich> needs a <target>"));
    if (!source || !target)
        return nullptr;
    readSource(*source, config, context);
    readTarget(*target, config, context);
    if (hasErrorsSince(context, errors))
        return nullptr;
    checkCombination(*target, config, context);
    config.nativeJson = supportsNativeJson(config);
    if (isJsonPath(config.targetPath) && !config.nativeJson) {
        context.error(target->attributeLocation(QStringLiteral("xpath")),
                      QStringLiteral("<enrich> cannot write XML (an XPath or inline XML source) "
                                     "into a json-eval target"));
    }
    if (hasErrorsSince(context, errors))
        return nullptr;
    return std::make_unique<EnrichMediator>(element.location, std::move(config));
}

} // namespace sluice
