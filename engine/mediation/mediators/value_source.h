// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "mediation/expressions/expression.h"
#include "mediation/mediator_registry.h"

#include <QString>
#include <memory>
#include <optional>

namespace sluice {

class MessageContext;

// The value="..." | expression="..." pair that many Synapse elements share (<property> of log,
// <header>, <arg>, <reason> of makefault): a literal, or an expression evaluated per message.
class ValueSource {
public:
    // Reads the pair from `element`. Both present, or neither when `required`, is an error;
    // nullopt then (and when the expression does not compile or is absent but optional).
    static std::optional<ValueSource>
    read(const XmlNode &element, const MediatorBuildContext &context, bool required = true);
    static ValueSource literal(const QString &value);
    static ValueSource expression(std::shared_ptr<const Expression> expression);

    bool isExpression() const { return m_expression != nullptr; }
    const QString &value() const { return m_value; }
    const Expression *expression() const { return m_expression.get(); }

    // The literal, or the expression's string value; nullopt and *error when evaluation fails.
    std::optional<QString> evaluate(MessageContext &message, QString *error) const;

private:
    QString m_value;
    std::shared_ptr<const Expression> m_expression;
};

} // namespace sluice
