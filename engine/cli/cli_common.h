// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "artifacts/diagnostics.h"

#include <QStringList>

namespace sluice::cli {

// Exit codes of every command (documented in docs/cli.md).
enum ExitCode {
    kExitOk = 0,
    kExitProblems = 1, // the project has errors, or the runtime could not start
    kExitUsage = 2,    // wrong arguments
};

int runValidate(const QStringList &arguments);
int runRun(const QStringList &arguments);
int runLogs(const QStringList &arguments);

// Rewrites project-relative file names so that they can be opened from the current directory.
void prefixLocations(Diagnostics &diagnostics, const QString &projectPath);
// Prints every diagnostic, one per line, sorted, to the given stream (stdout or stderr).
void printDiagnostics(const Diagnostics &diagnostics, FILE *stream);

} // namespace sluice::cli
