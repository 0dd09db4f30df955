// SPDX-License-Identifier: Apache-2.0
#include "build_support.h"
#include "mediation/executor.h"
#include "mediation/message_context.h"
#include "mediator_factories.h"
#include "run_support.h"
#include "synapse_text.h"
#include "value_source.h"
#include "xml_support.h"

namespace sluice {

namespace {

enum class FaultVersion { Soap11, Soap12, Pox };

// A fault code as written: "prefix:Name" with the prefix's namespace where it was written.
struct FaultCode {
    QString prefix;
    QString localName;
    QString namespaceUri;
};

// <makefault>: replaces the payload with a SOAP 1.1 / 1.2 Fault envelope (or a POX
// <Exception>), optionally marking the message as a response.
class MakefaultMediator : public Mediator {
public:
    struct Config {
        FaultVersion version = FaultVersion::Soap11;
        bool response = false;
        std::optional<FaultCode> code;
        std::unique_ptr<Expression> codeExpression;
        std::optional<ValueSource> reason;
        QString node;
        QString role;
        std::optional<ValueSource> detail; // text or expression
        QString detailXml;                 // inline XML detail, serialized
    };

    MakefaultMediator(SourceLocation location, Config config)
        : Mediator(std::move(location))
        , m_config(std::move(config))
    {
    }
    QString elementName() const override { return QStringLiteral("makefault"); }

    MediationResult mediate(MessageContext &message) const override
    {
        const Config &c = m_config;
        QString error;
        QString reason;
        if (c.reason) {
            const auto value = c.reason->evaluate(message, &error);
            if (!value)
                return fail(message, QStringLiteral("reason"), error);
            reason = *value;
        }
        QString detail = c.detailXml;
        if (c.detail) {
            const auto value = c.detail->evaluate(message, &error);
            if (!value)
                return fail(message, QStringLiteral("detail"), error);
            detail = escapeXml(*value);
        }
        QString code;
        if (c.codeExpression) {
            const auto value = synapseStringValue(*c.codeExpression, message, &error);
            if (!value)
                return fail(message, QStringLiteral("code"), error);
            code = escapeXml(value->trimmed());
        }

        QString payload;
        QString contentType;
        switch (c.version) {
        case FaultVersion::Pox:
            // Synapse puts the detail in the POX fault when there is one, else the reason.
            payload = QStringLiteral("<Exception>%1</Exception>")
                          .arg(c.detail || !c.detailXml.isEmpty() ? detail : escapeXml(reason));
            contentType = QStringLiteral("application/xml");
            break;
        case FaultVersion::Soap11:
            payload = soap11(
                codeMarkup(code, QLatin1String(kSoap11Namespace), QStringLiteral("faultcode")),
                reason, detail);
            contentType = QStringLiteral("text/xml");
            break;
        case FaultVersion::Soap12:
            payload = soap12(
                codeMarkup(code, QLatin1String(kSoap12Namespace), QStringLiteral("soapenv:Value")),
                reason, detail);
            contentType = QStringLiteral("application/soap+xml");
            break;
        }
        // A fault is text even when it answers a binary frame.
        message.setPayload(payload.toUtf8(), contentType, FrameKind::Text);
        if (c.response)
            message.setDirection(Direction::Outflow);
        return MediationResult::Continue;
    }

private:
    static MediationResult fail(MessageContext &message, const QString &part, const QString &error)
    {
        return failWith(message, ErrorCodes::kExpressionFailure,
                        QStringLiteral("makefault: cannot evaluate the %1: %2").arg(part, error));
    }

    // The element that carries the code, declaring the code's prefix when it is not the
    // envelope's own.
    QString codeMarkup(const QString &evaluated, const QString &envelopeNamespace,
                       const QString &element) const
    {
        QString text = evaluated;
        QString declaration;
        if (m_config.code) {
            const FaultCode &code = *m_config.code;
            if (code.namespaceUri == envelopeNamespace) {
                text = QStringLiteral("soapenv:") + code.localName;
            } else if (!code.prefix.isEmpty()) {
                text = code.prefix + QLatin1Char(':') + code.localName;
                declaration = QStringLiteral(" xmlns:%1=\"%2\"")
                                  .arg(code.prefix, escapeXml(code.namespaceUri));
            } else {
                text = code.localName;
            }
        }
        return QStringLiteral("<%1%2>%3</%1>").arg(element, declaration, text);
    }

    QString soap11(const QString &code, const QString &reason, const QString &detail) const
    {
        QString fault =
            code + QStringLiteral("<faultstring>%1</faultstring>").arg(escapeXml(reason));
        if (!m_config.role.isEmpty())
            fault += QStringLiteral("<faultactor>%1</faultactor>").arg(escapeXml(m_config.role));
        if (!detail.isEmpty())
            fault += QStringLiteral("<detail>%1</detail>").arg(detail);
        return QStringLiteral("<soapenv:Envelope xmlns:soapenv=\"%1\"><soapenv:Body>"
                              "<soapenv:Fault>%2</soapenv:Fault></soapenv:Body>"
                              "</soapenv:Envelope>")
            .arg(QLatin1String(kSoap11Namespace), fault);
    }

