// SPDX-License-Identifier: Apache-2.0
// sluice version [--json]: what is installed, for people and for scripts.
#include "cli_common.h"

#include <QCommandLineParser>
#include <QJsonObject>
#include <QSslSocket>
#include <cstdio>

namespace sluice::cli {

int runVersion(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Prints the version of sluice, of the Qt it runs on and of its TLS "
                       "library."));
    parser.addHelpOption();
    const QCommandLineOption jsonOption(
        QStringLiteral("json"),
        QStringLiteral("Print one JSON object: name, version, qt, tls (the TLS library, empty "
                       "when none is available)."));
    parser.addOption(jsonOption);
    if (const auto exit = parseCommandLine(parser, arguments))
        return *exit;
    if (!parser.positionalArguments().isEmpty())
        return usageError(parser, arguments, QStringLiteral("no arguments expected"));
    const QString tls =
        QSslSocket::supportsSsl() ? QSslSocket::sslLibraryVersionString() : QString();
    if (parser.isSet(jsonOption)) {
        printJson(QJsonObject{
            {QStringLiteral("name"), QStringLiteral("sluice")},
            {QStringLiteral("version"), QStringLiteral(SLUICE_VERSION)},
            {QStringLiteral("qt"), QString::fromLatin1(qVersion())},
            {QStringLiteral("tls"), tls},
        });
        return kExitOk;
    }
    std::printf("sluice %s\nQt %s\nTLS %s\n", SLUICE_VERSION, qVersion(),
                tls.isEmpty() ? "unavailable (wss and https will not work)" : qPrintable(tls));
    return kExitOk;
}

} // namespace sluice::cli
