// SPDX-License-Identifier: Apache-2.0
#include "value_source.h"

#include "build_support.h"
#include "synapse_text.h"

namespace sluice {

std::optional<ValueSource> ValueSource::read(const XmlNode &element,
                                             const MediatorBuildContext &context, bool required)
{
    const bool hasValue = element.hasAttribute(QStringLiteral("value"));
    const bool hasExpression = element.hasAttribute(QStringLiteral("expression"));
    if (hasValue && hasExpression) {
        context.error(element.location,
                      QStringLiteral("%1 has both 'value' and 'expression'; give only one")
                          .arg(tagOf(element)));
        return std::nullopt;
    }
    if (hasValue)
        return literal(element.attribute(QStringLiteral("value")));
    if (hasExpression) {
        std::shared_ptr<const Expression> compiled =
            compileExpression(element, QStringLiteral("expression"), context);
        if (!compiled)
            return std::nullopt;
        return expression(std::move(compiled));
    }
    if (required) {
        context.error(element.location, QStringLiteral("%1 needs the attribute 'value' or "
                                                       "'expression'")
                                            .arg(tagOf(element)));
    }
    return std::nullopt;
}

ValueSource ValueSource::literal(const QString &value)
{
    ValueSource source;
    source.m_value = value;
    return source;
}

ValueSource ValueSource::expression(std::shared_ptr<const Expression> expression)
{
    ValueSource source;
    source.m_expression = std::move(expression);
    return source;
}

std::optional<QString> ValueSource::evaluate(MessageContext &message, QString *error) const
{
    if (!m_expression)
        return m_value;
    return synapseStringValue(*m_expression, message, error);
}

} // namespace sluice
