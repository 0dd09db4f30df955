// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "expression.h"

namespace sluice {

// Compiles an XPath 1.0 expression (libxml2) with Synapse's functions and variables; see
// Expression::compile. Checks syntax, namespace prefixes, function names and variable names.
std::unique_ptr<Expression> compileXPathExpression(const QString &text,
                                                   const QHash<QString, QString> &namespaces,
                                                   QString *error);

} // namespace sluice
