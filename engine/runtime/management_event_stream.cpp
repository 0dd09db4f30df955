// SPDX-License-Identifier: Apache-2.0
#include "management_event_stream.h"

#include "message_event_json.h"

#include <QJsonDocument>
#include <QWebSocket>
#include <deque>
#include <mutex>

namespace sluice {

// What the hub's callback (any worker thread) and the stream (its own thread) share. The
// callback may still run after unsubscribe() returned, so it never touches the stream itself
// unless `owner` is set, which the stream clears under the mutex before it dies.
struct ManagementEventStream::Shared {
    std::mutex mutex;
    ManagementEventStream *owner = nullptr;
    std::deque<MessageEvent> queue;
    quint64 dropped = 0;
    bool flushScheduled = false;
};

ManagementEventStream::ManagementEventStream(QWebSocket *socket, MessageEventHub &hub,
                                             MessageEventFilter filter, QObject *parent)
    : QObject(parent)
    , m_socket(socket)
    , m_hub(hub)
    , m_shared(std::make_shared<Shared>())
{
    m_socket->setParent(this);
    m_shared->owner = this;
    connect(m_socket, &QWebSocket::disconnected, this, &QObject::deleteLater);
    connect(m_socket, &QWebSocket::bytesWritten, this, [this](qint64 bytes) {
        m_unsentBytes = qMax<qint64>(0, m_unsentBytes - bytes);
        flush();
    });
    const std::shared_ptr<Shared> shared = m_shared;
    m_subscription = hub.subscribe(
        [shared](const MessageEvent &event) {
            std::lock_guard<std::mutex> lock(shared->mutex);
            if (!shared->owner)
                return;
            if (shared->queue.size() >= size_t(kMaxQueuedEvents)) {
                ++shared->dropped;
                return;
            }
            shared->queue.push_back(event);
            if (!shared->flushScheduled) {
                shared->flushScheduled = true;
                QMetaObject::invokeMethod(shared->owner, &ManagementEventStream::flush,
                                          Qt::QueuedConnection);
            }
        },
        std::move(filter));
}

ManagementEventStream::~ManagementEventStream()
{
    m_hub.unsubscribe(m_subscription);
    std::lock_guard<std::mutex> lock(m_shared->mutex);
    m_shared->owner = nullptr;
}

void ManagementEventStream::closeStream()
{
    m_hub.unsubscribe(std::exchange(m_subscription, 0));
    m_socket->close(QWebSocketProtocol::CloseCodeGoingAway, QStringLiteral("runtime stopping"));
}

void ManagementEventStream::flush()
{
    std::deque<MessageEvent> batch;
    quint64 dropped = 0;
    {
        std::lock_guard<std::mutex> lock(m_shared->mutex);
        m_shared->flushScheduled = false;
        if (m_unsentBytes > kMaxUnsentBytes)
            return; // bytesWritten() calls flush() again once the client caught up
        batch.swap(m_shared->queue);
        dropped = std::exchange(m_shared->dropped, 0);
    }
    if (m_socket->state() != QAbstractSocket::ConnectedState)
        return;
    if (dropped > 0) {
        const QJsonObject notice{{QStringLiteral("dropped"), qint64(dropped)}};
        m_unsentBytes += m_socket->sendTextMessage(
            QString::fromUtf8(QJsonDocument(notice).toJson(QJsonDocument::Compact)));
    }
    for (const MessageEvent &event : batch) {
        const QByteArray json =
            QJsonDocument(messageEventToJson(event)).toJson(QJsonDocument::Compact);
        m_unsentBytes += m_socket->sendTextMessage(QString::fromUtf8(json));
    }
}

} // namespace sluice
