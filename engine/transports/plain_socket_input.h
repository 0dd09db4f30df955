// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "direct_socket_calls.h"

#include <QByteArray>
#include <QtGlobal>
#include <cerrno>

class QAbstractSocket;

namespace sluice {

// Reads a plain TCP connection itself, so that the end of the client's input is news and not
// the end of the connection. Qt's socket takes a read of 0 bytes for "the peer is gone" and
// closes the descriptor, which loses the answers to requests a client sent before it shut down
// its sending side (shutdown(SHUT_WR), allowed by HTTP/1.1). The socket must be an unbuffered
// one (a bare QAbstractSocket of type TcpSocket; QTcpSocket always buffers): Qt then only
// signals readyRead and never reads; this reads with recv(2) and re-arms Qt's read notification
// when the kernel has nothing more. Writing stays Qt's.
enum class PlainRead {
    Data,    // bytes appended; more may be waiting
    Last,    // bytes appended, fewer than asked for: all there was; readyRead will come again
    Drained, // nothing more for now; readyRead will come again
    End,     // the client shut down its sending side (or closed): nothing more will come
    Failed,  // the connection is broken (reset)
};

// Appends up to `limit` bytes (at most 64 KiB) of what the kernel holds for `socket` to `into`.
PlainRead readPlainSocket(QAbstractSocket *socket, QByteArray &into, qint64 limit);

// The same into a buffer the caller owns (`*received`: how many bytes came), for a reader that
// takes the bytes from where they landed (the WebSocket frame reader) and wants no copy.
PlainRead receivePlainSocket(QAbstractSocket *socket, char *into, size_t capacity,
                             qsizetype *received);

// The same on a bare descriptor, without re-arming Qt's read notification: for a reader that
// the event dispatcher tells itself when there is input (EpollEventDispatcher::Reader).
// Inline: a WebSocket stream's every read (twice per proxied message).
inline PlainRead receiveDescriptor(int descriptor, char *into, size_t capacity, qsizetype *received)
{
    *received = 0;
    if (descriptor < 0)
        return PlainRead::Failed;
    ssize_t got = 0;
    do {
        got = directRecv(descriptor, into, capacity, MSG_DONTWAIT);
    } while (got < 0 && errno == EINTR);
    if (got > 0) {
        *received = qsizetype(got);
        // A short read took all the kernel had: asking again would only learn EAGAIN, one
        // system call per request more. Bytes (or the end of the input) that come meanwhile
        // are reported on the next pass, level- or edge-triggered alike: each arrival reports
        // the descriptor again.
        return size_t(got) == capacity ? PlainRead::Data : PlainRead::Last;
    }
    if (got == 0)
        return PlainRead::End;
    if (errno == EAGAIN || errno == EWOULDBLOCK)
        return PlainRead::Drained;
    return PlainRead::Failed;
}

// Lets readyRead come again without reading (after Data, when the caller stops early).
void rearmPlainSocket(QAbstractSocket *socket);

} // namespace sluice
