// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "source_location.h"

#include <QList>
#include <QString>

namespace sluice {

enum class Severity { Warning, Error };

struct Diagnostic {
    Severity severity = Severity::Error;
    SourceLocation location;
    QString message;

    // "file:line:col: message" for errors, "file:line:col: warning: message" for warnings.
    QString toString() const;
};

// Collects every problem found while reading or validating, so that a user sees all of them at
// once instead of fixing one error per run.
class Diagnostics {
public:
    void error(const SourceLocation &where, const QString &message);
    void warning(const SourceLocation &where, const QString &message);
    void add(const Diagnostic &diagnostic) { m_items.append(diagnostic); }
    void append(const Diagnostics &other) { m_items.append(other.m_items); }

    bool hasErrors() const;
    int errorCount() const;
    int warningCount() const;
    const QList<Diagnostic> &items() const { return m_items; }
    bool isEmpty() const { return m_items.isEmpty(); }
    // Sorted by file, line and column; duplicates removed.
    QList<Diagnostic> sorted() const;
    QString toString() const;

private:
    QList<Diagnostic> m_items;
};

} // namespace sluice
