// SPDX-License-Identifier: Apache-2.0
#include "runtime_under_fuzz.h"

#include "artifacts/diagnostics.h"
#include "runtime/logger.h"
#include "runtime/runtime.h"
#include "transports/invoke_and_wait.h"
#include "transports/worker_pool.h"

#include <QDeadlineTimer>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QThread>
#include <arpa/inet.h>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

namespace sluice::fuzz {

namespace {

// The runtime under fuzz, its thread and an object living there to post work to.
QThread *g_thread = nullptr;
QObject *g_context = nullptr;
Runtime *g_runtime = nullptr;

[[noreturn]] void fail(const char *what, const QString &detail = QString())
{
    std::fprintf(stderr, "fuzz harness: %s %s\n", what, qPrintable(detail));
    std::abort();
}

quint16 freePort()
{
    QTcpServer probe;
    if (!probe.listen(QHostAddress::LocalHost, 0))
        fail("no free port");
    return probe.serverPort();
}

// Waits until `fd` is readable or writable (`events`) or the deadline passes.
bool waitFor(int fd, short events, const QDeadlineTimer &deadline)
{
    pollfd entry{fd, events, 0};
    for (;;) {
        const int left = int(std::max<qint64>(0, deadline.remainingTime()));
        const int ready = ::poll(&entry, 1, left);
        if (ready > 0)
            return true;
        if (ready == 0 || errno != EINTR)
            return false;
    }
}

bool writeAll(int fd, const QByteArray &bytes, const QDeadlineTimer &deadline)
{
    qsizetype done = 0;
    while (done < bytes.size()) {
        if (!waitFor(fd, POLLOUT, deadline))
            return false;
        const ssize_t n =
            ::send(fd, bytes.constData() + done, size_t(bytes.size() - done), MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return false; // the server closed: what it answered is read below
        done += n;
    }
    return true;
}

// Reads into `into` until EOF (true), an error (true: the server reset the connection), the
// deadline (false), or, when `until` is not empty, until `into` contains it (true).
bool readUntil(int fd, QByteArray &into, const QByteArray &until, const QDeadlineTimer &deadline)
{
    char buffer[16384];
    for (;;) {
        if (!until.isEmpty() && into.contains(until))
            return true;
        if (!waitFor(fd, POLLIN, deadline))
            return false;
        const ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return true;
        into.append(buffer, n);
    }
}

} // namespace

quint16 startRuntime(const QString &target)
{
    static QTemporaryDir directory;
    const quint16 port = freePort();
    const QByteArray portText = QByteArray::number(port);
    const QDir source(QStringLiteral(SLUICE_FUZZ_DIR "/") + target + QStringLiteral("/project"));
    QDirIterator files(source.path(), QDir::Files, QDirIterator::Subdirectories);
    while (files.hasNext()) {
        const QString from = files.next();
        const QString to = directory.path() + QLatin1Char('/') + source.relativeFilePath(from);
        QDir().mkpath(QFileInfo(to).absolutePath());
        QFile in(from);
        QFile out(to);
        if (!in.open(QIODevice::ReadOnly) || !out.open(QIODevice::WriteOnly))
            fail("cannot copy", from);
        const QByteArray content = in.readAll().replace("@PORT@", portText);
        if (out.write(content) != content.size())
            fail("cannot write", to);
    }
    // Thousands of connections a second: their log lines would cost more than the work. Errors
    // still show (SLUICE_FUZZ_VERBOSE shows everything).
    if (!qEnvironmentVariableIsSet("SLUICE_FUZZ_VERBOSE"))
        Logger::instance().setLevel(LogLevel::Error);
    // The runtime lives on its own thread until stopRuntime (libFuzzer ends the process with it
    // still running).
    g_thread = new QThread;
    g_context = new QObject;
    g_context->moveToThread(g_thread);
    releaseOpenSslStateWhenFinished(g_thread); // deploying loads Qt's OpenSSL backend here
    g_thread->start();
    invokeAndWait(g_context, [&] {
        g_runtime = new Runtime;
        Diagnostics diagnostics;
        if (!g_runtime->deploy(directory.path(), diagnostics))
            fail("project does not deploy:", diagnostics.toString());
    });
    if (!g_runtime)
        fail("runtime did not start");
    return port;
}

void stopRuntime()
{
    if (!g_thread)
        return;
    invokeAndWait(g_context, [] {
        delete g_runtime; // stops its listeners and joins its worker threads
        g_runtime = nullptr;
        delete g_context;
    });
    g_thread->quit();
    g_thread->wait();
    delete g_thread;
    g_thread = nullptr;
}

Exchange exchange(quint16 port, const QByteArray &preface, const QByteArray &prefaceEnd,
                  const QByteArray &bytes, bool halfClose, int limitMs)
{
    Exchange result;
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        fail("socket() failed");
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    const int one = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    if (::connect(fd, reinterpret_cast<const sockaddr *>(&address), sizeof address) != 0) {
        ::close(fd);
        return result;
    }
    result.connected = true;
    const QDeadlineTimer deadline(limitMs);
    bool open = writeAll(fd, preface, deadline);
    if (open && !prefaceEnd.isEmpty()) {
        if (!readUntil(fd, result.received, prefaceEnd, deadline))
            fail("no answer to the preface within the limit:",
                 QString::fromLatin1(result.received));
        open = result.received.contains(prefaceEnd);
    }
    if (open)
        writeAll(fd, bytes, deadline);
    if (halfClose)
        ::shutdown(fd, SHUT_WR);
    if (!readUntil(fd, result.received, QByteArray(), deadline)) {
        fail("the server did not close the connection within the limit; received:",
             QString::fromLatin1(result.received.left(512).toPercentEncoding(" :/\r\n")));
    }
    ::close(fd);
    // To see what a reproducer gets back: SLUICE_FUZZ_VERBOSE=1 replay_<target> FILE.
    static const bool verbose = qEnvironmentVariableIsSet("SLUICE_FUZZ_VERBOSE");
    if (verbose)
        std::fprintf(stderr, "received %lld bytes:\n%s\n", qint64(result.received.size()),
                     result.received.left(2048).toPercentEncoding(" :/\r\n{}\"<>=").constData());
    return result;
}

} // namespace sluice::fuzz

extern "C" void SluiceFuzzerFinish()
{
    sluice::fuzz::stopRuntime();
}
