// SPDX-License-Identifier: Apache-2.0
#include "ws_stream.h"
#include "direct_socket_calls.h"
#include "plain_socket_input.h"
#include "ws_frame_mask.h"
#include "ws_frame_writer.h"

#include <QAbstractSocket>
#include <QRandomGenerator>
#include <QScopeGuard>
#include <QSslSocket>
#include <QTimerEvent>
#include <cerrno>
#include <memory>
#include <sys/socket.h>
#include <sys/uio.h>

namespace sluice {

namespace {

// One read takes at most this much; a shorter read means the kernel had no more.
constexpr qint64 kReadChunk = 64 * 1024;
// After our close frame: how much a peer may still send before its own close frame.
constexpr qint64 kMaxDroppedAfterClose = 1024 * 1024;

// The thread's read buffer: connections parse their input from it and keep none of their own
// between reads (an idle connection holds no input buffer, docs/performance.md W3). A read that
// happens while the buffer is in use (a mediation that reads another connection re-entrantly)
// gets a buffer of its own.
struct ReadBuffer {
    std::unique_ptr<char[]> bytes; // kReadChunk bytes, made on the thread's first read
    bool inUse = false;
};
thread_local ReadBuffer t_read;

// The thread's output buffer for frames that are masked (Sluice as a client) or go through TLS;
// after a frame larger than kKeptWriteBuffer it is freed rather than kept at that size.
thread_local QByteArray t_write;
constexpr qsizetype kKeptWriteBuffer = 256 * 1024;
// Frames up to this size are built on the stack (writeFrame): masked ones always, unmasked ones
// so that they go out with send(2) rather than a two-part sendmsg(2).
constexpr qsizetype kStackFrame = 1024;

std::array<unsigned char, 4> nextMaskKey()
{
    // RFC 6455 5.3: an unpredictable key per frame. A generator per thread, seeded from the
    // system's once: QRandomGenerator::global() takes a lock per call.
    // Keys are drawn 64 at a time: a call into the generator per frame cost more than the
    // masking of a small frame.
    thread_local QRandomGenerator generator(QRandomGenerator::system()->generate());
    thread_local std::array<quint32, 64> keys;
    thread_local size_t used = keys.size();
    if (used == keys.size()) [[unlikely]] {
        generator.fillRange(keys.data(), qsizetype(keys.size()));
        used = 0;
    }
    const quint32 value = keys[used++];
    std::array<unsigned char, 4> key;
    std::memcpy(key.data(), &value, 4);
    return key;
}

} // namespace

WsStream::WsStream(QAbstractSocket *socket, WsFrameReader::Role role, qint64 maxMessageSize,
                   Handler *handler, QObject *parent)
    : QObject(parent)
    , m_socket(socket)
    , m_handler(handler)
    , m_reader(role, maxMessageSize)
    , m_plain(!qobject_cast<QSslSocket *>(socket))
    , m_masking(role == WsFrameReader::Role::Client)
    , m_descriptor(m_plain ? int(socket->socketDescriptor()) : -1)
{
}

// The socket may be gone already (a sibling deleted first): its owner disconnects it.
WsStream::~WsStream()
{
    stopWatching();
}

void WsStream::start(const QByteArray &early)
{
    if (m_plain)
        m_dispatcher = EpollEventDispatcher::ofCurrentThread();
    if (!m_dispatcher)
        connect(m_socket, &QAbstractSocket::readyRead, this, &WsStream::readReady);
    connect(m_socket, &QAbstractSocket::disconnected, this, &WsStream::gone);
    if (m_socket->state() != QAbstractSocket::ConnectedState) {
        gone();
        return;
    }
    if (m_dispatcher) {
        m_watched = m_socket->socketDescriptor();
        m_dispatcher->addReader(m_watched, this);
    }
    if (!early.isEmpty() && !feed(early.constData(), early.size()))
        return;
    // Bytes Qt buffered before the stream took over (TLS), or that the kernel holds (plain).
    readReady();
}

qint64 WsStream::queuedBytes() const
{
    const qint64 waiting = m_socket->bytesToWrite();
    if (waiting == 0)
        m_queued = false;
    return waiting;
}

void WsStream::readReady()
{
    if (m_gone)
        return;
    if (m_plain) {
        readPlain();
        return;
    }
    if (m_socket->bytesAvailable() <= 0)
        return;
    const QByteArray bytes = m_socket->readAll();
    feed(bytes.constData(), bytes.size());
}

void WsStream::stopWatching()
{
    if (m_watched < 0)
        return;
    if (m_dispatcher)
        m_dispatcher->removeReader(m_watched, this);
    m_watched = -1;
}

void WsStream::readPlain()
{
    std::unique_ptr<char[]> own;
    const bool shared = !t_read.inUse;
    std::unique_ptr<char[]> &storage = shared ? t_read.bytes : own;
    t_read.inUse = true;
    const auto release = qScopeGuard([shared] {
        if (shared)
            t_read.inUse = false;
    });
    // Received straight into the buffer the frame reader reads from: no copy. A bare array, not
    // a QByteArray: nothing to check for sharing on each use.
    if (!storage) [[unlikely]]
        storage.reset(new char[size_t(kReadChunk)]);
    char *const buffer = storage.get();
    for (;;) {
        qsizetype received = 0;
        // Read directly, the dispatcher watches the descriptor; else through Qt's socket, which
        // re-arms its read notification when the kernel has nothing more.
        const PlainRead result =
            m_watched >= 0
                ? receiveDescriptor(int(m_watched), buffer, size_t(kReadChunk), &received)
                : receivePlainSocket(m_socket, buffer, size_t(kReadChunk), &received);
        if (result == PlainRead::End || result == PlainRead::Failed) {
            // The peer went without (finishing) a closing handshake, or after it.
            abort();
            return;
        }
        if (result == PlainRead::Drained || !feed(buffer, received))
            return;
        // A short read took all the kernel had (Last): no second recv(2) to learn it; the
        // (level-triggered) notification says when there is more.
        if (result == PlainRead::Last)
            return;
    }
}

bool WsStream::feed(const char *data, qsizetype size)
{
    using Event = WsFrameReader::Event;
    while (!m_gone && !m_closeReceived) {
        qsizetype used = 0;
        const Event event = m_reader.next(data, size, &used);
        data += used;
        size -= used;
        if (m_closeSent) {
            // Waiting for the peer's close frame; what comes before it is dropped, and a peer
            // that keeps sending instead of answering is not waited for.
            m_droppedAfterClose += used;
            if (m_droppedAfterClose > kMaxDroppedAfterClose) {
                abort();
                return false;
            }
        }
        switch (event) {
        case Event::NeedMore:
            return true;
        case Event::Message: {
            const FrameKind kind = m_reader.messageIsText() ? FrameKind::Text : FrameKind::Binary;
            const QByteArray payload = m_reader.takeMessage();
            // After our close frame the peer's data is not taken up any more (RFC 6455 1.4).
            if (!m_closeSent)
                m_handler->wsMessage(payload, kind);
            // All of the buffer taken (the common case): no second look at an empty rest, which
            // the reader would answer with NeedMore.
            if (size == 0)
                return !m_gone && !m_closeReceived;
            break;
        }
        case Event::Ping:
            if (!m_closeSent)
                writeFrame(WsOpcode::Pong, m_reader.control().constData(),
                           m_reader.control().size());
            break;
        case Event::Pong:
            m_handler->wsPong();
            break;
        case Event::Close:
            closeFrameReceived();
            return false;
        case Event::Error:
            failConnection(m_reader.errorCode(), m_reader.errorReason());
            return false;
        }
    }
    return false;
}

void WsStream::closeFrameReceived()
{
    m_closeReceived = true;
    if (!m_closeSent) {
        // The peer started the closing handshake: its code is the connection's, and is echoed
        // (RFC 6455 5.5.1); a close without a code is answered without one.
        const int code = m_reader.closeCode();
        m_closeCode = code == 1005 ? 1000 : code;
        m_closeReason = m_reader.closeReason();
        const QByteArray payload = code == 1005 ? QByteArray() : wsClosePayload(code, QString());
        m_closeSent = true;
        writeFrame(WsOpcode::Close, payload.constData(), payload.size());
    }
    m_closeTimer.stop();
    // Both close frames are out: the TCP connection ends (what is written still goes).
    if (!m_gone)
        m_socket->disconnectFromHost();
}

void WsStream::failConnection(int code, const QString &reason)
{
    if (!m_closeSent) {
        m_closeSent = true;
        m_closeCode = code;
        m_closeReason = reason;
        const QByteArray payload = wsClosePayload(code, reason);
        writeFrame(WsOpcode::Close, payload.constData(), payload.size());
    }
    m_closeReceived = true; // nothing more is read
    if (!m_gone)
        m_socket->disconnectFromHost();
}

void WsStream::close(int code, const QString &reason)
{
    if (m_gone || m_closeSent)
        return;
    m_closeSent = true;
    m_closeCode = code;
    m_closeReason = reason;
    const QByteArray payload = wsClosePayload(code, reason);
    writeFrame(WsOpcode::Close, payload.constData(), payload.size());
    if (!m_gone)
        m_closeTimer.start(kCloseTimeoutMs, this);
}

void WsStream::abort()
{
    if (!m_gone)
        m_socket->abort(); // emits disconnected: gone()
    gone();
}

void WsStream::timerEvent(QTimerEvent *event)
{
    if (event->timerId() != m_closeTimer.timerId()) {
        QObject::timerEvent(event);
        return;
    }
    m_closeTimer.stop();
    abort(); // the peer never answered our close frame
}

void WsStream::gone()
{
    if (m_gone)
        return;
    m_gone = true;
    // Before control returns to the event loop: the descriptor is closed, or about to be.
    stopWatching();
    m_closeTimer.stop();
    m_handler->wsDisconnected();
}

void WsStream::send(const QByteArray &payload, FrameKind kind)
{
    if (m_gone || m_closeSent)
        return;
    writeFrame(kind == FrameKind::Binary ? WsOpcode::Binary : WsOpcode::Text, payload.constData(),
               payload.size());
}

void WsStream::ping()
{
    if (!m_gone && !m_closeSent)
        writeFrame(WsOpcode::Ping, nullptr, 0);
}

void WsStream::writeFrame(WsOpcode opcode, const char *payload, qsizetype size)
{
    if (m_gone)
        return;
    const bool direct = m_plain && bytesToWrite() == 0;
    std::array<unsigned char, 4> key;
    if (m_masking)
        key = nextMaskKey();
    if (direct && size <= kStackFrame) {
        // A small frame is built behind its header on the stack and goes out with send(2):
        // copying it costs less than the kernel spends taking a message header and a vector
        // of two parts (sendmsg(2) against send(2) of 66 bytes on this machine: +360 ns a call,
        // docs/performance.md), and a masked one (Sluice as a client) grows no buffer.
        char frame[kWsMaxHeaderSize + kStackFrame];
        const int header = writeWsFrameHeader(frame, opcode, size, m_masking ? &key : nullptr);
        if (m_masking)
            copyMasked(frame + header, payload, size, key, 0);
        else if (size > 0)
            std::memcpy(frame + header, payload, size_t(size));
        writePlain(frame, header + size);
        return;
    }
    if (direct && !m_masking) {
        writeUnmaskedPlain(opcode, payload, size);
        return;
    }
    t_write.resize(0);
    appendWsFrame(t_write, opcode, payload, size, m_masking ? &key : nullptr);
    if (direct)
        writePlain(t_write.constData(), t_write.size());
    else
        queue(t_write.constData(), t_write.size());
    if (t_write.capacity() > kKeptWriteBuffer)
        t_write = QByteArray();
    // Written now, not when the event loop next finds the socket writable: QSslSocket encrypts
    // and sends on flush.
    if (!m_plain)
        m_socket->flush();
}

void WsStream::queue(const char *data, qsizetype size)
{
    if (size <= 0)
        return;
    m_socket->write(data, size);
    if (m_plain)
        m_queued = true;
}

// One system call for `parts`: what the kernel took (0 when it would block), or -1 when the
// connection is broken (aborted here). One part goes with send(2), which the kernel takes
// about 300 ns faster than a sendmsg(2) of one part (no message header or vector to copy in
// and check); several with sendmsg(2).
qsizetype WsStream::sendPlain(const iovec *parts, int count)
{
    if (count == 1)
        return sendPlain(static_cast<const char *>(parts[0].iov_base), parts[0].iov_len);
    msghdr message{};
    message.msg_iov = const_cast<iovec *>(parts);
    message.msg_iovlen = size_t(count);
    ssize_t written = 0;
    do {
        // MSG_NOSIGNAL: a peer that has gone is an error here, not a SIGPIPE.
        written = ::sendmsg(m_descriptor, &message, MSG_NOSIGNAL | MSG_DONTWAIT);
    } while (written < 0 && errno == EINTR);
    return sent(written);
}

qsizetype WsStream::sendPlain(const char *data, size_t size)
{
    ssize_t written = 0;
    do {
        written = directSend(m_descriptor, data, size, MSG_NOSIGNAL | MSG_DONTWAIT);
    } while (written < 0 && errno == EINTR);
    return sent(written);
}

qsizetype WsStream::sent(ssize_t written)
{
    if (written >= 0)
        return qsizetype(written);
    if (errno == EAGAIN || errno == EWOULDBLOCK)
        return 0;
    abort();
    return -1;
}

// One system call for the frame; the rest, if the kernel would not take it all, to Qt.
void WsStream::writePlain(const char *data, qsizetype size)
{
    const qsizetype written = sendPlain(data, size_t(size));
    if (written >= 0 && written < size) // the kernel did not take all of it
        queue(data + written, size - written);
}

// The header and the payload's own bytes in one system call: the payload is not copied.
void WsStream::writeUnmaskedPlain(WsOpcode opcode, const char *payload, qsizetype size)
{
    char header[kWsMaxHeaderSize];
    const int headerSize = writeWsFrameHeader(header, opcode, size, nullptr);
    const iovec parts[2] = {{header, size_t(headerSize)},
                            {const_cast<char *>(payload), size_t(size)}};
    const qsizetype written = sendPlain(parts, size > 0 ? 2 : 1);
    if (written < 0)
        return;
    if (written < headerSize)
        queue(header + written, headerSize - written);
    const qsizetype payloadWritten = std::max<qsizetype>(0, written - headerSize);
    queue(payload + payloadWritten, size - payloadWritten);
}

} // namespace sluice
