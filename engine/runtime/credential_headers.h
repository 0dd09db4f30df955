// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QHash>
#include <QString>
#include <QStringView>

namespace sluice {

// Headers that carry credentials. Mediation sees them as they came ($trp:Authorization works as
// in MI); what Sluice shows about a message (the live log, message events, the log mediator's
// headers) shows only that they were there, so that a log shared to get help leaks no secret.
inline bool isCredentialHeader(QStringView name)
{
    static constexpr QLatin1StringView kNames[] = {
        QLatin1StringView("Authorization"), QLatin1StringView("Proxy-Authorization"),
        QLatin1StringView("Cookie"),        QLatin1StringView("Set-Cookie"),
        QLatin1StringView("X-Api-Key"),     QLatin1StringView("X-Auth-Token")};
    for (QLatin1StringView known : kNames) {
        if (name.compare(known, Qt::CaseInsensitive) == 0)
            return true;
    }
    return false;
}

// The value as it is shown: credentials keep their scheme ("Bearer [redacted]"), nothing else.
inline QString shownHeaderValue(QStringView name, const QString &value)
{
    if (!isCredentialHeader(name))
        return value;
    const qsizetype space = value.indexOf(QLatin1Char(' '));
    const bool scheme =
        space > 0 &&
        (name.compare(QLatin1StringView("Authorization"), Qt::CaseInsensitive) == 0 ||
         name.compare(QLatin1StringView("Proxy-Authorization"), Qt::CaseInsensitive) == 0);
    return (scheme ? value.left(space + 1) : QString()) + QStringLiteral("[redacted]");
}

inline QHash<QString, QString> shownHeaders(const QHash<QString, QString> &headers)
{
    QHash<QString, QString> shown = headers;
    for (auto it = shown.begin(); it != shown.end(); ++it)
        it.value() = shownHeaderValue(it.key(), it.value());
    return shown;
}

} // namespace sluice
