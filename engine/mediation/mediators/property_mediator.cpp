// SPDX-License-Identifier: Apache-2.0
#include "build_support.h"
#include "mediation/executor.h"
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

enum class ValueType { String, Boolean, Integer, Long, Short, Double, Float, Json, Om };

const QStringList &typeNames()
{
    static const QStringList names{
        QStringLiteral("STRING"), QStringLiteral("BOOLEAN"), QStringLiteral("INTEGER"),
        QStringLiteral("LONG"),   QStringLiteral("SHORT"),   QStringLiteral("DOUBLE"),
        QStringLiteral("FLOAT"),  QStringLiteral("JSON"),    QStringLiteral("OM")};
    return names;
}

ValueType typeFromName(const QString &name)
{
    static const ValueType types[] = {ValueType::String, ValueType::Boolean, ValueType::Integer,
                                      ValueType::Long,   ValueType::Short,   ValueType::Double,
                                      ValueType::Float,  ValueType::Json,    ValueType::Om};
    const qsizetype index = typeNames().indexOf(name);
    return index < 0 ? ValueType::String : types[index];
}

std::optional<QJsonValue> parseJsonValue(const QString &text, QString *error)
{
    QJsonParseError parseError;
    // Wrapping in an array lets scalars ("abc", 5, true) parse as well as objects and arrays.
    const QByteArray wrapped = "[" + text.toUtf8() + "]";
    const QJsonDocument doc = QJsonDocument::fromJson(wrapped, &parseError);
    if (parseError.error != QJsonParseError::NoError || doc.array().size() != 1) {
        *error = parseError.error != QJsonParseError::NoError ? parseError.errorString()
                                                              : QStringLiteral("not one value");
        return std::nullopt;
    }
    return doc.array().first();
}

// Converts text to the property's type as Synapse does (Java's parseInt, parseDouble, ...).
std::optional<QVariant> convertText(const QString &text, ValueType type, QString *error)
{
    bool ok = false;
    switch (type) {
    case ValueType::String:
        return QVariant(text);
    case ValueType::Boolean:
        // JavaUtils.isTrueExplicitly: anything but true/1/yes is false, never an error.
        return QVariant(text.compare(QLatin1String("true"), Qt::CaseInsensitive) == 0 ||
                        text == QLatin1String("1") ||
                        text.compare(QLatin1String("yes"), Qt::CaseInsensitive) == 0);
    case ValueType::Integer: {
        const int v = text.toInt(&ok);
        if (ok)
            return QVariant(v);
        break;
    }
    case ValueType::Long: {
        const qlonglong v = text.toLongLong(&ok);
        if (ok)
            return QVariant(v);
        break;
    }
    case ValueType::Short: {
        const short v = text.toShort(&ok);
        if (ok)
            return QVariant::fromValue(v);
        break;
    }
    case ValueType::Double: {
        const double v = text.trimmed().toDouble(&ok);
        if (ok)
            return QVariant(v);
        break;
    }
    case ValueType::Float: {
        const float v = text.trimmed().toFloat(&ok);
        if (ok)
            return QVariant(v);
        break;
    }
    case ValueType::Json: {
        QString reason;
        if (auto json = parseJsonValue(text, &reason))
            return QVariant(*json);
        *error = QStringLiteral("'%1' is not JSON (%2)").arg(text.left(80), reason);
        return std::nullopt;
    }
    case ValueType::Om: {
        QString reason;
        if (parseXmlText(text.trimmed().toUtf8(), &reason))
            return QVariant(text.trimmed());
        *error = QStringLiteral("'%1' is not an XML element (%2)").arg(text.left(80), reason);
        return std::nullopt;
    }
    }
    *error = QStringLiteral("'%1' is not a valid %2")
                 .arg(text.left(80), typeNames().at(static_cast<int>(type)));
    return std::nullopt;
}

