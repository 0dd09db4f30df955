// SPDX-License-Identifier: Apache-2.0
#include "build_support.h"
#include "mediation/executor.h"
#include "mediation/message_context.h"
#include "mediator_factories.h"
#include "run_support.h"
#include "synapse_text.h"

namespace sluice {

namespace {

// <filter>: runs <then> (or its plain children) when the condition holds, <else> otherwise.
// The condition is source + regex (the whole string must match, as Java's matches()) or an
// xpath read as a boolean.
class FilterMediator : public Mediator {
public:
    struct Config {
        std::unique_ptr<Expression> source;
        std::optional<QRegularExpression> regex;
        std::unique_ptr<Expression> xpath;
        MediatorList thenBranch;
        MediatorList elseBranch;
    };

    FilterMediator(SourceLocation location, Config config)
        : Mediator(std::move(location))
        , m_config(std::move(config))
    {
    }
    QString elementName() const override { return QStringLiteral("filter"); }

    MediationResult mediate(MessageContext &message) const override
    {
        QString error;
        std::optional<bool> holds;
        if (m_config.xpath) {
            holds = m_config.xpath->evaluateBoolean(message, &error);
        } else if (const auto text = synapseStringValue(*m_config.source, message, &error)) {
            holds = m_config.regex->match(*text).hasMatch();
        }
        if (!holds) {
            const Expression &failed = m_config.xpath ? *m_config.xpath : *m_config.source;
            return failWith(
                message, ErrorCodes::kExpressionFailure,
                QStringLiteral("filter: cannot evaluate '%1': %2").arg(failed.text(), error));
        }
        const MediatorList &branch = *holds ? m_config.thenBranch : m_config.elseBranch;
        if (!branch.empty())
            pushBranch(message, branch);
        return MediationResult::Continue;
    }

private:
    Config m_config;
};

} // namespace

std::unique_ptr<Mediator> buildFilterMediator(const XmlNode &element,
                                              const MediatorBuildContext &context)
{
    const int errors = context.diagnostics().errorCount();
    context.checkAttributes(element, {QStringLiteral("source"), QStringLiteral("regex"),
                                      QStringLiteral("xpath"), QStringLiteral("description")});
    FilterMediator::Config config;
    const bool hasXpath = element.hasAttribute(QStringLiteral("xpath"));
    const bool hasSource = element.hasAttribute(QStringLiteral("source"));
    const bool hasRegex = element.hasAttribute(QStringLiteral("regex"));
    if (hasXpath && (hasSource || hasRegex)) {
        context.error(element.location, QStringLiteral("<filter> has both 'xpath' and "
                                                       "'source'/'regex'; use one condition"));
    } else if (hasXpath) {
        config.xpath = compileExpression(element, QStringLiteral("xpath"), context);
    } else if (hasSource || hasRegex) {
        if (!hasSource || !hasRegex) {
            context.error(element.location,
                          QStringLiteral("<filter> needs the attribute '%1' with '%2'")
                              .arg(hasSource ? QStringLiteral("regex") : QStringLiteral("source"),
                                   hasSource ? QStringLiteral("source") : QStringLiteral("regex")));
        } else {
            config.source = compileExpression(element, QStringLiteral("source"), context);
            config.regex = compileRegex(element, QStringLiteral("regex"), true, context);
        }
    } else {
        context.error(element.location, QStringLiteral("<filter> needs either 'xpath' or "
                                                       "'source' and 'regex'"));
    }

    const XmlNode *thenElement = singleChild(element, QStringLiteral("then"), context);
    const XmlNode *elseElement = singleChild(element, QStringLiteral("else"), context);
    if (thenElement || elseElement) {
        // With <then>/<else>, mediators directly inside <filter> would be silently ignored.
        checkChildElements(element, context, {QStringLiteral("then"), QStringLiteral("else")});
        for (const XmlNode *branch : {thenElement, elseElement}) {
            if (branch)
                context.checkAttributes(*branch, {QStringLiteral("description")});
        }
        if (thenElement)
            config.thenBranch = context.buildChildren(*thenElement);
        if (elseElement)
            config.elseBranch = context.buildChildren(*elseElement);
    } else {
        config.thenBranch = context.buildChildren(element);
    }
    if (hasErrorsSince(context, errors))
        return nullptr;
    return std::make_unique<FilterMediator>(element.location, std::move(config));
}

} // namespace sluice
