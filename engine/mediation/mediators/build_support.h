// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "mediation/expressions/expression.h"
#include "mediation/mediator_registry.h"

#include <QRegularExpression>
#include <QStringList>
#include <memory>
#include <optional>

namespace sluice {

// Checks shared by the mediator factories, so that every mediator reports the same problem with
// the same words at the same place.

// "<log>" for messages.
QString tagOf(const XmlNode &element);

// Reports each child element not named in `allowed` (or not in the Synapse namespace) as
// "unknown element <foo> in <log>", and non-blank text unless `textAllowed`.
void checkChildElements(const XmlNode &element, const MediatorBuildContext &context,
                        const QStringList &allowed, bool textAllowed = false);

// Reports a second <name> child ("<switch> has more than one <default>") and returns the first.
const XmlNode *singleChild(const XmlNode &element, const QString &name,
                           const MediatorBuildContext &context);

// An attribute with a fixed set of values (compared case-sensitively, as Synapse does). Absent:
// `fallback`. Not one of `allowed`: an error naming the value and the allowed ones, and nullopt.
std::optional<QString> enumAttribute(const XmlNode &element, const QString &name,
                                     const QStringList &allowed, const QString &fallback,
                                     const MediatorBuildContext &context);
// true|false, absent: `fallback`.
bool boolAttribute(const XmlNode &element, const QString &name, bool fallback,
                   const MediatorBuildContext &context);

// Compiles an expression written in `attribute`; a syntax error is reported at the attribute as
// "invalid expression in '<attribute>': <reason>" and gives nullptr.
std::unique_ptr<Expression> compileExpression(const XmlNode &element, const QString &attribute,
                                              const MediatorBuildContext &context);
// A required expression attribute: "needs the attribute" when missing, else compiled.
std::unique_ptr<Expression> requireExpression(const XmlNode &element, const QString &attribute,
                                              const MediatorBuildContext &context);
// The same for expression text that is not the whole attribute value (a dynamic key's "{...}").
std::unique_ptr<Expression> compileExpressionText(const QString &text, const XmlNode &element,
                                                  const QString &attribute,
                                                  const MediatorBuildContext &context);

// A regular expression in `attribute`, anchored at both ends when `wholeMatch` (Java's
// Matcher.matches(), which Synapse uses for filter, switch and property patterns).
std::optional<QRegularExpression> compileRegex(const XmlNode &element, const QString &attribute,
                                               bool wholeMatch,
                                               const MediatorBuildContext &context);

// XML written inside a mediator (a payloadFactory format, an enrich source, a property value) as
// text. Like Synapse, it keeps the namespaces in scope, so an unprefixed element is in the
// Synapse namespace unless it declares xmlns="" (which then needs no declaration of its own).
QString serializeInlineXml(const XmlNode &element);

// True when errors were reported after `errorCountBefore` was taken: a factory builds nothing
// then (a project with any error is never deployed), but it still reports every problem.
bool hasErrorsSince(const MediatorBuildContext &context, int errorCountBefore);

} // namespace sluice
