// SPDX-License-Identifier: Apache-2.0
#include "build_support.h"
#include "mediation/executor.h"
#include "mediation/mediation_environment.h"
#include "mediation/message_context.h"
#include "mediator_factories.h"
#include "run_support.h"
#include "synapse_text.h"

namespace sluice {

namespace {

// <sequence key="name"/>: runs a named sequence, then goes on. The key may be dynamic,
// key="{xpath}", evaluated per message as Synapse does.
class SequenceReferenceMediator : public Mediator {
public:
    SequenceReferenceMediator(SourceLocation location, QString key,
                              std::unique_ptr<Expression> dynamicKey)
        : Mediator(std::move(location))
        , m_key(std::move(key))
        , m_dynamicKey(std::move(dynamicKey))
    {
    }
    QString elementName() const override { return QStringLiteral("sequence"); }

    MediationResult mediate(MessageContext &message) const override
    {
        QString name = m_key;
        if (m_dynamicKey) {
            QString error;
            const auto value = synapseStringValue(*m_dynamicKey, message, &error);
            if (!value) {
                return failWith(
                    message, ErrorCodes::kExpressionFailure,
                    QStringLiteral("sequence: cannot evaluate the key '%1': %2").arg(m_key, error));
            }
            name = value->trimmed();
        }
        const auto sequence = message.environment().sequence(name);
        if (!sequence) {
            const QString from =
                m_dynamicKey ? QStringLiteral(" (from the key '%1')").arg(m_key) : QString();
            return failWith(
                message, ErrorCodes::kMediationFailure,
                QStringLiteral("sequence: the sequence '%1'%2 does not exist").arg(name, from));
        }
        message.execution().pushSequence(sequence);
        return MediationResult::Continue;
    }

private:
    QString m_key;
    std::unique_ptr<Expression> m_dynamicKey;
};

// <sequence> with child mediators and no key: an anonymous sequence that runs in place.
class InlineSequenceMediator : public Mediator {
public:
    InlineSequenceMediator(SourceLocation location, MediatorList mediators, QString onError)
        : Mediator(std::move(location))
        , m_mediators(std::move(mediators))
        , m_onError(std::move(onError))
    {
    }
    QString elementName() const override { return QStringLiteral("sequence"); }

    MediationResult mediate(MessageContext &message) const override
    {
        if (!m_mediators.empty())
            pushBranch(message, m_mediators, m_onError);
        return MediationResult::Continue;
    }

private:
    MediatorList m_mediators;
    QString m_onError;
};

} // namespace

std::unique_ptr<Mediator> buildSequenceMediator(const XmlNode &element,
                                                const MediatorBuildContext &context)
{
    const int errors = context.diagnostics().errorCount();
    if (element.hasAttribute(QStringLiteral("key"))) {
        context.checkAttributes(element, {QStringLiteral("key"), QStringLiteral("description")});
        const QString key = element.attribute(QStringLiteral("key")).trimmed();
        if (element.hasElementChildren()) {
            context.error(element.firstChildElement()->location,
                          QStringLiteral("<sequence key=\"%1\"> refers to another sequence and "
                                         "cannot have mediators of its own")
                              .arg(key));
        }
        std::unique_ptr<Expression> dynamicKey;
        if (key.isEmpty()) {
            context.error(element.attributeLocation(QStringLiteral("key")),
                          QStringLiteral("<sequence> has an empty 'key'"));
        } else if (key.startsWith(QLatin1Char('{')) && key.endsWith(QLatin1Char('}'))) {
            dynamicKey = compileExpressionText(key.mid(1, key.size() - 2), element,
                                               QStringLiteral("key"), context);
        } else if (!element.hasElementChildren()) {
            context.referenceSequence(key, element.location);
        }
        if (hasErrorsSince(context, errors))
            return nullptr;
        return std::make_unique<SequenceReferenceMediator>(element.location, key,
                                                           std::move(dynamicKey));
    }
    context.checkAttributes(element, {QStringLiteral("name"), QStringLiteral("onError"),
                                      QStringLiteral("trace"), QStringLiteral("statistics"),
                                      QStringLiteral("description")});
    const QString onError = element.attribute(QStringLiteral("onError"));
    if (!onError.isEmpty())
        context.referenceSequence(onError, element.location);
    std::vector<XmlNode> children;
    for (const XmlNode &child : element.children) {
        // A <description> child documents the sequence; it is not a mediator.
        if (child.isElement() && child.name == QLatin1String("description") &&
            child.namespaceUri == kSynapseNamespace)
            continue;
        children.push_back(child);
    }
    MediatorList mediators = context.buildList(children);
    if (hasErrorsSince(context, errors))
        return nullptr;
    return std::make_unique<InlineSequenceMediator>(element.location, std::move(mediators),
                                                    onError);
}

} // namespace sluice
