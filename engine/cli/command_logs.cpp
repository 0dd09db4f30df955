// SPDX-License-Identifier: Apache-2.0
// sluice logs: the message events of a running runtime, read through its management API.
#include "cli_common.h"
#include "runtime/management_server.h"
#include "runtime/management_token.h"
#include "runtime/message_event_json.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDateTime>
#include <QEventLoop>
#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QTimer>
#include <QUrlQuery>
#include <QWebSocket>
#include <cstdio>

namespace sluice::cli {

namespace {

constexpr int kRequestTimeoutMs = 10000;

struct LogsOptions {
    QUrl base;
    QByteArray token;
    QString connection;
    QString kinds;
    quint64 since = 0;
    bool json = false;
    bool follow = false;
};

void printLine(const QByteArray &line)
{
    std::fwrite(line.constData(), 1, size_t(line.size()), stdout);
    std::fputc('\n', stdout);
    std::fflush(stdout);
}

// "->" for what came into the runtime, "<-" for what it sent, with the peer it was about.
QString direction(const MessageEvent &event)
{
    const QString peer =
        event.peer == EventPeer::Backend ? QStringLiteral("backend") : QStringLiteral("client");
    switch (event.kind) {
    case MessageEventKind::FrameIn:
        return peer + QStringLiteral(" ->");
    case MessageEventKind::FrameOut:
        return QStringLiteral("-> ") + peer;
    default:
        return QStringLiteral("  ");
    }
}

QString summary(const MessageEvent &event)
{
    constexpr int kPrefix = 80;
    switch (event.kind) {
    case MessageEventKind::ConnectionOpened:
    case MessageEventKind::BackendOpened:
        return event.subprotocol.isEmpty()
                   ? QString()
                   : QStringLiteral("subprotocol %1").arg(event.subprotocol);
    case MessageEventKind::ConnectionClosed:
    case MessageEventKind::BackendClosed:
        return QStringLiteral("code %1 %2").arg(event.closeCode).arg(event.closeReason);
    case MessageEventKind::PropertiesSet: {
        QStringList parts;
        for (const EventProperty &property : event.properties)
            parts << property.name + QLatin1Char('=') + property.value.toString();
        return parts.join(QLatin1Char(' '));
    }
    case MessageEventKind::Log:
    case MessageEventKind::Fault:
        return event.text.simplified();
    default:
        break;
    }
    if (event.payload.isEmpty())
        return QString();
    if (event.opcode == EventOpcode::Binary)
        return QString::fromLatin1(event.payload.left(kPrefix / 2).toHex(' '));
    const QString text = QString::fromUtf8(event.payload).simplified();
    return text.size() > kPrefix ? text.left(kPrefix) + QStringLiteral("...") : text;
}

// One readable line: time, connection, direction, kind, artifact/mediator, size, summary.
QString readableLine(const MessageEvent &event)
{
    const QString time =
        QDateTime::fromMSecsSinceEpoch(event.timestampMs).toString(QStringLiteral("HH:mm:ss.zzz"));
    QString where = event.artifact;
    if (!event.mediator.isEmpty())
        where += (where.isEmpty() ? QString() : QStringLiteral("/")) + event.mediator;
    // Where the mediator was read, so that a line leads back to the XML: "dispatchSeq.xml:3".
    if (event.kind == MessageEventKind::MediatorEntered && event.location.isValid())
        where += QStringLiteral(" (%1:%2)")
                     .arg(event.location.file.section(QLatin1Char('/'), -1))
                     .arg(event.location.line);
    const bool isFrame =
        event.kind == MessageEventKind::FrameIn || event.kind == MessageEventKind::FrameOut;
    const QString size = isFrame ? QStringLiteral("%1B").arg(event.size) : QString();
    return QStringLiteral("%1 %2 %3 %4 %5 %6 %7")
        .arg(time, event.connectionId.isEmpty() ? QStringLiteral("-") : event.connectionId,
             direction(event), messageEventKindName(event.kind),
             where.isEmpty() ? QStringLiteral("-") : where, size, summary(event))
        .simplified();
}

// Prints one event; returns its id (0 when the object is not an event).
quint64 printEvent(const QJsonObject &object, bool json)
{
    const std::optional<MessageEvent> event = messageEventFromJson(object);
    if (!event)
        return 0;
    printLine(json ? QJsonDocument(object).toJson(QJsonDocument::Compact)
                   : readableLine(*event).toUtf8());
    return event->id;
}

QUrlQuery filterQuery(const LogsOptions &options)
{
    QUrlQuery query;
    if (!options.connection.isEmpty())
        query.addQueryItem(QStringLiteral("connection"), options.connection);
    if (!options.kinds.isEmpty())
        query.addQueryItem(QStringLiteral("kind"), options.kinds);
    return query;
}

QNetworkRequest authorisedRequest(const QUrl &url, const QByteArray &token)
{
    QNetworkRequest request(url);
    request.setRawHeader("Authorization", "Bearer " + token);
    request.setTransferTimeout(kRequestTimeoutMs);
    return request;
}

// GET /management/events; prints them. Returns the exit code and the last id printed.
int printRecorded(QNetworkAccessManager &network, const LogsOptions &options, quint64 &lastId)
{
    QUrl url = options.base;
    url.setPath(QStringLiteral("/management/events"));
    QUrlQuery query = filterQuery(options);
    if (options.since > 0)
        query.addQueryItem(QStringLiteral("since"), QString::number(options.since));
    url.setQuery(query);
    QNetworkReply *reply = network.get(authorisedRequest(url, options.token));
    QEventLoop loop;
    QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    loop.exec();
    reply->deleteLater();
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    const QByteArray body = reply->readAll();
    if (status == 401) {
        std::fprintf(stderr,
                     "sluice logs: the runtime at %s refused the token (HTTP 401); use the token "
                     "file the runtime printed at start (--token-file)\n",
                     qPrintable(options.base.toString()));
        return kExitProblems;
    }
    if (status != 200) {
        const QString why =
            status == 0
                ? reply->errorString()
                : QStringLiteral("HTTP %1: %2").arg(status).arg(QString::fromUtf8(body).trimmed());
        std::fprintf(stderr, "sluice logs: cannot read events from %s: %s\n",
                     qPrintable(options.base.toString()), qPrintable(why));
        return kExitProblems;
    }
    const QJsonArray events = QJsonDocument::fromJson(body).array();
    for (const QJsonValue &value : events)
        lastId = qMax(lastId, printEvent(value.toObject(), options.json));
    return kExitOk;
}

// Opens the WebSocket stream and prints events until the runtime closes it. The stream is
// subscribed first and the recorded events read after that, so that nothing falls in between;
// live events that arrive meanwhile wait, and the ones the recorded part had are shown once.
int follow(QNetworkAccessManager &network, const LogsOptions &options)
{
    QUrl url = options.base;
    url.setScheme(options.base.scheme() == QLatin1String("https") ? QStringLiteral("wss")
                                                                  : QStringLiteral("ws"));
    url.setPath(ManagementServer::kStreamPath);
    url.setQuery(filterQuery(options));
    QWebSocket socket;
    bool opened = false;
    bool replaying = true;
    QList<QJsonObject> waiting;
    quint64 lastId = 0;
    int exitCode = kExitOk;
    auto show = [&](const QJsonObject &object) {
        if (object.value(QStringLiteral("id")).toInteger() > qint64(lastId))
            lastId = qMax(lastId, printEvent(object, options.json));
    };
    QObject::connect(&socket, &QWebSocket::connected, [&] {
        opened = true;
        exitCode = printRecorded(network, options, lastId);
        if (exitCode != kExitOk) {
            QCoreApplication::exit(exitCode);
            return;
        }
        replaying = false;
        for (const QJsonObject &object : std::as_const(waiting))
            show(object);
        waiting.clear();
    });
    QObject::connect(&socket, &QWebSocket::textMessageReceived, [&](const QString &text) {
        const QJsonObject object = QJsonDocument::fromJson(text.toUtf8()).object();
        if (object.contains(QStringLiteral("dropped"))) {
            std::fprintf(stderr,
                         "sluice logs: %lld event(s) dropped: this terminal is slower than "
                         "the runtime\n",
                         object.value(QStringLiteral("dropped")).toInteger());
            return;
        }
        if (replaying)
            waiting.append(object);
        else
            show(object);
    });
    QObject::connect(&socket, &QWebSocket::disconnected, [&] {
        if (!opened) {
            // Ask the REST side why: it tells a refused token from an absent runtime.
            quint64 ignored = 0;
            exitCode = printRecorded(network, options, ignored);
            if (exitCode == kExitOk) {
                std::fprintf(stderr, "sluice logs: cannot open the event stream at %s: %s\n",
                             qPrintable(url.toString(QUrl::RemoveQuery)),
                             qPrintable(socket.errorString()));
                exitCode = kExitProblems;
            }
        } else if (exitCode == kExitOk) {
            std::fputs("sluice logs: the runtime closed the event stream\n", stderr);
        }
        QCoreApplication::exit(exitCode);
    });
    socket.open(authorisedRequest(url, options.token));
    QCoreApplication::exec();
    return exitCode;
}

} // namespace

int runLogs(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Prints the message events of a running runtime (its management API). "
                       "Without --follow, the recorded events; with it, also every new one."));
    parser.addHelpOption();
    const QCommandLineOption followOption({QStringLiteral("f"), QStringLiteral("follow")},
                                          QStringLiteral("Keep printing events as they happen."));
    const QCommandLineOption connectionOption(
        QStringLiteral("connection"),
        QStringLiteral("Only events of this connection (websocket-7)."), QStringLiteral("ID"));
    const QCommandLineOption kindOption(
        QStringLiteral("kind"),
        QStringLiteral("Only these kinds, comma-separated (frame-in,frame-out,mediator,...)."),
        QStringLiteral("K,K"));
    const QCommandLineOption jsonOption(QStringLiteral("json"),
                                        QStringLiteral("One JSON object per line."));
    const QCommandLineOption urlOption(
        QStringLiteral("url"),
        QStringLiteral("Management API of the runtime (default http://127.0.0.1:9164)."),
        QStringLiteral("URL"), QStringLiteral("http://127.0.0.1:9164"));
    const QCommandLineOption tokenFileOption(
        QStringLiteral("token-file"),
        QStringLiteral("Token file (default: SLUICE_MANAGEMENT_TOKEN_FILE or "
                       "~/.config/sluice/management-token)."),
        QStringLiteral("PATH"));
    const QCommandLineOption sinceOption(QStringLiteral("since"),
                                         QStringLiteral("Only events after this event id."),
                                         QStringLiteral("ID"));
    parser.addOptions({followOption, connectionOption, kindOption, jsonOption, urlOption,
                       tokenFileOption, sinceOption});
    if (const auto exit = parseCommandLine(parser, arguments))
        return *exit;
    if (!parser.positionalArguments().isEmpty())
        return usageError(parser, arguments, QStringLiteral("no arguments expected"));

    LogsOptions options;
    options.base = QUrl(parser.value(urlOption));
    if (!options.base.isValid() || (options.base.scheme() != QLatin1String("http") &&
                                    options.base.scheme() != QLatin1String("https"))) {
        std::fprintf(stderr, "sluice logs: --url must be an http:// URL, not '%s'\n",
                     qPrintable(parser.value(urlOption)));
        return kExitUsage;
    }
    options.connection = parser.value(connectionOption);
    options.kinds = parser.value(kindOption);
    for (const QString &kind : options.kinds.split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        if (!messageEventKindFromName(kind.trimmed())) {
            std::fprintf(stderr, "sluice logs: unknown event kind '%s'\n", qPrintable(kind));
            return kExitUsage;
        }
    }
    options.json = parser.isSet(jsonOption);
    options.follow = parser.isSet(followOption);
    if (parser.isSet(sinceOption)) {
        bool ok = false;
        options.since = parser.value(sinceOption).toULongLong(&ok);
        if (!ok) {
            std::fprintf(stderr, "sluice logs: --since must be an event id\n");
            return kExitUsage;
        }
    }
    const QString tokenFile = parser.isSet(tokenFileOption) ? parser.value(tokenFileOption)
                                                            : ManagementToken::defaultFile();
    QString error;
    if (!ManagementToken::load(tokenFile, options.token, error)) {
        std::fprintf(stderr, "sluice logs: %s\n", qPrintable(error));
        return kExitProblems;
    }

    QNetworkAccessManager network;
    if (options.follow)
        return follow(network, options);
    quint64 lastId = 0;
    return printRecorded(network, options, lastId);
}

} // namespace sluice::cli
