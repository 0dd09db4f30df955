// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "expression.h"

namespace sluice {

// Compiles `json-eval(<JSONPath>)` or a bare JSONPath starting with "$." or "$["; see
// Expression::compile and JsonPath.
std::unique_ptr<Expression> compileJsonPathExpression(const QString &text, QString *error);

// True when `text` is meant as a JSONPath: json-eval(...) or a path starting with $. or $[.
bool isJsonPathExpressionText(QStringView text);

} // namespace sluice
