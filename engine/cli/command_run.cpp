// SPDX-License-Identifier: Apache-2.0
// sluice run PROJECT: deploy and serve until SIGTERM / SIGINT.
#include "cli_common.h"
#include "runtime/logger.h"
#include "runtime/runtime.h"
#include "signal_watcher.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <cstdio>

namespace sluice::cli {

int runRun(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Validates a project and serves it until SIGTERM or SIGINT. Nothing "
                       "starts if the project has any error."));
    parser.addHelpOption();
    parser.addPositionalArgument(QStringLiteral("project"),
                                 QStringLiteral("Project directory, synapse.xml or .car file."));
    parser.process(arguments);
    if (parser.positionalArguments().size() != 1) {
        std::fputs("usage: sluice run PROJECT\n", stderr);
        return kExitUsage;
    }
    const QString path = parser.positionalArguments().constFirst();

    Runtime runtime;
    Diagnostics diagnostics;
    const bool deployed = runtime.deploy(path, diagnostics);
    prefixLocations(diagnostics, path);
    printDiagnostics(diagnostics, stderr);
    if (!deployed) {
        Logger::instance().log(LogLevel::Error, QStringLiteral("runtime"),
                               QStringLiteral("%1 was not deployed: %2 error(s)")
                                   .arg(path)
                                   .arg(diagnostics.errorCount()));
        return kExitProblems;
    }
    const QStringList listening = runtime.listeningDescriptions();
    if (listening.isEmpty()) {
        std::fputs("sluice: deployed; the project has no listeners\n", stdout);
    } else {
        for (const QString &line : listening)
            std::fprintf(stdout, "sluice: listening on %s\n", qPrintable(line));
    }
    std::fflush(stdout);

    SignalWatcher watcher;
    QObject::connect(&watcher, &SignalWatcher::terminateRequested, [&](int signalNumber) {
        Logger::instance().log(LogLevel::Info, QStringLiteral("runtime"),
                               QStringLiteral("signal %1: shutting down").arg(signalNumber));
        runtime.shutdown();
        QCoreApplication::exit(kExitOk);
    });
    return QCoreApplication::exec();
}

} // namespace sluice::cli
