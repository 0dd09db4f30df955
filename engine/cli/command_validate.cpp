// SPDX-License-Identifier: Apache-2.0
// sluice validate PROJECT: every artifact, reference and setting checked, nothing started.
#include "artifacts/project.h"
#include "cli_common.h"
#include "mediation/project_compiler.h"
#include "transports/secure_sender_tls.h"

#include <QCommandLineParser>
#include <cstdio>

namespace sluice::cli {

namespace {

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

} // namespace

int runValidate(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Checks every artifact, reference and setting of a project; prints each "
                       "problem as file:line:col: message. Exit status 1 when there is an error."));
    parser.addHelpOption();
    parser.addPositionalArgument(QStringLiteral("project"),
                                 QStringLiteral("Project directory, synapse.xml or .car file."));
    parser.process(arguments);
    if (parser.positionalArguments().size() != 1) {
        std::fputs("usage: sluice validate PROJECT\n", stderr);
        return kExitUsage;
    }
    const QString path = parser.positionalArguments().constFirst();
    Diagnostics diagnostics;
    Project project = loadProject(path, diagnostics);
    if (!diagnostics.hasErrors() && compileProject(project, diagnostics))
        loadSecureSenderTls(project.config, diagnostics); // the trust stores open
    prefixLocations(diagnostics, path);
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
