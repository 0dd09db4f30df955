// SPDX-License-Identifier: Apache-2.0
#include "parameter_spec.h"

#include <QRegularExpression>

namespace sluice {

namespace {

using Kind = ParameterSpec::Kind;

ParameterSpec integer(const QString &name, const QString &def, qint64 min, qint64 max,
                      const QString &help, bool required = false)
{
    ParameterSpec s;
    s.name = name;
    s.kind = Kind::Integer;
    s.defaultValue = def;
    s.minimum = min;
    s.maximum = max;
    s.help = help;
    s.required = required;
    return s;
}

ParameterSpec simple(const QString &name, Kind kind, const QString &def, const QString &help)
{
    ParameterSpec s;
    s.name = name;
    s.kind = kind;
    s.defaultValue = def;
    s.help = help;
    return s;
}

QList<ParameterSpec> wsSpecs()
{
    QList<ParameterSpec> specs;
    specs << integer(QStringLiteral("inbound.ws.port"), QString(), 1, 65535,
                     QStringLiteral("TCP port the endpoint listens on."), true);
    ParameterSpec broadcast;
    broadcast.name = QStringLiteral("ws.client.side.broadcast.level");
    broadcast.kind = Kind::Choice;
    broadcast.defaultValue = QStringLiteral("0");
    broadcast.help = QStringLiteral("Which connected clients `respond` delivers a backend "
                                    "message to.");
    broadcast.choices = {
        {QStringLiteral("0"), QStringLiteral("only the client the message belongs to")},
        {QStringLiteral("1"), QStringLiteral("every client connected on the same path")},
        {QStringLiteral("2"), QStringLiteral("every client on the same path except the "
                                             "originating one")},
    };
    specs << broadcast;
    specs << simple(QStringLiteral("ws.outflow.dispatch.sequence"), Kind::SequenceReference,
                    QString(),
                    QStringLiteral("Sequence that mediates messages coming back from the "
                                   "backend (outflow)."));
    specs << simple(QStringLiteral("ws.outflow.dispatch.fault.sequence"), Kind::SequenceReference,
                    QString(),
                    QStringLiteral("Sequence that runs when the outflow fails (backend refused "
                                   "or dropped the connection)."));
    specs << simple(QStringLiteral("ws.default.content.type"), Kind::Text, QString(),
                    QStringLiteral("Content type of client frames when the handshake named "
                                   "none (e.g. application/json)."));
    specs << integer(QStringLiteral("ws.shutdown.status.code"), QStringLiteral("1001"), 1000, 4999,
                     QStringLiteral("Close code sent to every client on undeploy and shutdown."));
    specs << simple(QStringLiteral("ws.shutdown.status.message"), Kind::Text,
                    QStringLiteral("Shutting down the server"),
                    QStringLiteral("Close reason sent with ws.shutdown.status.code."));
    specs << integer(QStringLiteral("ws.boss.thread.pool.size"), QStringLiteral("1"), 1, 64,
                     QStringLiteral("Accepted for MI compatibility; Sluice accepts connections "
                                    "on one thread and hands them to the workers."));
    specs << integer(QStringLiteral("ws.worker.thread.pool.size"), QStringLiteral("0"), 0, 256,
                     QStringLiteral("Event-loop threads serving connections (0: one per core)."));
    specs << simple(QStringLiteral("ws.subprotocol.handler.class"), Kind::Text, QString(),
                    QStringLiteral("Subprotocol handlers, comma separated; MI class names are "
                                   "mapped to Sluice's built-in handlers."));
    specs << simple(QStringLiteral("ws.pipeline.handler.class"), Kind::Text, QString(),
                    QStringLiteral("Accepted for MI compatibility; custom Netty pipeline "
                                   "handlers do not apply to Sluice."));
    specs << simple(QStringLiteral("dispatch.custom.sequence"), Kind::SequenceReference, QString(),
                    QStringLiteral("Sequence to dispatch client messages to instead of the "
                                   "endpoint's `sequence`."));
    specs << simple(QStringLiteral("ws.use.port.offset"), Kind::Boolean, QStringLiteral("false"),
                    QStringLiteral("Add the [server] offset of deployment.toml to the port."));
    specs << integer(QStringLiteral("ws.dispatch.idleTime"), QStringLiteral("0"), 0, 0,
                     QStringLiteral("Seconds a client connection may stay idle before it is "
                                    "closed (0: never)."));
    specs << integer(QStringLiteral("ws.outflow.dispatch.idleTime"), QStringLiteral("0"), 0, 0,
                     QStringLiteral("Seconds a backend connection may stay idle before it is "
                                    "closed (0: never)."));
    specs << simple(QStringLiteral("ws.pass.through.control.frames"), Kind::Boolean,
                    QStringLiteral("false"),
                    QStringLiteral("Accepted for MI compatibility. Sluice answers ping frames on "
                                   "each side itself and keeps each side alive on its own "
                                   "(ws.ping.*), so control frames are never forwarded."));
    specs << integer(QStringLiteral("ws.max.message.size"), QStringLiteral("16777216"), 1, 0,
                     QStringLiteral("Largest message in bytes; larger ones close the connection "
                                    "with 1009."));
    specs << integer(QStringLiteral("ws.max.connections"), QStringLiteral("10000"), 1, 0,
                     QStringLiteral("Most client connections the endpoint holds at once."));
    specs << integer(
        QStringLiteral("ws.handshake.timeout"), QStringLiteral("10"), 1, 3600,
        QStringLiteral("Seconds a client has to finish the opening handshake (with wss, the "
                       "TLS handshake included)."));
    specs << simple(
        QStringLiteral("ws.allowed.origins"), Kind::Text, QString(),
        QStringLiteral("Sluice: comma-separated Origin values browsers may connect from (e.g. "
                       "https://app.example.com); others get 403. Empty: any origin. Protects "
                       "browser clients against cross-site WebSocket hijacking."));
    specs << integer(QStringLiteral("ws.max.connections.per.address"), QStringLiteral("0"), 0, 0,
                     QStringLiteral("Sluice: most client connections from one IP address (429 "
                                    "beyond it); 0: no limit of its own."));
    specs << integer(QStringLiteral("ws.ping.interval"), QStringLiteral("0"), 0, 86400,
                     QStringLiteral("Sluice: seconds between keep-alive pings to each client and "
                                    "backend connection; 0: none."));
    specs << integer(QStringLiteral("ws.ping.timeout"), QStringLiteral("10"), 1, 3600,
                     QStringLiteral("Sluice: seconds a peer has to answer a keep-alive ping "
                                    "before it is taken for dead and its connection dropped."));
    specs << integer(
        QStringLiteral("ws.max.write.buffer.size"), QStringLiteral("67108864"), 65536, 0,
        QStringLiteral("Sluice: bytes that may wait to be written to a client or backend that "
                       "reads slower than it is sent to; beyond it the client is closed with "
                       "1008."));
    specs << simple(QStringLiteral("inbound.ws.host"), Kind::Text, QString(),
                    QStringLiteral("Address to bind (default: [server] bind_address)."));
    specs << simple(QStringLiteral("inbound.behavior"), Kind::Text, QStringLiteral("listening"),
                    QStringLiteral("Accepted for MI compatibility; WebSocket endpoints always "
                                   "listen."));
    return specs;
}

QList<ParameterSpec> wssSpecs()
{
    QList<ParameterSpec> specs = wsSpecs();
    specs << simple(QStringLiteral("wss.ssl.key.store.file"), Kind::FilePath, QString(),
                    QStringLiteral("Server certificate (then its chain) and private key: a PEM "
                                   "file or PKCS#12 (.p12); relative to the project. Required. "
                                   "JKS is refused with the keytool command that converts it."));
    specs << simple(QStringLiteral("wss.ssl.key.store.pass"), Kind::Secret, QString(),
                    QStringLiteral("Password of the key store; $env:NAME reads it from the "
                                   "environment."));
    specs << simple(QStringLiteral("wss.ssl.cert.pass"), Kind::Secret, QString(),
                    QStringLiteral("Password of an encrypted private key (default: the key store "
                                   "password); $env:NAME reads it from the environment."));
    specs << simple(QStringLiteral("wss.ssl.trust.store.file"), Kind::FilePath, QString(),
                    QStringLiteral("CA certificates (PEM or PKCS#12) that vouch for client "
                                   "certificates; given, clients must present one (see "
                                   "wss.ssl.verify.client)."));
    specs << simple(QStringLiteral("wss.ssl.trust.store.pass"), Kind::Secret, QString(),
                    QStringLiteral("Password of a PKCS#12 trust store; $env:NAME reads it from "
                                   "the environment."));
    specs << simple(QStringLiteral("wss.ssl.protocols"), Kind::Text,
                    QStringLiteral("TLSv1.2,TLSv1.3"),
                    QStringLiteral("TLS versions offered; TLSv1, TLSv1.1 and SSL are refused."));
    specs << simple(QStringLiteral("wss.ssl.cipher.suites"), Kind::Text, QString(),
                    QStringLiteral("Cipher suites offered, comma-separated OpenSSL or IANA names "
                                   "(default: the TLS library's)."));
    ParameterSpec verify;
    verify.name = QStringLiteral("wss.ssl.verify.client");
    verify.kind = Kind::Choice;
    verify.help = QStringLiteral("Client certificates (Sluice's parameter, named after axis2's "
                                 "SSLVerifyClient); default: require when a trust store is "
                                 "given, else none.");
    verify.choices = {
        {QStringLiteral("none"), QStringLiteral("not asked for")},
        {QStringLiteral("optional"), QStringLiteral("asked for; an offered one must be trusted")},
        {QStringLiteral("require"), QStringLiteral("a client without a trusted certificate is "
                                                   "refused")},
    };
    specs << verify;
    return specs;
}

} // namespace

const QList<ParameterSpec> &inboundParameterSpecs(const QString &protocol)
{
    static const QList<ParameterSpec> ws = wsSpecs();
    static const QList<ParameterSpec> wss = wssSpecs();
    static const QList<ParameterSpec> none;
    if (protocol == QLatin1String("ws"))
        return ws;
    if (protocol == QLatin1String("wss"))
        return wss;
    return none;
}

const ParameterSpec *findInboundParameterSpec(const QString &protocol, const QString &name)
{
    for (const ParameterSpec &spec : inboundParameterSpecs(protocol)) {
        if (spec.name == name)
            return &spec;
    }
    return nullptr;
}

std::optional<QString> checkParameterValue(const ParameterSpec &spec, const QString &value)
{
    const QString v = value.trimmed();
    switch (spec.kind) {
    case Kind::Integer: {
        bool ok = false;
        const qint64 n = v.toLongLong(&ok);
        if (!ok)
            return QStringLiteral("'%1' is not a whole number").arg(value);
        if (n < spec.minimum || (spec.maximum > 0 && n > spec.maximum)) {
            return spec.maximum > 0
                       ? QStringLiteral("%1 is outside %2..%3")
                             .arg(n)
                             .arg(spec.minimum)
                             .arg(spec.maximum)
                       : QStringLiteral("%1 is below the minimum %2").arg(n).arg(spec.minimum);
        }
        return std::nullopt;
    }
    case Kind::Boolean:
        if (v != QLatin1String("true") && v != QLatin1String("false"))
            return QStringLiteral("'%1' is not true or false").arg(value);
        return std::nullopt;
    case Kind::Choice: {
        QStringList allowed;
        for (const auto &c : spec.choices) {
            if (c.value == v)
                return std::nullopt;
            allowed << c.value;
        }
        return QStringLiteral("'%1' is not one of %2")
            .arg(value, allowed.join(QStringLiteral(", ")));
    }
    case Kind::SequenceReference:
        if (v.isEmpty())
            return QStringLiteral("a sequence name is needed");
        return std::nullopt;
    case Kind::EndpointReference:
        if (v.isEmpty())
            return QStringLiteral("an endpoint name is needed");
        return std::nullopt;
    case Kind::Expression:
        if (v.isEmpty())
            return QStringLiteral("an expression is needed");
        return std::nullopt;
    case Kind::Regex: {
        const QRegularExpression regex(value);
        if (!regex.isValid())
            return QStringLiteral("invalid regular expression: %1 (at offset %2)")
                .arg(regex.errorString())
                .arg(regex.patternErrorOffset());
        return std::nullopt;
    }
    case Kind::Text:
    case Kind::FilePath:
    case Kind::Secret:
        return std::nullopt;
    }
    return std::nullopt;
}

} // namespace sluice
