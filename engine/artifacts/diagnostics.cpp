// SPDX-License-Identifier: Apache-2.0
#include "diagnostics.h"

#include <QStringList>
#include <algorithm>

namespace sluice {

QString SourceLocation::toString() const
{
    if (file.isEmpty())
        return QStringLiteral("<unknown>");
    if (line <= 0)
        return file;
    return QStringLiteral("%1:%2:%3").arg(file).arg(line).arg(column > 0 ? column : 1);
}

QString Diagnostic::toString() const
{
    const QString prefix = severity == Severity::Warning ? QStringLiteral("warning: ") : QString();
    return QStringLiteral("%1: %2%3").arg(location.toString(), prefix, message);
}

void Diagnostics::error(const SourceLocation &where, const QString &message)
{
    m_items.append({Severity::Error, where, message});
}

void Diagnostics::warning(const SourceLocation &where, const QString &message)
{
    m_items.append({Severity::Warning, where, message});
}

bool Diagnostics::hasErrors() const
{
    return errorCount() > 0;
}

int Diagnostics::errorCount() const
{
    return int(std::count_if(m_items.begin(), m_items.end(),
                             [](const Diagnostic &d) { return d.severity == Severity::Error; }));
}

int Diagnostics::warningCount() const
{
    return int(m_items.size()) - errorCount();
}

QList<Diagnostic> Diagnostics::sorted() const
{
    QList<Diagnostic> result = m_items;
    std::stable_sort(result.begin(), result.end(), [](const Diagnostic &a, const Diagnostic &b) {
        if (a.location.file != b.location.file)
            return a.location.file < b.location.file;
        if (a.location.line != b.location.line)
            return a.location.line < b.location.line;
        return a.location.column < b.location.column;
    });
    result.erase(std::unique(result.begin(), result.end(),
                             [](const Diagnostic &a, const Diagnostic &b) {
                                 return a.toString() == b.toString();
                             }),
                 result.end());
    return result;
}

QString Diagnostics::toString() const
{
    QStringList lines;
    for (const Diagnostic &d : sorted())
        lines.append(d.toString());
    return lines.join(QLatin1Char('\n'));
}

} // namespace sluice
