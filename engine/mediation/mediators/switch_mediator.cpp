// SPDX-License-Identifier: Apache-2.0
#include "build_support.h"
#include "mediation/executor.h"
#include "mediation/message_context.h"
#include "mediator_factories.h"
#include "run_support.h"
#include "synapse_text.h"

namespace sluice {

namespace {

struct SwitchCase {
    QRegularExpression regex;
    MediatorList mediators;
};

// <switch source="...">: the first <case regex> that matches the whole source value runs;
// <default> when none does.
class SwitchMediator : public Mediator {
public:
    SwitchMediator(SourceLocation location, std::unique_ptr<Expression> source,
                   std::vector<SwitchCase> cases, std::optional<MediatorList> defaultCase)
        : Mediator(std::move(location))
        , m_source(std::move(source))
        , m_cases(std::move(cases))
        , m_default(std::move(defaultCase))
    {
    }
    QString elementName() const override { return QStringLiteral("switch"); }

    MediationResult mediate(MessageContext &message) const override
    {
        QString error;
        const auto value = synapseStringValue(*m_source, message, &error);
        if (!value) {
            return failWith(
                message, ErrorCodes::kExpressionFailure,
                QStringLiteral("switch: cannot evaluate '%1': %2").arg(m_source->text(), error));
        }
        for (const SwitchCase &c : m_cases) {
            if (c.regex.match(*value).hasMatch()) {
                if (!c.mediators.empty())
                    pushBranch(message, c.mediators);
                return MediationResult::Continue;
            }
        }
        if (m_default && !m_default->empty())
            pushBranch(message, *m_default);
        return MediationResult::Continue;
    }

private:
    std::unique_ptr<Expression> m_source;
    std::vector<SwitchCase> m_cases;
    std::optional<MediatorList> m_default;
};

} // namespace

std::unique_ptr<Mediator> buildSwitchMediator(const XmlNode &element,
                                              const MediatorBuildContext &context)
{
    const int errors = context.diagnostics().errorCount();
    context.checkAttributes(element, {QStringLiteral("source"), QStringLiteral("description")});
    checkChildElements(element, context, {QStringLiteral("case"), QStringLiteral("default")});
    std::unique_ptr<Expression> source =
        requireExpression(element, QStringLiteral("source"), context);

    std::vector<SwitchCase> cases;
    for (const XmlNode *caseElement : element.childElements(QStringLiteral("case"))) {
        context.checkAttributes(*caseElement,
                                {QStringLiteral("regex"), QStringLiteral("description")});
        context.requireAttribute(*caseElement, QStringLiteral("regex"));
        std::optional<QRegularExpression> regex;
        if (caseElement->hasAttribute(QStringLiteral("regex")))
            regex = compileRegex(*caseElement, QStringLiteral("regex"), true, context);
        MediatorList mediators = context.buildChildren(*caseElement);
        if (regex)
            cases.push_back({*regex, std::move(mediators)});
    }
    std::optional<MediatorList> defaultCase;
    if (const XmlNode *defaultElement = singleChild(element, QStringLiteral("default"), context)) {
        context.checkAttributes(*defaultElement, {QStringLiteral("description")});
        defaultCase = context.buildChildren(*defaultElement);
    }
    if (hasErrorsSince(context, errors))
        return nullptr;
    return std::make_unique<SwitchMediator>(element.location, std::move(source), std::move(cases),
                                            std::move(defaultCase));
}

} // namespace sluice
