// SPDX-License-Identifier: Apache-2.0
#include "plain_socket_input.h"
#include "direct_socket_calls.h"

#include <QAbstractSocket>
#include <algorithm>
#include <cerrno>
#include <memory>
#include <sys/socket.h>

namespace sluice {

namespace {

// What one recv(2) may bring, read into a buffer of the thread's own: growing the connection's
// buffer by the whole chunk for every read allocated and freed 64 KiB per request, which costs
// glibc a consolidation of its free lists on each free (about 1,000 instructions per W4 request;
// docs/performance.md). Only the bytes received are then appended.
constexpr size_t kScratchBytes = 64 * 1024;

char *scratch()
{
    thread_local std::unique_ptr<char[]> buffer(new char[kScratchBytes]);
    return buffer.get();
}

} // namespace

PlainRead receivePlainSocket(QAbstractSocket *socket, char *into, size_t capacity,
                             qsizetype *received)
{
    const PlainRead result =
        receiveDescriptor(int(socket->socketDescriptor()), into, capacity, received);
    if (result == PlainRead::Last || result == PlainRead::Drained)
        rearmPlainSocket(socket);
    return result;
}

PlainRead readPlainSocket(QAbstractSocket *socket, QByteArray &into, qint64 limit)
{
    char *buffer = scratch();
    qsizetype received = 0;
    const PlainRead result = receivePlainSocket(
        socket, buffer, size_t(std::min<qint64>(limit, qint64(kScratchBytes))), &received);
    if (received > 0)
        into.append(buffer, received);
    return result;
}

void rearmPlainSocket(QAbstractSocket *socket)
{
    // An unbuffered QAbstractSocket turns its read notifier off after readyRead until it is read
    // from; QIODevice::read of 0 bytes reaches QAbstractSocket::readData(.., 0), which turns it
    // back on without touching the socket.
    char none = 0;
    socket->read(&none, 0);
}

} // namespace sluice
