// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QJsonValue>
#include <QString>
#include <QStringView>
#include <optional>
#include <vector>

namespace sluice {

// One place in a JSON document named by a simple JSONPath ($.a.b, $.a[0], $['a b']), for the
// mediators that write JSON (enrich). Wildcards, filters and slices select many places and are
// refused: a write needs one.
struct JsonLocationStep {
    QString key;                    // a member name, when index is nullopt
    std::optional<qsizetype> index; // an array item; negative counts from the end
};
using JsonLocation = std::vector<JsonLocationStep>;

std::optional<JsonLocation> parseJsonLocation(QStringView path, QString *error);

// Replaces the value at `location` (the root when it is empty). The parent must exist; a
// missing last member is created, as JsonPath's set() does.
bool setJsonAt(QJsonValue &root, const JsonLocation &location, const QJsonValue &value,
               QString *error);
// Adds `value` as a child of the value at `location`: appended to an array, or its members
// merged into an object (then `value` must be an object).
bool addJsonChild(QJsonValue &root, const JsonLocation &location, const QJsonValue &value,
                  QString *error);

} // namespace sluice
