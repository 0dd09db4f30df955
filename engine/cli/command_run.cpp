// SPDX-License-Identifier: Apache-2.0
// sluice run PROJECT: deploy and serve until SIGTERM / SIGINT.
#include "cli_common.h"
#include "progress_line.h"
#include "runtime/logger.h"
#include "runtime/management_server.h"
#include "runtime/management_token.h"
#include "runtime/runtime.h"
#include "signal_watcher.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <cstdio>
#include <optional>

namespace sluice::cli {

namespace {

struct ManagementOptions {
    bool disabled = false;
    std::optional<quint16> port;
    QString tokenFile;
};

// Starts the management API as [management] and the command line say. When it cannot start
// (port in use, unreadable token file) the error is logged and the runtime keeps serving: the
// integration flows matter more than the ability to watch them.
bool startManagement(ManagementServer &server, const Runtime &runtime,
                     const ManagementOptions &options)
{
    const ManagementConfig &config = runtime.project().config.management;
    if (options.disabled || !config.enabled)
        return true;
    QString tokenFile = options.tokenFile;
    if (tokenFile.isEmpty() && !config.tokenFile.isEmpty()) {
        // A relative token_file in deployment.toml is relative to the project.
        const QFileInfo root(runtime.project().rootPath);
        const QString base = root.isDir() ? root.filePath() : root.path();
        tokenFile = QDir(base).absoluteFilePath(config.tokenFile);
    }
    if (tokenFile.isEmpty())
        tokenFile = ManagementToken::defaultFile();
    QByteArray token;
    QString error;
    const quint16 port = options.port.value_or(quint16(config.port));
    if (!ManagementToken::loadOrCreate(tokenFile, token, error) ||
        !server.listen(config.host, port, token, error)) {
        Logger::instance().log(LogLevel::Error, QStringLiteral("management"),
                               QStringLiteral("management API not started: %1").arg(error));
        return false;
    }
    Logger::instance().log(LogLevel::Info, QStringLiteral("management"),
                           QStringLiteral("management API listening on %1 (token in %2)")
                               .arg(server.url(), tokenFile));
    return true;
}

} // namespace

int runRun(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Validates a project and serves it until SIGTERM or SIGINT. Nothing "
                       "starts if the project has any error."));
    parser.addHelpOption();
    parser.addPositionalArgument(QStringLiteral("project"),
                                 QStringLiteral("Project directory, synapse.xml or .car file."));
    const QCommandLineOption managementPort(
        QStringLiteral("management-port"),
        QStringLiteral("Port of the management API (default [management] port, 9164; 0 = any "
                       "free port)."),
        QStringLiteral("N"));
    const QCommandLineOption noManagement(QStringLiteral("no-management"),
                                          QStringLiteral("Do not start the management API."));
    const QCommandLineOption tokenFileOption(
        QStringLiteral("management-token-file"),
        QStringLiteral("File holding the management API token (created, mode 0600, when "
                       "missing)."),
        QStringLiteral("PATH"));
    const QCommandLineOption progressOption(
        QStringLiteral("progress"),
        QStringLiteral("Show the deploy's progress on stderr even when it is not a terminal."));
    parser.addOptions({managementPort, noManagement, tokenFileOption, progressOption});
    if (const auto exit = parseCommandLine(parser, arguments))
        return *exit;
    ManagementOptions management;
    management.disabled = parser.isSet(noManagement);
    management.tokenFile = parser.value(tokenFileOption);
    if (parser.isSet(managementPort)) {
        bool ok = false;
        const uint port = parser.value(managementPort).toUInt(&ok);
        if (!ok || port > 65535)
            return usageError(parser, arguments,
                              QStringLiteral("--management-port must be 0-65535, not '%1'")
                                  .arg(parser.value(managementPort)));
        management.port = quint16(port);
    }
    if (parser.positionalArguments().size() != 1)
        return usageError(parser, arguments, QStringLiteral("expected one PROJECT"));
    const QString path = parser.positionalArguments().constFirst();

    Runtime runtime;
    Diagnostics diagnostics;
    ProgressLine progress(parser.isSet(progressOption));
    progress.step(1, 1, QStringLiteral("validating and deploying %1").arg(path));
    const bool deployed = runtime.deploy(path, diagnostics);
    progress.finish();
    prefixLocations(diagnostics, path);
    printDiagnostics(diagnostics, stderr);
    if (!deployed) {
        Logger::instance().log(LogLevel::Error, QStringLiteral("runtime"),
                               QStringLiteral("%1 was not deployed: %2 error(s)")
                                   .arg(path)
                                   .arg(diagnostics.errorCount()));
        return kExitProblems;
    }
    ManagementServer managementServer(runtime);
    // Signals are handled before anything is announced: a supervisor that stops the runtime as
    // soon as it listens gets the orderly shutdown.
    SignalWatcher watcher;
    QObject::connect(&watcher, &SignalWatcher::terminateRequested, [&](int signalNumber) {
        Logger::instance().log(LogLevel::Info, QStringLiteral("runtime"),
                               QStringLiteral("signal %1: shutting down").arg(signalNumber));
        managementServer.close();
        runtime.shutdown();
        QCoreApplication::exit(kExitOk);
    });
    // SIGHUP: reload the project from disk; clients of unchanged endpoints stay connected.
    QObject::connect(&watcher, &SignalWatcher::reloadRequested, [&] {
        Diagnostics reload;
        const bool redeployed = runtime.redeploy(QString(), reload);
        prefixLocations(reload, path);
        printDiagnostics(reload, stderr);
        if (!redeployed) {
            Logger::instance().log(LogLevel::Error, QStringLiteral("runtime"),
                                   QStringLiteral("SIGHUP: redeploy refused: %1 error(s); the "
                                                  "running deployment is unchanged")
                                       .arg(reload.errorCount()));
        }
    });
    const QStringList listening = runtime.listeningDescriptions();
    if (listening.isEmpty()) {
        std::fputs("sluice: deployed; the project has no listeners\n", stdout);
    } else {
        for (const QString &line : listening)
            std::fprintf(stdout, "sluice: listening on %s\n", qPrintable(line));
    }
    std::fflush(stdout);

    startManagement(managementServer, runtime, management);

    return QCoreApplication::exec();
}

} // namespace sluice::cli
