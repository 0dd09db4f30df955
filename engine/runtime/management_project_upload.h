// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "artifacts/diagnostics.h"

#include <QByteArray>
#include <QString>

namespace sluice {

// POST /management/project: the uploaded zip of a project, or a .car, put in a fresh directory
// under `dataDirectory` so that the runtime can load it. A .car (artifacts.xml at its top) is kept
// as one file; any other zip is unpacked, refusing entries that would land outside the directory
// (zip slip). Returns the path to deploy (directory or .car file), or an empty string with the
// problems in `diagnostics` (nothing is left on disk then).
QString unpackUploadedProject(const QByteArray &archive, const QString &dataDirectory,
                              Diagnostics &diagnostics);

// The directory under which uploads go: SLUICE_DATA_DIR, else the application data location.
QString defaultDataDirectory();

} // namespace sluice
