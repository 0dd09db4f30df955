// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QHash>
#include <QJsonValue>
#include <QString>
#include <QVariant>
#include <memory>
#include <optional>
#include <vector>

using xmlNodePtr = struct _xmlNode *;

namespace sluice {

class MessageContext;

// A compiled Synapse expression: XPath 1.0 over the XML view of the payload (libxml2), with
// get-property(), $ctx: $axis2: $trp: $body and friends, or json-eval(<JSONPath>) over a JSON
// payload. Compiled once when the mediator is built (a syntax error is a validation error),
// evaluated per message; evaluation never throws and never blocks.
class Expression {
public:
    enum class Language { XPath, JsonPath };

    virtual ~Expression() = default;

    // `namespaces` are the prefixes in scope where the expression was written (prefix -> uri).
    // Returns nullptr and sets *error when the text does not compile.
    static std::unique_ptr<Expression>
    compile(const QString &text, const QHash<QString, QString> &namespaces, QString *error);

    virtual Language language() const = 0;
    virtual const QString &text() const = 0;

    // The result as a string (XPath string() semantics; JSON values as compact JSON text, strings
    // without quotes). nullopt and *error on a run-time failure (e.g. payload is not JSON).
    virtual std::optional<QString> evaluateString(MessageContext &message,
                                                  QString *error) const = 0;
    // XPath boolean() semantics; for JSONPath: a non-empty, non-false, non-null result.
    virtual std::optional<bool> evaluateBoolean(MessageContext &message, QString *error) const = 0;
    // Nodes of message.xmlDocument() selected by an XPath (empty for JSONPath).
    virtual std::optional<std::vector<xmlNodePtr>> evaluateNodes(MessageContext &message,
                                                                 QString *error) const = 0;
    // The result as a JSON value: JSONPath results as they are (several matches: an array),
    // XPath results as string / number / boolean.
    virtual std::optional<QJsonValue> evaluateJson(MessageContext &message,
                                                   QString *error) const = 0;
};

} // namespace sluice
