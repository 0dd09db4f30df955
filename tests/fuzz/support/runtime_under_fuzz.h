// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QByteArray>
#include <QString>

namespace sluice::fuzz {

// A whole Sluice runtime in the fuzzing process: the project in tests/fuzz/<target>/project is
// copied to a temporary directory with "@PORT@" replaced by a port that was free, and deployed on
// a thread of its own, so that the fuzzer's thread can talk to the listeners through real sockets
// with blocking calls. Anything that does not deploy aborts: a broken harness must not look like
// a clean run. Returns the port.
quint16 startRuntime(const QString &target);
// Stops that runtime and its threads (SluiceFuzzerFinish, after the replay's last input): the
// process must not destroy its static objects while worker threads still mediate.
void stopRuntime();

struct Exchange {
    bool connected = false;
    QByteArray received;
};

// Connects to 127.0.0.1:port, writes `preface`, then reads until `prefaceEnd` has arrived (when
// not empty; the handshake answer of a WebSocket upgrade), writes `bytes`, half-closes when
// `halfClose` and reads until the server closes. A server that does not close within `limitMs` is
// a hang: that aborts with what it had received, so libFuzzer and the replay test report it.
// (Without the half-close the server must end the connection by itself: an answer with
// "Connection: close", an error, or its timeouts.)
Exchange exchange(quint16 port, const QByteArray &preface, const QByteArray &prefaceEnd,
                  const QByteArray &bytes, bool halfClose, int limitMs);

} // namespace sluice::fuzz