// Java's Matcher.matches() + group(n): no match, or a group the pattern does not have, gives "".
QString applyPattern(const QRegularExpression &pattern, int group, const QString &value)
{
    const QRegularExpressionMatch match = pattern.match(value);
    if (!match.hasMatch() || group > pattern.captureCount())
        return QString();
    return match.captured(group);
}

class PropertyMediator : public Mediator {
public:
    struct Config {
        QString name;
        PropertyScope scope = PropertyScope::Default;
        bool remove = false;
        ValueType type = ValueType::String;
        std::optional<QVariant> constant; // value="..." or an inline XML element, converted
        std::unique_ptr<Expression> expression;
        std::optional<QRegularExpression> pattern;
        int group = 0;
    };

    PropertyMediator(SourceLocation location, Config config)
        : Mediator(std::move(location))
        , m_config(std::move(config))
    {
        // mediate() stores the constant itself when no pattern rewrites it.
        if (!m_config.remove)
            declarePropertiesSet({{m_config.name, m_config.scope}},
                                 m_config.constant && !m_config.pattern
                                     ? QVariantList{*m_config.constant}
                                     : QVariantList{});
        // A constant of the message's own scopes: nothing but a store, which a forwarding flow
        // can leave out when nothing reads it (forward_plan.h). Headers (transport scope) and
        // the other scopes are left to the executor.
        if (!m_config.remove && m_config.constant && !m_config.pattern &&
            (m_config.scope == PropertyScope::Default || m_config.scope == PropertyScope::Axis2))
            declareForwardStep({.kind = ForwardStep::Kind::SetsConstants});
    }
    QString elementName() const override { return QStringLiteral("property"); }

    MediationResult mediate(MessageContext &message) const override
    {
        const Config &c = m_config;
        if (c.remove) {
            message.removeProperty(c.name, c.scope);
            return MediationResult::Continue;
        }
        // A constant is stored as it is (the common case): one copy of the value, not two.
        if (c.constant && !c.pattern &&
            (c.scope != PropertyScope::Transport || c.constant->isValid())) {
            message.setProperty(c.name, *c.constant, c.scope);
            return MediationResult::Continue;
        }
        QVariant value;
        if (c.constant) {
            value = *c.constant;
        } else {
            QString error;
            auto evaluated = evaluate(message, &error);
            if (!evaluated) {
                return failWith(message, ErrorCodes::kExpressionFailure,
                                QStringLiteral("property '%1': %2").arg(c.name, error));
            }
            value = *evaluated;
        }
        if (c.pattern && value.metaType().id() == QMetaType::QString)
            value = applyPattern(*c.pattern, c.group, value.toString());
        if (c.scope == PropertyScope::Transport && !value.isValid())
            value = QString(); // a header always has a value, as in Synapse
        // messageType / ContentType (axis2) only choose the format the message leaves with, as
        // in MI: the payload stays as it is for the mediators that follow (message_formatter.h).
        message.setProperty(c.name, value, c.scope);
        return MediationResult::Continue;
    }

private:
    std::optional<QVariant> evaluate(MessageContext &message, QString *error) const
    {
        const Config &c = m_config;
        const Expression &expression = *c.expression;
        // A JSON result stays JSON instead of going through text and back.
        if (c.type == ValueType::Json && expression.language() == Expression::Language::JsonPath) {
            auto json = expression.evaluateJson(message, error);
            if (!json)
                return std::nullopt;
            return QVariant(*json);
        }
        // Synapse keeps the selected element itself for OM, not its text.
        if (c.type == ValueType::Om && expression.language() == Expression::Language::XPath) {
            auto nodes = expression.evaluateNodes(message, error);
            if (nodes && !nodes->empty() && (*nodes)[0]->type == XML_ELEMENT_NODE)
                return QVariant(QString::fromUtf8(serializeXmlNode((*nodes)[0])));
            error->clear();
        }
        auto text = synapseStringValue(expression, message, error);
        if (!text)
            return std::nullopt;
        QString reason;
        auto converted = convertText(*text, c.type, &reason);
        if (!converted) {
            *error = QStringLiteral("the result of '%1' cannot be used: %2")
                         .arg(expression.text(), reason);
        }
        return converted;
    }

