// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QJsonValue>
#include <QString>
#include <QStringView>
#include <memory>
#include <optional>
#include <vector>

namespace sluice {

namespace jsonpath {
struct Path;
}

// A compiled JSONPath (the dialect of Jayway JsonPath that Synapse's json-eval() uses):
//   $                    the root
//   .name  ['name']      a member ("name" in double quotes too)
//   [0]  [-1]            an array item (negative: from the end)
//   .*  [*]              every member value / every array item
//   ..name  ..*  ..[0]   recursive descent (the node itself and all its descendants)
//   [0,2]  ['a','b']     unions
//   [1:3]  [::2]  [-2:]  slices (start:end:step as in Python)
//   [?(<filter>)]        filters: on an array, the items that match; on an object, the object
//                        itself if it matches. <filter> is built of @-relative and $-absolute
//                        paths, numbers, 'strings', "strings", true, false, null, the operators
//                        == != < <= > >= and =~ /regex/i, and ! && || with parentheses; a path
//                        alone tests that it exists.
//   .length() .size() .min() .max() .avg() .sum()   a function at the end of the path
// Immutable once parsed: one JsonPath may be evaluated from several threads at once.
class JsonPath {
public:
    // Parses `text`; on a syntax error returns nullopt, sets *error to a message and
    // *errorPosition to the 0-based index in `text` where the error was found.
    static std::optional<JsonPath> parse(QStringView text, QString *error,
                                         qsizetype *errorPosition = nullptr);

    // The values selected from `root`, in document order (object members in the key order
    // QJsonObject keeps, which is sorted).
    std::vector<QJsonValue> evaluate(const QJsonValue &root) const;

    const QString &text() const { return m_text; }

private:
    JsonPath() = default;

    QString m_text;
    std::shared_ptr<const jsonpath::Path> m_path;
};

} // namespace sluice