    QString soap12(const QString &code, const QString &reason, const QString &detail) const
    {
        QString fault = QStringLiteral("<soapenv:Code>%1</soapenv:Code>").arg(code) +
                        QStringLiteral("<soapenv:Reason><soapenv:Text xml:lang=\"en\">%1"
                                       "</soapenv:Text></soapenv:Reason>")
                            .arg(escapeXml(reason));
        if (!m_config.node.isEmpty())
            fault +=
                QStringLiteral("<soapenv:Node>%1</soapenv:Node>").arg(escapeXml(m_config.node));
        if (!m_config.role.isEmpty())
            fault +=
                QStringLiteral("<soapenv:Role>%1</soapenv:Role>").arg(escapeXml(m_config.role));
        if (!detail.isEmpty())
            fault += QStringLiteral("<soapenv:Detail>%1</soapenv:Detail>").arg(detail);
        return QStringLiteral("<soapenv:Envelope xmlns:soapenv=\"%1\"><soapenv:Body>"
                              "<soapenv:Fault>%2</soapenv:Fault></soapenv:Body>"
                              "</soapenv:Envelope>")
            .arg(QLatin1String(kSoap12Namespace), fault);
    }

    Config m_config;
};

void readCode(const XmlNode &element, MakefaultMediator::Config &config,
              const MediatorBuildContext &context)
{
    context.checkAttributes(element, {QStringLiteral("value"), QStringLiteral("expression")});
    checkChildElements(element, context, {});
    const bool hasValue = element.hasAttribute(QStringLiteral("value"));
    const bool hasExpression = element.hasAttribute(QStringLiteral("expression"));
    if (hasValue == hasExpression) {
        context.error(element.location, QStringLiteral("<code> needs exactly one of 'value' and "
                                                       "'expression'"));
        return;
    }
    if (hasExpression) {
        config.codeExpression = compileExpression(element, QStringLiteral("expression"), context);
        return;
    }
    const QString qname = element.attribute(QStringLiteral("value")).trimmed();
    const qsizetype colon = qname.indexOf(QLatin1Char(':'));
    FaultCode code;
    code.localName = colon < 0 ? qname : qname.mid(colon + 1);
    if (colon >= 0) {
        code.prefix = qname.left(colon);
        code.namespaceUri = element.namespacesInScope.value(code.prefix);
        if (code.namespaceUri.isEmpty()) {
            context.error(element.attributeLocation(QStringLiteral("value")),
                          QStringLiteral("fault code '%1' uses the undeclared namespace prefix "
                                         "'%2'")
                              .arg(qname, code.prefix));
        }
    }
    if (code.localName.isEmpty()) {
        context.error(element.attributeLocation(QStringLiteral("value")),
                      QStringLiteral("<code> has an empty 'value'"));
    }
    config.code = code;
}

QString textOf(const XmlNode &element, const MediatorBuildContext &context)
{
    context.checkAttributes(element, {});
    checkChildElements(element, context, {}, true);
    return element.textContent().trimmed();
}

} // namespace

std::unique_ptr<Mediator> buildMakefaultMediator(const XmlNode &element,
                                                 const MediatorBuildContext &context)
{
    const int errors = context.diagnostics().errorCount();
    context.checkAttributes(element, {QStringLiteral("version"), QStringLiteral("response"),
                                      QStringLiteral("description")});
    checkChildElements(element, context,
                       {QStringLiteral("code"), QStringLiteral("reason"), QStringLiteral("node"),
                        QStringLiteral("role"), QStringLiteral("detail")});
    MakefaultMediator::Config config;
    static const QStringList versions{QStringLiteral("soap11"), QStringLiteral("soap12"),
                                      QStringLiteral("pox")};
    if (const auto version = enumAttribute(element, QStringLiteral("version"), versions,
                                           QStringLiteral("soap11"), context)) {
        config.version = static_cast<FaultVersion>(versions.indexOf(*version));
    }
    config.response = boolAttribute(element, QStringLiteral("response"), false, context);
    const bool pox = config.version == FaultVersion::Pox;

    if (const XmlNode *code = singleChild(element, QStringLiteral("code"), context))
        readCode(*code, config, context);
    else if (!pox)
        context.error(element.location, QStringLiteral("<makefault> needs a <code> (unless "
                                                       "version=\"pox\")"));
    if (const XmlNode *reason = singleChild(element, QStringLiteral("reason"), context)) {
        context.checkAttributes(*reason, {QStringLiteral("value"), QStringLiteral("expression")});
        checkChildElements(*reason, context, {});
        config.reason = ValueSource::read(*reason, context);
    } else if (!pox) {
        context.error(element.location, QStringLiteral("<makefault> needs a <reason> (unless "
                                                       "version=\"pox\")"));
    }
    if (const XmlNode *node = singleChild(element, QStringLiteral("node"), context))
        config.node = textOf(*node, context);
    if (const XmlNode *role = singleChild(element, QStringLiteral("role"), context))
        config.role = textOf(*role, context);
    if (const XmlNode *detail = singleChild(element, QStringLiteral("detail"), context)) {
        context.checkAttributes(*detail, {QStringLiteral("expression")});
        if (detail->hasAttribute(QStringLiteral("expression"))) {
            checkChildElements(*detail, context, {});
            config.detail = ValueSource::read(*detail, context);
        } else if (detail->hasElementChildren()) {
            for (const XmlNode *child : detail->childElements())
                config.detailXml += serializeInlineXml(*child);
        } else {
            config.detail = ValueSource::literal(detail->textContent().trimmed());
        }
    }
    if (hasErrorsSince(context, errors))
        return nullptr;
    return std::make_unique<MakefaultMediator>(element.location, std::move(config));
}

} // namespace sluice
