// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "redis_value.h"

#include <QByteArray>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QString>
#include <QTimer>
#include <deque>
#include <functional>
#include <memory>

class QSslSocket;
struct redisReader;

namespace sluice {

struct ClientTls;

// Where a Redis server is and how to log in. `tls` null: plain TCP.
struct RedisTarget {
    QString host;
    int port = 6379;
    QString username;
    QByteArray password; // empty: no AUTH
    std::shared_ptr<const ClientTls> tls;
    QString address() const { return QStringLiteral("%1:%2").arg(host).arg(port); }
};

// One connection to Redis in the Qt event loop of its thread: a QSslSocket (TLS or plain TCP)
// that never blocks, with hiredis' own RESP writer (redisFormatCommandArgv) and reader
// (redisReader). Commands are pipelined; each reply goes to its command's callback in order.
// Replies that answer no command (pub/sub messages) are emitted as pushed().
class RedisConnection : public QObject {
    Q_OBJECT
public:
    using Callback = std::function<void(const RedisValue &)>;

    RedisConnection(RedisTarget target, QObject *parent = nullptr);
    ~RedisConnection() override;

    // Connects (and logs in); ready() or lost() follows. Within `timeoutMs` or lost().
    void open(int timeoutMs);
    // Drops the connection; pending callbacks get an error reply; no signal.
    void close();
    bool isReady() const { return m_ready; }
    // Queues a command; `callback` (may be empty) gets its reply, or an error when the connection
    // is lost first.
    void command(const QList<QByteArray> &arguments, Callback callback = {});
    // Bytes written but not yet taken by the kernel (back pressure of a slow Redis).
    qint64 bytesToWrite() const;
    // Writes what it can now without waiting (a node leaving the cluster).
    void flush();
    // Commands sent whose reply has not come yet.
    qsizetype pendingReplies() const { return qsizetype(m_pending.size()); }

signals:
    void ready();
    // Once per connection: why it could not be made or went away (never the password).
    void lost(const QString &reason);
    void pushed(const RedisValue &value);

private:
    void connected();
    void readReplies();
    void fail(const QString &reason);
    void failPending(const QByteArray &reason);

    RedisTarget m_target;
    QSslSocket *m_socket = nullptr;
    redisReader *m_reader = nullptr;
    std::deque<Callback> m_pending;
    QTimer m_connectTimer;
    bool m_ready = false;
};

} // namespace sluice
