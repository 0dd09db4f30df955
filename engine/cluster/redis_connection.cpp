// SPDX-License-Identifier: Apache-2.0
#include "redis_connection.h"

#include "transports/client_tls.h"

#include <QSslSocket>
#include <hiredis/hiredis.h>
#include <vector>

namespace sluice {

RedisConnection::RedisConnection(RedisTarget target, QObject *parent)
    : QObject(parent)
    , m_target(std::move(target))
    , m_connectTimer(this) // a child: it moves to the connection's thread with it
{
    m_connectTimer.setSingleShot(true);
    connect(&m_connectTimer, &QTimer::timeout, this, [this] {
        fail(
            QStringLiteral("no answer from %1 within the connect timeout").arg(m_target.address()));
    });
}

RedisConnection::~RedisConnection()
{
    close();
}

void RedisConnection::open(int timeoutMs)
{
    close();
    m_reader = redisReaderCreate();
    m_socket = new QSslSocket(this);
    QSslSocket *socket = m_socket;
    connect(socket, &QSslSocket::readyRead, this, &RedisConnection::readReplies);
    connect(socket, &QAbstractSocket::errorOccurred, this, [this, socket] {
        if (socket == m_socket)
            fail(socket->errorString());
    });
    connect(socket, &QAbstractSocket::disconnected, this, [this, socket] {
        if (socket == m_socket)
            fail(QStringLiteral("%1 closed the connection").arg(m_target.address()));
    });
    m_connectTimer.start(timeoutMs);
    if (m_target.tls) {
        const ClientTls &tls = *m_target.tls;
        socket->setSslConfiguration(tls.configuration);
        connect(socket, &QSslSocket::sslErrors, this, [this, socket](const QList<QSslError> &e) {
            const QList<QSslError> acceptable = acceptableTlsErrors(e, *m_target.tls);
            if (acceptable.size() == e.size())
                socket->ignoreSslErrors(acceptable);
            else
                fail(QStringLiteral("TLS with %1 refused: %2")
                         .arg(m_target.address(), describeTlsErrors(e)));
        });
        connect(socket, &QSslSocket::encrypted, this, &RedisConnection::connected);
        socket->connectToHostEncrypted(m_target.host, quint16(m_target.port));
    } else {
        connect(socket, &QAbstractSocket::connected, this, &RedisConnection::connected);
        socket->connectToHost(m_target.host, quint16(m_target.port));
    }
}

void RedisConnection::connected()
{
    m_socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    if (m_target.password.isEmpty()) {
        m_connectTimer.stop();
        m_ready = true;
        emit ready();
        return;
    }
    QList<QByteArray> auth{QByteArrayLiteral("AUTH")};
    if (!m_target.username.isEmpty())
        auth << m_target.username.toUtf8();
    auth << m_target.password;
    command(auth, [this](const RedisValue &reply) {
        if (reply.isError()) {
            // Redis' own text ("WRONGPASS ...", "ERR AUTH ... no password is set"): no secret.
            fail(QStringLiteral("%1 refused the login: %2")
                     .arg(m_target.address(), QString::fromUtf8(reply.text)));
            return;
        }
        m_connectTimer.stop();
        m_ready = true;
        emit ready();
    });
}

void RedisConnection::command(const QList<QByteArray> &arguments, Callback callback)
{
    if (!m_socket) {
        if (callback)
            callback(RedisValue::error("not connected"));
        return;
    }
    std::vector<const char *> argv;
    std::vector<size_t> lengths;
    argv.reserve(size_t(arguments.size()));
    lengths.reserve(size_t(arguments.size()));
    for (const QByteArray &argument : arguments) {
        argv.push_back(argument.constData());
        lengths.push_back(size_t(argument.size()));
    }
    char *formatted = nullptr;
    const int length =
        redisFormatCommandArgv(&formatted, int(argv.size()), argv.data(), lengths.data());
    if (length < 0) {
        if (callback)
            callback(RedisValue::error("cannot format the command"));
        return;
    }
    m_socket->write(formatted, length);
    redisFreeCommand(formatted);
    m_pending.push_back(std::move(callback));
}

qint64 RedisConnection::bytesToWrite() const
{
    return m_socket ? m_socket->bytesToWrite() : 0;
}

void RedisConnection::flush()
{
    if (m_socket)
        m_socket->flush();
}

void RedisConnection::readReplies()
{
    QSslSocket *socket = m_socket;
    const QByteArray data = socket->readAll();
    if (redisReaderFeed(m_reader, data.constData(), size_t(data.size())) != REDIS_OK) {
        fail(QStringLiteral("unreadable reply from %1").arg(m_target.address()));
        return;
    }
    for (;;) {
        void *raw = nullptr;
        if (redisReaderGetReply(m_reader, &raw) != REDIS_OK) {
            fail(QStringLiteral("protocol error from %1: %2")
                     .arg(m_target.address(), QString::fromUtf8(m_reader->errstr)));
            return;
        }
        if (!raw)
            return;
        const RedisValue value = RedisValue::fromReply(*static_cast<redisReply *>(raw));
        freeReplyObject(raw);
        // Pub/sub messages answer no command; everything else answers the oldest one.
        if (value.isArrayOf("pmessage") || value.isArrayOf("message") || m_pending.empty()) {
            emit pushed(value);
        } else {
            Callback callback = std::move(m_pending.front());
            m_pending.pop_front();
            if (callback)
                callback(value);
        }
        if (socket != m_socket) // a callback closed or reopened the connection
            return;
    }
}

void RedisConnection::fail(const QString &reason)
{
    if (!m_socket)
        return;
    close();
    emit lost(reason);
}

void RedisConnection::failPending(const QByteArray &reason)
{
    std::deque<Callback> pending;
    pending.swap(m_pending);
    for (Callback &callback : pending) {
        if (callback)
            callback(RedisValue::error(reason));
    }
}

void RedisConnection::close()
{
    m_connectTimer.stop();
    m_ready = false;
    if (m_socket) {
        QSslSocket *socket = m_socket;
        m_socket = nullptr;
        socket->disconnect(this);
        socket->abort();
        socket->deleteLater();
    }
    if (m_reader) {
        redisReaderFree(m_reader);
        m_reader = nullptr;
    }
    failPending("connection closed");
}

} // namespace sluice
