// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "message_events.h"

#include <QObject>
#include <memory>

class QWebSocket;

namespace sluice {

// One client of GET /management/events/stream: every event that matches its filter, as one JSON
// text frame. Events arrive on worker threads; they are queued (bounded) and sent from this
// object's thread. When the client reads too slowly the queue fills, further events are dropped
// and counted, and the client gets {"dropped":N} before the next event it does receive.
class ManagementEventStream : public QObject {
    Q_OBJECT
public:
    // Takes ownership of `socket`; deletes itself when the client goes away.
    ManagementEventStream(QWebSocket *socket, MessageEventHub &hub, MessageEventFilter filter,
                          QObject *parent = nullptr);
    ~ManagementEventStream() override;

    // Stops the stream with a close frame (1001 going away), as when the runtime shuts down.
    void closeStream();

    static constexpr int kMaxQueuedEvents = 4096;
    // Bytes handed to the socket but not yet written to the network before we stop sending.
    static constexpr qint64 kMaxUnsentBytes = 1024 * 1024;

private:
    struct Shared;
    void flush();

    QWebSocket *m_socket;
    MessageEventHub &m_hub;
    int m_subscription = 0;
    std::shared_ptr<Shared> m_shared;
    qint64 m_unsentBytes = 0;
};

} // namespace sluice
