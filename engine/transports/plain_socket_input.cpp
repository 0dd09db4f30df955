// SPDX-License-Identifier: Apache-2.0
#include "plain_socket_input.h"

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

PlainRead readPlainSocket(QAbstractSocket *socket, QByteArray &into, qint64 limit)
{
    const int descriptor = int(socket->socketDescriptor());
    if (descriptor < 0)
        return PlainRead::Failed;
    char *buffer = scratch();
    const size_t wanted = size_t(std::min<qint64>(limit, qint64(kScratchBytes)));
    ssize_t received = 0;
    do {
        received = ::recv(descriptor, buffer, wanted, MSG_DONTWAIT);
    } while (received < 0 && errno == EINTR);
    if (received > 0) {
        into.append(buffer, qsizetype(received));
        if (size_t(received) == wanted)
            return PlainRead::Data;
        // A short read took all the kernel had: asking again would only learn EAGAIN, one
        // system call per request more. The notification is level-triggered, so bytes (or the
        // end of the input) that come meanwhile are reported on the next pass.
        rearmPlainSocket(socket);
        return PlainRead::Last;
    }
    if (received == 0)
        return PlainRead::End;
    if (errno == EAGAIN || errno == EWOULDBLOCK) {
        rearmPlainSocket(socket);
        return PlainRead::Drained;
    }
    return PlainRead::Failed;
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
