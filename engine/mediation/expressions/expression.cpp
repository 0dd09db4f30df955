// SPDX-License-Identifier: Apache-2.0
#include "expression.h"

#include "json_path_expression.h"
#include "xpath_expression.h"

namespace sluice {

std::unique_ptr<Expression>
Expression::compile(const QString &text, const QHash<QString, QString> &namespaces, QString *error)
{
    if (isJsonPathExpressionText(text))
        return compileJsonPathExpression(text, error);
    return compileXPathExpression(text, namespaces, error);
}

} // namespace sluice
