// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "artifacts/diagnostics.h"

#include <QStringList>
#include <optional>

class QCommandLineParser;
class QJsonObject;

namespace sluice::cli {

// Exit codes of every command (documented in docs/cli.md and sluice(1)).
enum ExitCode {
    kExitOk = 0,
    kExitProblems = 1, // the project has errors, or the runtime could not start
    kExitUsage = 2,    // wrong arguments
};

int runValidate(const QStringList &arguments);
int runRun(const QStringList &arguments);
int runLogs(const QStringList &arguments);
int runVersion(const QStringList &arguments);
int runDescribe(const QStringList &arguments);

// Parses a command's arguments (arguments[0] is "PROGRAM COMMAND"). `--help` prints the usage on
// stdout and gives kExitOk; an unknown option or a missing value prints the reason and the usage
// on stderr and gives kExitUsage. std::nullopt: parsed, the command goes on. (Unlike
// QCommandLineParser::process, which exits 1 on a usage error.)
std::optional<int> parseCommandLine(QCommandLineParser &parser, const QStringList &arguments);
// Prints a usage error of a command ("sluice validate: ...") and its usage line; kExitUsage.
int usageError(const QCommandLineParser &parser, const QStringList &arguments,
               const QString &message);

// Rewrites project-relative file names so that they can be opened from the current directory.
void prefixLocations(Diagnostics &diagnostics, const QString &projectPath);
// Prints every diagnostic, one per line, sorted, to the given stream (stdout or stderr).
void printDiagnostics(const Diagnostics &diagnostics, FILE *stream);
// Writes a JSON document and a newline to stdout (indented when `indented`).
void printJson(const QJsonObject &object, bool indented = false);

} // namespace sluice::cli
