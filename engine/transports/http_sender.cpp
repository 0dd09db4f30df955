// SPDX-License-Identifier: Apache-2.0
#include "http_sender.h"

#include "artifacts/artifacts.h"
#include "client_tls.h"
#include "mediation/executor.h"
#include "mediation/mediation_environment.h"
#include "mediation/message_context.h"
#include "mediation/message_formatter.h"
#include "runtime/logger.h"

#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QSet>
#include <QSslCipher>
#include <QThread>
#include <QTimer>
#include <QUrl>

#include <chrono>
#include <climits>

namespace sluice {

namespace {

// Synapse's "sender input/output error sending": a failure that is neither a refused connection,
// a timeout nor a closed connection.
constexpr int kSenderIoError = 101500;

const QString kCategory = QStringLiteral("http-sender");
const QString kReceivingSequence = QStringLiteral("RECEIVING_SEQUENCE");

thread_local QNetworkAccessManager *t_network = nullptr;

// One manager per thread: its replies arrive on the thread that sent, where the message's flow
// runs, and its connection pool (per host and port) is only ever touched by that thread.
QNetworkAccessManager &networkForCurrentThread()
{
    if (!t_network) {
        t_network = new QNetworkAccessManager;
        // Backends see plain HTTP/1.1 keep-alive, as from MI's pass-through sender.
        t_network->setAutoDeleteReplies(false);
        if (QThread *thread = QThread::currentThread(); thread != nullptr)
            QObject::connect(thread, &QThread::finished, t_network, [] {
                delete t_network;
                t_network = nullptr;
            });
    }
    return *t_network;
}

bool isTrue(const QVariant &value)
{
    return MessageContext::propertyText(value).compare(QLatin1String("true"),
                                                       Qt::CaseInsensitive) == 0;
}

// Headers that belong to one hop (or that Qt writes itself from the request): the client's
// are not forwarded to the backend, the backend's not kept as properties of the answer.
bool isHopHeader(const QString &name)
{
    static const QSet<QString> names = {
        QStringLiteral("host"),         QStringLiteral("content-length"),
        QStringLiteral("connection"),   QStringLiteral("keep-alive"),
        QStringLiteral("expect"),       QStringLiteral("te"),
        QStringLiteral("upgrade"),      QStringLiteral("transfer-encoding"),
        QStringLiteral("trailer"),      QStringLiteral("proxy-connection"),
        QStringLiteral("content-type"),
    };
    return names.contains(name.toLower());
}

// MI: an http endpoint's method wins; otherwise the request keeps the method it came with
// (HTTP_METHOD); a message without one is POSTed when it has a body and fetched with GET if not.
QByteArray methodFor(const MessageContext &message, const EndpointDefinition &endpoint,
                     const QByteArray &body)
{
    if (!endpoint.method.isEmpty())
        return endpoint.method.toUpper().toLatin1();
    if (endpoint.format.compare(QLatin1String("get"), Qt::CaseInsensitive) == 0)
        return QByteArrayLiteral("GET");
    const QString method = MessageContext::propertyText(
        message.property(QStringLiteral("HTTP_METHOD"), PropertyScope::Axis2));
    if (!method.isEmpty())
        return method.toUpper().toLatin1();
    return body.isEmpty() ? QByteArrayLiteral("GET") : QByteArrayLiteral("POST");
}

// MI appends REST_URL_POSTFIX (what followed the proxy's or API's path) to an address endpoint;
// an http endpoint's uri-template is the whole address.
QString targetUri(const MessageContext &message, const EndpointDefinition &endpoint)
{
    if (endpoint.type == EndpointDefinition::Type::Http)
        return endpoint.uri;
    const QString postfix = MessageContext::propertyText(
        message.property(QStringLiteral("REST_URL_POSTFIX"), PropertyScope::Axis2));
    if (postfix.isEmpty())
        return endpoint.uri;
    QString uri = endpoint.uri;
    if (uri.endsWith(QLatin1Char('/')) && postfix.startsWith(QLatin1Char('/')))
        uri.chop(1);
    else if (!uri.endsWith(QLatin1Char('/')) && !postfix.startsWith(QLatin1Char('/')) &&
             !postfix.startsWith(QLatin1Char('?')))
        uri += QLatin1Char('/');
    return uri + postfix;
}

QNetworkRequest requestFor(const MessageContext &message, const QUrl &url, qint64 timeoutMillis)
{
    QNetworkRequest request(url);
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute,
                         QNetworkRequest::ManualRedirectPolicy);
    request.setAttribute(QNetworkRequest::Http2AllowedAttribute, false);
    // Backends get the body as it is: no transparent decompression of their answers.
    request.setRawHeader(QByteArrayLiteral("Accept-Encoding"), QByteArrayLiteral("identity"));
    // Qt's own transfer timeout is a safety net; the endpoint's timeout is the timer in send().
    request.setTransferTimeout(int(qMin<qint64>(timeoutMillis * 2, INT_MAX)));
    const PropertyMap &headers = message.properties(PropertyScope::Transport);
    for (auto it = headers.constBegin(); it != headers.constEnd(); ++it) {
        if (!isHopHeader(it.key()))
            request.setRawHeader(it.key().toUtf8(),
                                 MessageContext::propertyText(it.value()).toUtf8());
    }
    // The body was written in this format by formatForTransport() (message_formatter.h).
    const QString contentType = outgoingContentType(message);
    if (!contentType.isEmpty())
        request.setHeader(QNetworkRequest::ContentTypeHeader, contentType);
    return request;
}

// The backend's answer becomes the message, with MI's properties: HTTP_SC, ContentType and the
// response headers in the transport scope (the request's are gone, as in MI's response context).
void takeAnswer(MessageContext &message, QNetworkReply &reply)
{
    const PropertyMap old = message.properties(PropertyScope::Transport);
    for (auto it = old.constBegin(); it != old.constEnd(); ++it)
        message.removeProperty(it.key(), PropertyScope::Transport);
    for (const QNetworkReply::RawHeaderPair &header : reply.rawHeaderPairs()) {
        const QString name = QString::fromLatin1(header.first);
        if (!isHopHeader(name))
            message.setProperty(name, QString::fromUtf8(header.second), PropertyScope::Transport);
    }
    const QString contentType = QString::fromUtf8(reply.rawHeader("Content-Type"));
    message.setReceivedPayload(reply.readAll(), contentType, FrameKind::Text);
    message.setProperty(QStringLiteral("HTTP_SC"),
                        reply.attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(),
                        PropertyScope::Axis2);
    message.removeProperty(QStringLiteral("messageType"), PropertyScope::Axis2);
    message.removeProperty(QStringLiteral("NO_ENTITY_BODY"), PropertyScope::Axis2);
    if (contentType.isEmpty())
        message.removeProperty(QStringLiteral("ContentType"), PropertyScope::Axis2);
    else
        message.setProperty(QStringLiteral("ContentType"), contentType, PropertyScope::Axis2);
}

// MI's error code for a request that got no HTTP answer.
int errorCodeOf(QNetworkReply::NetworkError error, bool timedOut)
{
    if (timedOut)
        return ErrorCodes::kConnectionTimeout;
    switch (error) {
    case QNetworkReply::ConnectionRefusedError:
    case QNetworkReply::HostNotFoundError:
        return ErrorCodes::kConnectionFailed;
    case QNetworkReply::TimeoutError:
    case QNetworkReply::OperationCanceledError: // Qt's transfer timeout
        return ErrorCodes::kConnectionTimeout;
    case QNetworkReply::RemoteHostClosedError:
        return ErrorCodes::kConnectionClosed;
    default:
        return kSenderIoError;
    }
}

// Why an https:// request failed in its TLS handshake, or an empty string: the certificate
// errors that refused the backend (recorded by send()), a handshake error, or a connection the
// backend closed before a cipher was agreed (servers offering only TLS 1.0/1.1 often do so
// without an alert).
QString tlsFailureOf(QNetworkReply &reply)
{
    const QString refused = reply.property("sluiceTlsRefused").toString();
    if (!refused.isEmpty())
        return refused;
    if (reply.error() == QNetworkReply::SslHandshakeFailedError)
        return reply.errorString();
    if (reply.error() == QNetworkReply::RemoteHostClosedError &&
        reply.url().scheme().compare(QLatin1String("https"), Qt::CaseInsensitive) == 0 &&
        reply.sslConfiguration().sessionCipher().isNull())
        return QStringLiteral("the backend closed the connection during the TLS handshake (no "
                              "common TLS version or cipher with TLS 1.2 or later?)");
    return QString();
}

// A `send`'s answer continues where MI sends it: the send's receive sequence, else the
// artifact's outSequence, else straight back to the client.
void continueWithAnswer(const std::shared_ptr<MessageContext> &message,
                        const QString &faultSequence)
{
    message->setDirection(Direction::Outflow);
    const QString receiving = MessageContext::propertyText(message->property(kReceivingSequence));
    std::shared_ptr<const CompiledSequence> sequence =
        receiving.isEmpty() ? message->outSequence() : message->environment().sequence(receiving);
    if (sequence) {
        Executor::start(message, sequence, faultSequence);
        return;
    }
    if (const auto channel = message->responseChannel())
        channel->respond(*message);
    message->complete();
}

void fail(const std::shared_ptr<MessageContext> &message, MessageSender::Mode mode, int code,
          const QString &reason, const QString &faultSequence)
{
    Logger::instance().log(LogLevel::Warn, kCategory,
                           QStringLiteral("message %1: %2").arg(message->messageId()).arg(reason));
    message->removeProperty(kHttpReplyPending, PropertyScope::Axis2);
    if (mode == MessageSender::Mode::Send)
        message->setDirection(Direction::Outflow);
    Executor::resumeWithFault(message, code, reason,
                              mode == MessageSender::Mode::Send ? faultSequence : QString());
}

// MI's <timeout><responseAction>discard</responseAction>: a request that timed out runs no fault
// handler (Synapse's SynapseCallbackReceiver clears the fault stack for a timeout when the action
// is DISCARD) and its late answer is dropped. MI leaves the client to its own socket timeout;
// Sluice ends the flow with ERROR_CODE 101504 set, so a waiting HTTP client gets its 504 at once.
void discard(const std::shared_ptr<MessageContext> &message, const QString &reason)
{
    const QString text =
        QStringLiteral("%1; message discarded (responseAction discard)").arg(reason);
    Logger::instance().log(LogLevel::Warn, kCategory,
                           QStringLiteral("message %1: %2").arg(message->messageId()).arg(text));
    message->removeProperty(kHttpReplyPending, PropertyScope::Axis2);
    message->setFault(ErrorCodes::kConnectionTimeout, text);
    ExecutionState &state = message->execution();
    state.clear();
    state.finished = true;
    message->complete();
}

} // namespace

