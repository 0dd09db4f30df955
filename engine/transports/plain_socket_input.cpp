// SPDX-License-Identifier: Apache-2.0
#include "plain_socket_input.h"

#include <QAbstractSocket>
#include <cerrno>
#include <sys/socket.h>

namespace sluice {

PlainRead readPlainSocket(QAbstractSocket *socket, QByteArray &into, qint64 limit)
{
    const int descriptor = int(socket->socketDescriptor());
    if (descriptor < 0)
        return PlainRead::Failed;
    const qsizetype before = into.size();
    into.resize(before + qsizetype(limit));
    ssize_t received = 0;
    do {
        received = ::recv(descriptor, into.data() + before, size_t(limit), MSG_DONTWAIT);
    } while (received < 0 && errno == EINTR);
    into.resize(before + qsizetype(std::max<ssize_t>(received, 0)));
    if (received > 0)
        return PlainRead::Data;
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
