// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QByteArray>
#include <QString>

namespace sluice::studio {

// Writes `bytes` to `path` through a temporary file renamed into place (QSaveFile), creating
// the folders on the way. On failure returns false and sets *error.
bool writeFileAtomically(const QString &path, const QByteArray &bytes, QString *error);

// Whether `path` does not exist or is an empty folder (where a project may be created,
// exported or imported).
bool isAbsentOrEmptyFolder(const QString &path);

// An artifact name made safe as a file name (no separators, wildcards or spaces).
QString safeFileName(const QString &name);

} // namespace sluice::studio
