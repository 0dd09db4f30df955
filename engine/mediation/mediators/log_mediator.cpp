// SPDX-License-Identifier: Apache-2.0
#include "build_support.h"
#include "mediation/executor.h"
#include "mediation/mediation_environment.h"
#include "mediation/message_context.h"
#include "mediator_factories.h"
#include "run_support.h"
#include "runtime/credential_headers.h"
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

// The line's "To / MessageID / Direction" head and its payload part, shared by the line built
// at once and the one built later from a LogLineInput.
void appendHead(QString &line, const QString &separator, const QString &toAddress,
                quint64 messageId, Direction direction)
{
    line.append(QLatin1String("To: ")).append(toAddress);
    line.append(separator).append(QLatin1String("MessageID: urn:uuid:"));
    line.append(QString::number(messageId));
    line.append(separator).append(QLatin1String("Direction: "));
    line.append(direction == Direction::Outflow ? QLatin1String("response")
                                                : QLatin1String("request"));
}

void appendPayload(QString &line, FrameKind frameKind, const QByteArray &payload)
{
    if (frameKind == FrameKind::Binary) {
        line.append(QLatin1String("Payload: <binary "));
        line.append(QString::number(payload.size()));
        line.append(QLatin1String(" bytes>"));
    } else {
        line.append(QLatin1String("Payload: "));
        line.append(QString::fromUtf8(payload));
    }
}

// <log>: one line per message in Synapse's format, at the level its category names.
class LogMediator : public Mediator, public LogLineFormat {
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
        // Without properties (expressions that could fail) its line cannot fail: a step a
        // forwarding flow can take (forward_plan.h), as long as nobody reads the line.
        if (m_config.properties.empty())
            declareForwardStep({.kind = ForwardStep::Kind::Logs, .logLevel = int(m_config.level)});
    }
    QString elementName() const override { return QStringLiteral("log"); }

    MediationResult mediate(MessageContext &message) const override
    {
        MediationObserver *observer = message.environment().observer();
        if (observer && !observer->wantsLogLines())
            observer = nullptr;
        // Building the line costs: skip it when neither the log nor an observer wants it, and
        // let an observer build it later when only it does.
        const bool printed = Logger::instance().isEnabled(m_config.level);
        if (!observer && !printed)
            return MediationResult::Continue;
        if (!printed && m_config.properties.empty() && m_config.detail != LogDetail::Headers &&
            observer->defersLogLines()) {
            observer->loggedDeferred(message, m_config.category, *this, *this);
            return MediationResult::Continue;
        }
        QString error;
        const std::optional<QString> line = buildLine(message, &error);
        if (!line)
            return failWith(message, ErrorCodes::kExpressionFailure, error);
        Logger::instance().log(m_config.level, kLogCategory, *line);
        if (observer)
            observer->logged(message, m_config.category, *line);
        return MediationResult::Continue;
    }

    // LogLineFormat: the line of a log without properties (simple, full; custom is empty).
    QString formatLine(const LogLineInput &input) const override
    {
        QString line;
        if (m_config.detail != LogDetail::Custom) {
            appendHead(line, m_config.separator, input.toAddress, input.messageId, input.direction);
        }
        if (m_config.detail == LogDetail::Full) {
            if (!line.isEmpty())
                line.append(m_config.separator);
            appendPayload(line, input.frameKind, input.payload);
        }
        return line;
    }
    bool showsPayload() const override { return m_config.detail == LogDetail::Full; }
    const QString &logCategory() const override { return m_config.category; }

private:
    // One string grown in place: the line is built for every message a flow logs, and parts
    // joined through a list cost several times as much.
    std::optional<QString> buildLine(MessageContext &message, QString *error) const
    {
        const QString &sep = m_config.separator;
        QString line;
        line.reserve(160 + (m_config.detail == LogDetail::Full ? message.payload().size() : 0));
        const auto startPart = [&line, &sep] {
            if (!line.isEmpty())
                line.append(sep);
        };
        if (m_config.detail != LogDetail::Custom) {
            appendHead(line, sep, message.toAddress(), message.messageId(), message.direction());
        }
        if (m_config.detail == LogDetail::Headers) {
            const PropertyMap &headers = message.properties(PropertyScope::Transport);
            QStringList names = headers.keys();
            std::sort(names.begin(), names.end());
            for (const QString &name : names) {
                startPart();
                line.append(name).append(QLatin1String(" = "));
                line.append(
                    shownHeaderValue(name, MessageContext::propertyText(headers.value(name))));
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
            startPart();
            line.append(property.name).append(QLatin1String(" = ")).append(*value);
        }
        if (m_config.detail == LogDetail::Full) {
            startPart();
            appendPayload(line, message.frameKind(), message.payload());
        }
        return line;
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
