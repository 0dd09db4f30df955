// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QString>
#include <QStringView>
#include <optional>
#include <vector>

namespace sluice {

// What an XPath 1.0 expression refers to, found from its tokens (XPath 1.0 section 3.7 rules for
// telling name tests, function names, axis names and operator names apart). libxml2 resolves
// prefixes, functions and variables only while evaluating, so this is how Sluice checks them when
// the expression is compiled, and how it knows whether evaluating needs the payload at all.
struct XPathScan {
    struct Name {
        QString prefix; // empty when not prefixed
        QString local;  // "*" for prefix:*
        qsizetype position = 0;
    };

    // True when the result may depend on the document: a location path (/, //, ., .., @, a name
    // test, a node type test, an axis), $body, or a function that reads the context node.
    // Conservative: false only when the expression certainly never looks at the payload.
    bool needsDocument = false;
    std::vector<Name> functions; // function calls
    std::vector<Name> variables; // $references
    std::vector<Name> nameTests; // element/attribute name tests that have a prefix
};

// Returns nullopt and sets *error on a lexical error (libxml2 reports syntax errors first; this
// is a second line).
std::optional<XPathScan> scanXPath(QStringView text, QString *error);

} // namespace sluice