void HttpSender::send(const std::shared_ptr<MessageContext> &message,
                      const EndpointDefinition &endpoint, Mode mode)
{
    // A send's flow has ended when the answer comes: its fault handler is the one in force now.
    const QString faultSequence =
        mode == Mode::Send ? message->execution().innermostFaultSequence() : QString();
    const QString uri = targetUri(*message, endpoint);
    const QUrl url(uri, QUrl::StrictMode);
    if (!url.isValid() || url.host().isEmpty()) {
        // Answer on the next turn of the event loop, once the caller has suspended or returned.
        QTimer::singleShot(0, [message, mode, uri, faultSequence] {
            fail(message, mode, ErrorCodes::kSendFailure,
                 QStringLiteral("'%1' is not a valid HTTP address").arg(uri), faultSequence);
        });
        return;
    }
    const qint64 timeoutMillis = endpoint.timeoutMillis.value_or(0) > 0 ? *endpoint.timeoutMillis
                                                                        : kDefaultHttpTimeoutMillis;
    const QByteArray body =
        isTrue(message->property(QStringLiteral("NO_ENTITY_BODY"), PropertyScope::Axis2))
            ? QByteArray()
            : message->payload();
    const QByteArray method = methodFor(*message, endpoint, body);
    QNetworkRequest request = requestFor(*message, url, timeoutMillis);
    const bool secure = url.scheme().compare(QLatin1String("https"), Qt::CaseInsensitive) == 0;
    if (secure && (!m_tls || !m_tls->unusable.isEmpty())) {
        // Never sent unchecked (or in plain text) when the sender has no usable TLS settings.
        const QString why = m_tls ? m_tls->unusable : QStringLiteral("no TLS settings");
        // As for a request that fails later: the client waits for the fault handler's answer.
        if (mode == Mode::Send && !isTrue(message->property(QStringLiteral("OUT_ONLY"))))
            message->setProperty(kHttpReplyPending, true, PropertyScope::Axis2);
        QTimer::singleShot(0, [message, mode, uri, faultSequence, why] {
            fail(message, mode, ErrorCodes::kConnectionFailed,
                 QStringLiteral("%1: TLS handshake failed: %2").arg(uri, why), faultSequence);
        });
        return;
    }
    if (secure)
        request.setSslConfiguration(m_tls->configuration);
    QNetworkReply *reply = networkForCurrentThread().sendCustomRequest(request, method, body);
    if (secure) {
        QObject::connect(reply, &QNetworkReply::sslErrors, reply,
                         [reply, tls = m_tls](const QList<QSslError> &errors) {
                             const QList<QSslError> acceptable = acceptableTlsErrors(errors, *tls);
                             if (acceptable.size() == errors.size()) {
                                 reply->ignoreSslErrors(acceptable);
                                 return;
                             }
                             reply->setProperty(
                                 "sluiceTlsRefused",
                                 QStringLiteral("the backend certificate was "
                                                "refused (%1; trusting %2)")
                                     .arg(describeTlsErrors(errors), tls->trustSource));
                         });
    }
    // OUT_ONLY: MI expects no answer (the client got 202); one that comes anyway is dropped.
    const bool outOnly =
        mode == Mode::Send && isTrue(message->property(QStringLiteral("OUT_ONLY")));
    if (mode == Mode::Send && !outOnly)
        message->setProperty(kHttpReplyPending, true, PropertyScope::Axis2);

    auto *timer = new QTimer(reply);
    timer->setSingleShot(true);
    QObject::connect(timer, &QTimer::timeout, reply, [reply] {
        reply->setProperty("sluiceTimedOut", true);
        reply->abort();
    });
    timer->start(std::chrono::milliseconds(timeoutMillis));

    const bool discardOnTimeout =
        endpoint.timeoutAction.compare(QLatin1String("discard"), Qt::CaseInsensitive) == 0;
    QObject::connect(
        reply, &QNetworkReply::finished, reply,
        [reply, message, mode, outOnly, uri, method, timeoutMillis, faultSequence,
         discardOnTimeout] {
            reply->deleteLater();
            const QVariant status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute);
            const bool timedOut = reply->property("sluiceTimedOut").toBool();
            if (!status.isValid() || timedOut) {
                const QString tls = timedOut ? QString() : tlsFailureOf(*reply);
                const int code = !tls.isEmpty() ? int(ErrorCodes::kConnectionFailed)
                                                : errorCodeOf(reply->error(), timedOut);
                const QString reason =
                    !tls.isEmpty() ? QStringLiteral("%1 %2: TLS handshake failed: %3")
                                         .arg(QString::fromLatin1(method), uri, tls)
                    : code == ErrorCodes::kConnectionTimeout
                        ? QStringLiteral("%1 %2: no answer within %3 ms")
                              .arg(QString::fromLatin1(method), uri)
                              .arg(timeoutMillis)
                        : QStringLiteral("%1 %2: %3")
                              .arg(QString::fromLatin1(method), uri, reply->errorString());
                if (code == ErrorCodes::kConnectionTimeout && discardOnTimeout && !outOnly)
                    discard(message, reason);
                else
                    fail(message, mode, code, reason, faultSequence);
                return;
            }
            if (outOnly)
                return;
            takeAnswer(*message, *reply);
            if (mode == Mode::Call) {
                Executor::resume(message);
                return;
            }
            message->removeProperty(kHttpReplyPending, PropertyScope::Axis2);
            continueWithAnswer(message, faultSequence);
        });
}

} // namespace sluice