    Config m_config;
};

const QStringList &scopeNames()
{
    static const QStringList names{QStringLiteral("default"), QStringLiteral("axis2"),
                                   QStringLiteral("transport"), QStringLiteral("axis2-client"),
                                   QStringLiteral("operation")};
    return names;
}

} // namespace

std::unique_ptr<Mediator> buildPropertyMediator(const XmlNode &element,
                                                const MediatorBuildContext &context)
{
    const int errors = context.diagnostics().errorCount();
    context.checkAttributes(element, {QStringLiteral("name"), QStringLiteral("value"),
                                      QStringLiteral("expression"), QStringLiteral("scope"),
                                      QStringLiteral("type"), QStringLiteral("action"),
                                      QStringLiteral("pattern"), QStringLiteral("group"),
                                      QStringLiteral("description")});
    PropertyMediator::Config config;
    config.name = context.requireAttribute(element, QStringLiteral("name"));
    const auto scope = enumAttribute(element, QStringLiteral("scope"), scopeNames(),
                                     QStringLiteral("default"), context);
    if (scope)
        config.scope = parsePropertyScope(*scope).value_or(PropertyScope::Default);
    const auto action = enumAttribute(element, QStringLiteral("action"),
                                      {QStringLiteral("set"), QStringLiteral("remove")},
                                      QStringLiteral("set"), context);
    config.remove = action && *action == QLatin1String("remove");
    const auto type = enumAttribute(element, QStringLiteral("type"), typeNames(),
                                    QStringLiteral("STRING"), context);
    if (type)
        config.type = typeFromName(*type);

    const QList<const XmlNode *> inlineElements = element.childElements();
    for (qsizetype i = 1; i < inlineElements.size(); ++i) {
        context.error(inlineElements[i]->location,
                      QStringLiteral("<property> can hold only one XML element as its value"));
    }
    const XmlNode *inlineValue = inlineElements.isEmpty() ? nullptr : inlineElements.first();
    const bool hasValue = element.hasAttribute(QStringLiteral("value"));
    const bool hasExpression = element.hasAttribute(QStringLiteral("expression"));
    // With an unknown action there is no telling whether a value is needed.
    if (action && !config.remove) {
        if (int(hasValue) + int(hasExpression) + int(inlineValue != nullptr) > 1) {
            context.error(element.location,
                          QStringLiteral("<property> has more than one of 'value', 'expression' "
                                         "and an inline XML value; give only one"));
        } else if (hasValue) {
            QString reason;
            config.constant =
                convertText(element.attribute(QStringLiteral("value")), config.type, &reason);
            if (!config.constant) {
                context.error(element.attributeLocation(QStringLiteral("value")),
                              QStringLiteral("property '%1': value %2").arg(config.name, reason));
            }
        } else if (hasExpression) {
            config.expression = compileExpression(element, QStringLiteral("expression"), context);
        } else if (inlineValue) {
            config.constant = QVariant(serializeInlineXml(*inlineValue));
        } else {
            context.error(element.location, QStringLiteral("<property> needs the attribute "
                                                           "'value' or 'expression' (or "
                                                           "action=\"remove\")"));
        }
    }
    if (element.hasAttribute(QStringLiteral("pattern"))) {
        config.pattern = compileRegex(element, QStringLiteral("pattern"), true, context);
        bool ok = true;
        const QString group = element.attribute(QStringLiteral("group"), QStringLiteral("0"));
        config.group = group.toInt(&ok);
        if (!ok || config.group < 0) {
            context.error(element.attributeLocation(QStringLiteral("group")),
                          QStringLiteral("invalid value '%1' for 'group' on <property>; allowed: "
                                         "a group number, 0 or more")
                              .arg(group));
        }
    }
    if (hasErrorsSince(context, errors))
        return nullptr;
    return std::make_unique<PropertyMediator>(element.location, std::move(config));
}

} // namespace sluice
