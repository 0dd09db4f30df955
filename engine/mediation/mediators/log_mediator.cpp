// SPDX-License-Identifier: Apache-2.0
#include "build_support.h"
#include "mediation/executor.h"
#include "mediation/mediation_environment.h"
#include "mediation/message_context.h"
#include "mediator_factories.h"
#include "run_support.h"
#include "runtime/logger.h"
#include "value_source.h"

#include <algorithm>

namespace sluice {

namespace {

enum class LogDetail { Simple, Headers, Full, Custom };

const QString kLogCategory = QStringLiteral("LogMediator");

struct LogProperty {
    QString name;
    ValueSource value;
};

// <log>: one line per message in Synapse's format, at the level its category names.
class LogMediator : public Mediator {
public:
    struct Config {
        LogDetail detail = LogDetail::Simple;
        QString category = QStringLiteral("INFO");
        LogLevel level = LogLevel::Info;
        QString separator = QStringLiteral(", ");
        std::vector<LogProperty> properties;
    };

    LogMediator(SourceLocation location, Config config)
        : Mediator(std::move(location))
        , m_config(std::move(config))
    {
    }
    QString elementName() const override { return QStringLiteral("log"); }

    MediationResult mediate(MessageContext &message) const override
    {
        MediationObserver *observer = message.environment().observer();
        if (observer && !observer->wantsLogLines())
            observer = nullptr;
        // Building the line costs: skip it when neither the log nor an observer wants it.
        if (!observer && !Logger::instance().isEnabled(m_config.level))
            return MediationResult::Continue;
        QString error;
        const std::optional<QString> line = buildLine(message, &error);
        if (!line)
            return failWith(message, ErrorCodes::kExpressionFailure, error);
        Logger::instance().log(m_config.level, kLogCategory, *line);
        if (observer)
            observer->logged(message, m_config.category, *line);
        return MediationResult::Continue;
    }

private:
    std::optional<QString> buildLine(MessageContext &message, QString *error) const
    {
        const QString &sep = m_config.separator;
        QStringList parts;
        if (m_config.detail != LogDetail::Custom) {
            parts.append(QStringLiteral("To: ") + message.toAddress());
            parts.append(QStringLiteral("MessageID: urn:uuid:") +
                         QString::number(message.messageId()));
            parts.append(QStringLiteral("Direction: ") + (message.direction() == Direction::Outflow
                                                              ? QStringLiteral("response")
                                                              : QStringLiteral("request")));
        }
        if (m_config.detail == LogDetail::Headers) {
            const QVariantHash &headers = message.properties(PropertyScope::Transport);
            QStringList names = headers.keys();
            std::sort(names.begin(), names.end());
            for (const QString &name : names) {
                parts.append(name + QStringLiteral(" = ") +
                             MessageContext::propertyText(headers.value(name)));
            }
        }
        for (const LogProperty &property : m_config.properties) {
            QString reason;
            const auto value = property.value.evaluate(message, &reason);
            if (!value) {
                *error = QStringLiteral("log: cannot evaluate the property '%1': %2")
                             .arg(property.name, reason);
                return std::nullopt;
            }
            parts.append(property.name + QStringLiteral(" = ") + *value);
        }
        if (m_config.detail == LogDetail::Full) {
            if (message.frameKind() == FrameKind::Binary) {
                parts.append(
                    QStringLiteral("Payload: <binary %1 bytes>").arg(message.payload().size()));
            } else {
                parts.append(QStringLiteral("Payload: ") + message.payloadText());
            }
        }
        return parts.join(sep);
    }

    Config m_config;
};

LogLevel levelOfCategory(const QString &category)
{
    if (category == QLatin1String("TRACE"))
        return LogLevel::Trace;
    if (category == QLatin1String("DEBUG"))
        return LogLevel::Debug;
    if (category == QLatin1String("WARN"))
        return LogLevel::Warn;
    if (category == QLatin1String("ERROR") || category == QLatin1String("FATAL"))
        return LogLevel::Error;
    return LogLevel::Info;
}

} // namespace

std::unique_ptr<Mediator> buildLogMediator(const XmlNode &element,
                                           const MediatorBuildContext &context)
{
    const int errors = context.diagnostics().errorCount();
    context.checkAttributes(element, {QStringLiteral("level"), QStringLiteral("category"),
                                      QStringLiteral("separator"), QStringLiteral("description")});
    checkChildElements(element, context, {QStringLiteral("property")});
    LogMediator::Config config;
    static const QStringList levels{QStringLiteral("simple"), QStringLiteral("headers"),
                                    QStringLiteral("full"), QStringLiteral("custom")};
    if (const auto level = enumAttribute(element, QStringLiteral("level"), levels,
                                         QStringLiteral("simple"), context)) {
        config.detail = static_cast<LogDetail>(levels.indexOf(*level));
    }
    static const QStringList categories{QStringLiteral("INFO"),  QStringLiteral("DEBUG"),
                                        QStringLiteral("WARN"),  QStringLiteral("ERROR"),
                                        QStringLiteral("TRACE"), QStringLiteral("FATAL")};
    if (const auto category = enumAttribute(element, QStringLiteral("category"), categories,
                                            QStringLiteral("INFO"), context)) {
        config.category = *category;
        config.level = levelOfCategory(*category);
    }
    if (element.hasAttribute(QStringLiteral("separator"))) {
        // Synapse reads "\n" and "\t" written in the attribute as the characters.
        config.separator = element.attribute(QStringLiteral("separator"))
                               .replace(QLatin1String("\\n"), QLatin1String("\n"))
                               .replace(QLatin1String("\\t"), QLatin1String("\t"));
    }
    for (const XmlNode *child : element.childElements(QStringLiteral("property"))) {
        context.checkAttributes(*child, {QStringLiteral("name"), QStringLiteral("value"),
                                         QStringLiteral("expression")});
        checkChildElements(*child, context, {});
        const QString name = context.requireAttribute(*child, QStringLiteral("name"));
        if (auto value = ValueSource::read(*child, context))
            config.properties.push_back({name, std::move(*value)});
    }
    if (hasErrorsSince(context, errors))
        return nullptr;
    return std::make_unique<LogMediator>(element.location, std::move(config));
}

} // namespace sluice
