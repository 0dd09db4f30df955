// SPDX-License-Identifier: Apache-2.0
// sluice validate PROJECT: every artifact, reference and setting checked, nothing started.
#include "artifacts/project.h"
#include "cli_common.h"
#include "mediation/project_compiler.h"
#include "progress_line.h"
#include "transports/secure_sender_tls.h"

#include <QCommandLineParser>
#include <QJsonArray>
#include <QJsonObject>
#include <cstdio>

namespace sluice::cli {

namespace {

size_t artifactCount(const Project &project)
{
    const ArtifactSet &a = project.artifacts;
    return a.sequences.size() + a.inboundEndpoints.size() + a.proxyServices.size() + a.apis.size() +
           a.endpoints.size() + a.localEntries.size();
}

QString summary(const Project &project)
{
    const ArtifactSet &a = project.artifacts;
    QStringList parts;
    auto add = [&](size_t count, const char *one, const char *many) {
        if (count > 0)
            parts << QStringLiteral("%1 %2").arg(count).arg(
                QString::fromLatin1(count == 1 ? one : many));
    };
    add(a.sequences.size(), "sequence", "sequences");
    add(a.inboundEndpoints.size(), "inbound endpoint", "inbound endpoints");
    add(a.proxyServices.size(), "proxy service", "proxy services");
    add(a.apis.size(), "API", "APIs");
    add(a.endpoints.size(), "endpoint", "endpoints");
    add(a.localEntries.size(), "local entry", "local entries");
    return parts.isEmpty() ? QStringLiteral("no artifacts") : parts.join(QStringLiteral(", "));
}

// The --json report: one object, problems sorted as the text output prints them.
QJsonObject jsonReport(const QString &path, const Project &project, const Diagnostics &diagnostics)
{
    QJsonArray problems;
    for (const Diagnostic &d : diagnostics.sorted()) {
        problems.append(QJsonObject{
            {QStringLiteral("file"), d.location.file},
            {QStringLiteral("line"), d.location.line},
            {QStringLiteral("column"), d.location.column},
            {QStringLiteral("severity"),
             d.severity == Severity::Error ? QStringLiteral("error") : QStringLiteral("warning")},
            {QStringLiteral("message"), d.message},
        });
    }
    QJsonObject report{
        {QStringLiteral("project"), path},
        {QStringLiteral("valid"), !diagnostics.hasErrors()},
        {QStringLiteral("errors"), diagnostics.errorCount()},
        {QStringLiteral("warnings"), diagnostics.warningCount()},
        {QStringLiteral("problems"), problems},
    };
    if (!diagnostics.hasErrors()) {
        report.insert(QStringLiteral("layout"), layoutName(project.layout));
        report.insert(QStringLiteral("artifacts"), qint64(artifactCount(project)));
        report.insert(QStringLiteral("summary"), summary(project));
    }
    return report;
}

} // namespace

int runValidate(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Checks every artifact, reference and setting of a project without "
                       "starting anything; prints each problem as file:line:col: message. Exit "
                       "status 1 when there is an error."));
    parser.addHelpOption();
    parser.addPositionalArgument(QStringLiteral("project"),
                                 QStringLiteral("Project directory, synapse.xml or .car file."));
    const QCommandLineOption jsonOption(
        QStringLiteral("json"),
        QStringLiteral("Print one JSON object: valid, errors, warnings, and problems with file, "
                       "line, column, severity and message."));
    const QCommandLineOption progressOption(
        QStringLiteral("progress"),
        QStringLiteral("Show progress on stderr even when it is not a terminal."));
    parser.addOptions({jsonOption, progressOption});
    if (const auto exit = parseCommandLine(parser, arguments))
        return *exit;
    if (parser.positionalArguments().size() != 1)
        return usageError(parser, arguments, QStringLiteral("expected one PROJECT"));
    const QString path = parser.positionalArguments().constFirst();

    ProgressLine progress(parser.isSet(progressOption));
    Diagnostics diagnostics;
    progress.step(1, 3, QStringLiteral("reading %1").arg(path));
    Project project = loadProject(path, diagnostics);
    if (!diagnostics.hasErrors()) {
        progress.step(2, 3, QStringLiteral("compiling %1 artifacts").arg(artifactCount(project)));
        if (compileProject(project, diagnostics)) {
            progress.step(3, 3, QStringLiteral("opening trust stores"));
            loadSecureSenderTls(project.config, diagnostics);
        }
    }
    progress.finish();
    prefixLocations(diagnostics, path);
    if (parser.isSet(jsonOption)) {
        printJson(jsonReport(path, project, diagnostics));
        return diagnostics.hasErrors() ? kExitProblems : kExitOk;
    }
    printDiagnostics(diagnostics, stdout);
    if (diagnostics.hasErrors()) {
        std::fprintf(stdout, "%s: %d error(s), %d warning(s)\n", qPrintable(path),
                     diagnostics.errorCount(), diagnostics.warningCount());
        return kExitProblems;
    }
    std::fprintf(stdout, "%s: valid (%s; layout %s; %d warning(s))\n", qPrintable(path),
                 qPrintable(summary(project)), qPrintable(layoutName(project.layout)),
                 diagnostics.warningCount());
    return kExitOk;
}

} // namespace sluice::cli
