// SPDX-License-Identifier: Apache-2.0
// The sluice command: run | validate | logs | version | describe, plus --version and --help.
#include "cli_common.h"
#include "runtime/logger.h"

#include <QCoreApplication>
#include <cstdio>
#include <cstring>

namespace {

const char kUsage[] =
    "usage: sluice [--log-level LEVEL] COMMAND [ARGS]\n"
    "\n"
    "Commands:\n"
    "  run PROJECT        validate PROJECT and serve it until SIGTERM / SIGINT\n"
    "  validate PROJECT   check every artifact and reference; print file:line:col: message\n"
    "  logs [--follow]    print the message events of a running runtime (management API)\n"
    "  version [--json]   print the version of sluice, Qt and the TLS library\n"
    "  describe           print every mediator and parameter description as JSON\n"
    "\n"
    "PROJECT is a WSO2 MI project directory (deployment.toml + src/main/synapse-config),\n"
    "an Integration Studio project, a synapse.xml / <definitions> file, or a .car file.\n"
    "\n"
    "Options:\n"
    "  --log-level LEVEL  trace, debug, info (default), warn, error or off\n"
    "  --version          print the version and exit\n"
    "  -h, --help         print this help and exit; COMMAND --help for a command's options\n"
    "\n"
    "Exit status: 0 success, 1 the project has errors or could not start, 2 usage error.\n"
    "See sluice(1) and /usr/share/doc/sluice/docs/user-guide.\n";

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("sluice"));
    QCoreApplication::setApplicationVersion(QStringLiteral(SLUICE_VERSION));

    QStringList args = QCoreApplication::arguments();
    const QString program = args.takeFirst();
    // Global options come before the command.
    while (!args.isEmpty() && args.constFirst().startsWith(QLatin1Char('-'))) {
        const QString option = args.takeFirst();
        if (option == QLatin1String("--version") || option == QLatin1String("-v")) {
            std::printf("sluice %s\n", SLUICE_VERSION);
            return sluice::cli::kExitOk;
        }
        if (option == QLatin1String("--help") || option == QLatin1String("-h")) {
            std::fputs(kUsage, stdout);
            return sluice::cli::kExitOk;
        }
        QString level;
        if (option == QLatin1String("--log-level") && !args.isEmpty())
            level = args.takeFirst();
        else if (option.startsWith(QLatin1String("--log-level=")))
            level = option.mid(int(std::strlen("--log-level=")));
        else {
            std::fprintf(stderr, "sluice: unknown option '%s'\n%s", qPrintable(option), kUsage);
            return sluice::cli::kExitUsage;
        }
        const auto parsed = sluice::parseLogLevel(level);
        if (!parsed) {
            std::fprintf(stderr,
                         "sluice: unknown log level '%s' (trace, debug, info, warn, "
                         "error, off)\n",
                         qPrintable(level));
            return sluice::cli::kExitUsage;
        }
        sluice::Logger::instance().setLevel(*parsed);
    }
    if (args.isEmpty()) {
        std::fputs(kUsage, stderr);
        return sluice::cli::kExitUsage;
    }
    const QString command = args.takeFirst();
    args.prepend(program + QLatin1Char(' ') + command);
    if (command == QLatin1String("run"))
        return sluice::cli::runRun(args);
    if (command == QLatin1String("validate"))
        return sluice::cli::runValidate(args);
    if (command == QLatin1String("logs"))
        return sluice::cli::runLogs(args);
    if (command == QLatin1String("version"))
        return sluice::cli::runVersion(args);
    if (command == QLatin1String("describe"))
        return sluice::cli::runDescribe(args);
    std::fprintf(stderr, "sluice: unknown command '%s'\n%s", qPrintable(command), kUsage);
    return sluice::cli::kExitUsage;
}
