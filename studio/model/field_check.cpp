// SPDX-License-Identifier: Apache-2.0
#include "field_check.h"

#include "artifacts/mediator_catalog.h"
#include "mediation/expressions/expression.h"
#include "mediation/mediator_registry.h"
#include "project_document.h"

namespace sluice::studio {

std::optional<QString> checkFieldValue(const ParameterSpec &spec, const QString &value,
                                       const QHash<QString, QString> &namespaces,
                                       const ProjectDocument *document)
{
    if (const auto problem = checkAttributeValue(spec, value))
        return problem;
    const QString text = value.trimmed();
    if (text.isEmpty())
        return std::nullopt;
    const bool dynamic = text.startsWith(QLatin1Char('{')) && text.endsWith(QLatin1Char('}'));
    switch (spec.kind) {
    case ParameterSpec::Kind::Expression: {
        QString error;
        if (!Expression::compile(text, namespaces, &error))
            return QStringLiteral("invalid expression: %1").arg(error);
        return std::nullopt;
    }
    case ParameterSpec::Kind::SequenceReference:
    case ParameterSpec::Kind::EndpointReference: {
        if (!document || !document->isOpen())
            return std::nullopt;
        const bool sequence = spec.kind == ParameterSpec::Kind::SequenceReference;
        if (dynamic) {
            QString error;
            if (!Expression::compile(text.mid(1, text.size() - 2), namespaces, &error))
                return QStringLiteral("invalid expression: %1").arg(error);
            return std::nullopt;
        }
        // The global "fault" sequence always exists (a built-in one when the project has none),
        // exactly as compileProject sees it.
        if (sequence && text == QLatin1String("fault"))
            return std::nullopt;
        const ArtifactKind kind = sequence ? ArtifactKind::Sequence : ArtifactKind::Endpoint;
        if (!document->artifactNames(kind).contains(text))
            return QStringLiteral("the project has no %1 named '%2'")
                .arg(sequence ? QStringLiteral("sequence") : QStringLiteral("endpoint"), text);
        return std::nullopt;
    }
    default:
        return std::nullopt;
    }
}

Diagnostics checkMediator(const XmlNode &mediator)
{
    Diagnostics diagnostics;
    MediatorBuildContext context(MediatorRegistry::builtIn(), diagnostics);
    context.build(mediator);
    return diagnostics;
}

} // namespace sluice::studio
