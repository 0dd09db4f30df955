// SPDX-License-Identifier: Apache-2.0
#include "cli_common.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <cstdio>

namespace sluice::cli {

namespace {

// QCommandLineParser names the program by its path ("Usage: /usr/bin/sluice [options]"); every
// command's usage says "sluice COMMAND" instead, as the man page and docs/cli.md do.
QString commandHelp(const QCommandLineParser &parser, const QStringList &arguments)
{
    QString text = parser.helpText();
    const QString generic =
        QStringLiteral("Usage: ") + QCoreApplication::arguments().constFirst() + QLatin1Char(' ');
    const QString command = arguments.constFirst().section(QLatin1Char(' '), -1);
    if (text.startsWith(generic))
        text.replace(0, int(generic.size()), QStringLiteral("Usage: sluice %1 ").arg(command));
    return text;
}

void writeText(const QString &text, FILE *stream)
{
    const QByteArray bytes = text.toUtf8();
    std::fwrite(bytes.constData(), 1, size_t(bytes.size()), stream);
    std::fflush(stream);
}

} // namespace

std::optional<int> parseCommandLine(QCommandLineParser &parser, const QStringList &arguments)
{
    const bool parsed = parser.parse(arguments);
    if (parser.isSet(QStringLiteral("help"))) {
        writeText(commandHelp(parser, arguments), stdout);
        return kExitOk;
    }
    if (!parsed)
        return usageError(parser, arguments, parser.errorText());
    return std::nullopt;
}

int usageError(const QCommandLineParser &parser, const QStringList &arguments,
               const QString &message)
{
    const QString command = arguments.constFirst().section(QLatin1Char(' '), -1);
    const QString usage = commandHelp(parser, arguments).section(QLatin1Char('\n'), 0, 0);
    writeText(QStringLiteral("sluice %1: %2\n%3\nRun 'sluice %1 --help' for the options.\n")
                  .arg(command, message, usage),
              stderr);
    return kExitUsage;
}

void prefixLocations(Diagnostics &diagnostics, const QString &projectPath)
{
    const QFileInfo info(projectPath);
    const QString base = info.isDir() ? projectPath : info.path();
    Diagnostics rewritten;
    for (Diagnostic d : diagnostics.items()) {
        // The project path itself (a missing project) is already relative to the current
        // directory.
        if (!d.location.file.isEmpty() && QDir::isRelativePath(d.location.file) &&
            !d.location.file.startsWith(QLatin1Char('<')) && d.location.file != projectPath)
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

void printJson(const QJsonObject &object, bool indented)
{
    QByteArray bytes =
        QJsonDocument(object).toJson(indented ? QJsonDocument::Indented : QJsonDocument::Compact);
    if (!bytes.endsWith('\n'))
        bytes.append('\n');
    std::fwrite(bytes.constData(), 1, size_t(bytes.size()), stdout);
    std::fflush(stdout);
}

} // namespace sluice::cli
