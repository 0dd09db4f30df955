// SPDX-License-Identifier: Apache-2.0
#include "json_location.h"

#include <QJsonArray>
#include <QJsonObject>
#include <functional>

namespace sluice {

namespace {

QString describe(const JsonLocation &location, size_t upTo)
{
    QString text = QStringLiteral("$");
    for (size_t i = 0; i < upTo && i < location.size(); ++i) {
        const JsonLocationStep &step = location[i];
        text += step.index ? QStringLiteral("[%1]").arg(*step.index) : QLatin1Char('.') + step.key;
    }
    return text;
}

using Operation = std::function<bool(QJsonValue &, QString *)>;

// Walks to the place and applies `operation` there, rebuilding the containers on the way back
// (Qt's JSON values are copy-on-write, not references into the document).
bool modify(QJsonValue &node, const JsonLocation &location, size_t depth, bool createLast,
            const Operation &operation, QString *error)
{
    if (depth == location.size())
        return operation(node, error);
    const JsonLocationStep &step = location[depth];
    if (step.index) {
        if (!node.isArray()) {
            *error = QStringLiteral("%1 is not an array").arg(describe(location, depth));
            return false;
        }
        QJsonArray array = node.toArray();
        const qsizetype index = *step.index < 0 ? array.size() + *step.index : *step.index;
        if (index < 0 || index >= array.size()) {
            *error = QStringLiteral("%1 does not exist").arg(describe(location, depth + 1));
            return false;
        }
        QJsonValue child = array.at(index);
        if (!modify(child, location, depth + 1, createLast, operation, error))
            return false;
        array.replace(index, child);
        node = array;
        return true;
    }
    if (!node.isObject()) {
        *error = QStringLiteral("%1 is not an object").arg(describe(location, depth));
        return false;
    }
    QJsonObject object = node.toObject();
    const bool last = depth + 1 == location.size();
    if (!object.contains(step.key) && !(last && createLast)) {
        *error = QStringLiteral("%1 does not exist").arg(describe(location, depth + 1));
        return false;
    }
    QJsonValue child = object.value(step.key);
    if (!modify(child, location, depth + 1, createLast, operation, error))
        return false;
    object.insert(step.key, child);
    node = object;
    return true;
}

} // namespace

std::optional<JsonLocation> parseJsonLocation(QStringView path, QString *error)
{
    const QString text = path.trimmed().toString();
    const auto fail = [&](const QString &why) -> std::optional<JsonLocation> {
        *error = QStringLiteral("'%1' %2; a write needs one place such as $.a.b or $.a[0]")
                     .arg(text, why);
        return std::nullopt;
    };
    if (!text.startsWith(QLatin1Char('$')))
        return fail(QStringLiteral("does not start at the root $"));
    JsonLocation location;
    qsizetype i = 1;
    while (i < text.size()) {
        const QChar c = text.at(i);
        if (c == QLatin1Char('.')) {
            qsizetype end = i + 1;
            while (end < text.size() && text.at(end) != QLatin1Char('.') &&
                   text.at(end) != QLatin1Char('['))
                ++end;
            const QString key = text.mid(i + 1, end - i - 1);
            if (key.isEmpty() || key == QLatin1String("*") || key.contains(QLatin1Char('(')))
                return fail(QStringLiteral("selects more than a member at %1").arg(i));
            location.push_back({key, std::nullopt});
            i = end;
        } else if (c == QLatin1Char('[')) {
            const qsizetype close = text.indexOf(QLatin1Char(']'), i);
            if (close < 0)
                return fail(QStringLiteral("has an unclosed ["));
            const QString inside = text.mid(i + 1, close - i - 1).trimmed();
            const bool quoted =
                inside.size() >= 2 &&
                ((inside.startsWith(QLatin1Char('\'')) && inside.endsWith(QLatin1Char('\''))) ||
                 (inside.startsWith(QLatin1Char('"')) && inside.endsWith(QLatin1Char('"'))));
            bool isNumber = false;
            const qsizetype index = inside.toLongLong(&isNumber);
            if (quoted)
                location.push_back({inside.mid(1, inside.size() - 2), std::nullopt});
            else if (isNumber)
                location.push_back({QString(), index});
            else
                return fail(QStringLiteral("has the selector [%1]").arg(inside));
            i = close + 1;
        } else {
            return fail(QStringLiteral("has '%1' at %2").arg(c).arg(i));
        }
    }
    return location;
}

bool setJsonAt(QJsonValue &root, const JsonLocation &location, const QJsonValue &value,
               QString *error)
{
    return modify(
        root, location, 0, true,
        [&](QJsonValue &place, QString *) {
            place = value;
            return true;
        },
        error);
}

bool addJsonChild(QJsonValue &root, const JsonLocation &location, const QJsonValue &value,
                  QString *error)
{
    return modify(
        root, location, 0, false,
        [&](QJsonValue &place, QString *why) {
            if (place.isArray()) {
                QJsonArray array = place.toArray();
                array.append(value);
                place = array;
                return true;
            }
            if (place.isObject() && value.isObject()) {
                QJsonObject object = place.toObject();
                const QJsonObject members = value.toObject();
                for (auto it = members.begin(); it != members.end(); ++it)
                    object.insert(it.key(), it.value());
                place = object;
                return true;
            }
            *why = place.isObject() ? QStringLiteral("only an object can be added to an object")
                                    : QStringLiteral("%1 is neither an array nor an object")
                                          .arg(describe(location, location.size()));
            return false;
        },
        error);
}

} // namespace sluice
