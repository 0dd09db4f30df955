// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "mediation/expressions/expression.h"

#include <QJsonValue>
#include <QString>
#include <QStringView>
#include <optional>

namespace sluice {

class MessageContext;

// Text conversions that must match Synapse's for templates to produce the same bytes.

// An expression's value as Synapse's stringValueOf() gives it, which every mediator that reads
// an expression as text uses: in an XPath node-set an element contributes its own text, or its
// markup when that text is blank (so "$body/*" yields XML, as users of MI rely on).
std::optional<QString> synapseStringValue(const Expression &expression, MessageContext &message,
                                          QString *error);

// Escapes text for the inside of a JSON string literal (no quotes added).
QString escapeJsonText(const QString &text);

// Whether a JSON text is inside a string literal after `segment`, given the state before it.
bool jsonStringStateAfter(QStringView segment, bool inString);

// A JSON number, boolean or null as JSON text ("5", "2.5", "true", "null").
QString jsonScalarText(const QJsonValue &value);

} // namespace sluice
