// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "epoll_event_dispatcher.h"
#include "mediation/message_context.h"
#include "ws_frame_reader.h"

#include <QBasicTimer>
#include <QObject>
#include <QPointer>
#include <QString>
#include <sys/uio.h>

class QAbstractSocket;

namespace sluice {

// A WebSocket connection after its opening handshake, on the socket it was made on: Sluice's own
// data path below QWebSocket (docs/performance.md, "A WebSocket data path of Sluice's own").
// Plain sockets (a bare, unbuffered QAbstractSocket) are read with recv(2) into a buffer shared
// by the thread's connections and frames are parsed from there; TLS sockets are read from
// QSslSocket. An unmasked frame goes out as its header and the payload's own bytes in one
// sendmsg(2), a masked one (Sluice as a client) is masked into one buffer and written at once;
// what the kernel does not take waits in the socket's write buffer (bytesToWrite()).
// On a worker thread (EpollEventDispatcher) a plain socket's input is reported to the stream
// directly; Qt's read notifier, which an unbuffered socket turns off after a readyRead nobody
// re-arms, stays off. Elsewhere the stream follows readyRead.
// Ping frames are answered, the closing handshake is answered or awaited (then the connection is
// dropped after kCloseTimeoutMs), and a protocol error fails the connection with its close code.
class WsStream : public QObject, private EpollEventDispatcher::Reader {
public:
    class Handler {
    public:
        virtual void wsMessage(const QByteArray &payload, FrameKind kind) = 0;
        virtual void wsPong() = 0;
        // The TCP connection is gone (called once); closeHandshake() and closeCode() say how.
        virtual void wsDisconnected() = 0;

    protected:
        ~Handler() = default;
    };

    // `socket`: connected, its handshake done; the stream does not own it.
    WsStream(QAbstractSocket *socket, WsFrameReader::Role role, qint64 maxMessageSize,
             Handler *handler, QObject *parent);
    ~WsStream() override;

    // Starts reading; `early`: bytes that came with the handshake and belong to the frames.
    void start(const QByteArray &early);
    void send(const QByteArray &payload, FrameKind kind);
    void ping();
    // Starts the closing handshake (nothing when it has started already).
    void close(int code, const QString &reason);
    void abort();

    // Inline: asked before every frame, and a plain stream with nothing queued (the common case)
    // answers without a call.
    qint64 bytesToWrite() const { return m_plain && !m_queued ? 0 : queuedBytes(); }
    bool isOpen() const { return !m_gone; }
    // A close frame was sent or received.
    bool closeHandshake() const { return m_closeSent || m_closeReceived; }
    // The code and reason of the first close frame either side sent (1000 for one without).
    int closeCode() const { return m_closeCode; }
    const QString &closeReason() const { return m_closeReason; }
    QAbstractSocket *socket() const { return m_socket; }

protected:
    void timerEvent(QTimerEvent *event) override;

private:
    // What Qt's write buffer holds (a TLS stream, or a plain one after a partial write).
    qint64 queuedBytes() const;
    void descriptorReadable() override { readReady(); }
    void stopWatching();
    void readReady();
    void readPlain();
    // Parses `size` bytes; false once the stream stopped taking input (closed, failed, gone).
    bool feed(const char *data, qsizetype size);
    void closeFrameReceived();
    void failConnection(int code, const QString &reason);
    void writeFrame(WsOpcode opcode, const char *payload, qsizetype size);
    void writeUnmaskedPlain(WsOpcode opcode, const char *payload, qsizetype size);
    void writePlain(const char *data, qsizetype size);
    qsizetype sendPlain(const iovec *parts, int count);
    qsizetype sendPlain(const char *data, size_t size);
    // A send's result: what the kernel took, 0 when it would block, -1 when broken (aborted).
    qsizetype sent(ssize_t written);
    // Hands what the kernel would not take to Qt's write buffer, which sends it when it can.
    void queue(const char *data, qsizetype size);
    void gone();

    QAbstractSocket *m_socket;
    Handler *m_handler;
    // The dispatcher that reports input directly, and the descriptor it watches (-1: none).
    QPointer<EpollEventDispatcher> m_dispatcher;
    qintptr m_watched = -1;
    WsFrameReader m_reader;
    bool m_plain;
    bool m_masking;
    // A plain socket's descriptor, written to directly (-1 for TLS).
    int m_descriptor;
    // Qt's write buffer may hold bytes (what the kernel did not take): until it is empty again,
    // frames go through it to keep their order. While false, sending touches no Qt object.
    mutable bool m_queued = false;
    bool m_closeSent = false;
    bool m_closeReceived = false;
    bool m_gone = false;
    qint64 m_droppedAfterClose = 0; // bytes read after our close frame
    int m_closeCode = 1000;
    QString m_closeReason;
    QBasicTimer m_closeTimer; // our close frame unanswered
};

// How long a connection that sent its close frame waits for the peer's before dropping it.
inline constexpr int kCloseTimeoutMs = 5000;

} // namespace sluice
