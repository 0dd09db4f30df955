// SPDX-License-Identifier: Apache-2.0
#include "cli_common.h"

#include <QDir>
#include <QFileInfo>
#include <cstdio>

namespace sluice::cli {

void prefixLocations(Diagnostics &diagnostics, const QString &projectPath)
{
    const QFileInfo info(projectPath);
    const QString base = info.isDir() ? projectPath : info.path();
    Diagnostics rewritten;
    for (Diagnostic d : diagnostics.items()) {
        if (!d.location.file.isEmpty() && QDir::isRelativePath(d.location.file) &&
            !d.location.file.startsWith(QLatin1Char('<')))
            d.location.file = QDir::cleanPath(base + QLatin1Char('/') + d.location.file);
        rewritten.add(d);
    }
    diagnostics = rewritten;
}

void printDiagnostics(const Diagnostics &diagnostics, FILE *stream)
{
    for (const Diagnostic &d : diagnostics.sorted()) {
        const QByteArray line = d.toString().toUtf8() + '\n';
        std::fwrite(line.constData(), 1, size_t(line.size()), stream);
    }
    std::fflush(stream);
}

} // namespace sluice::cli
