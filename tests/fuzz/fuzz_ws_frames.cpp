// SPDX-License-Identifier: Apache-2.0
// Fuzz target: the WebSocket frame path of an inbound endpoint. After a valid opening handshake
// (answered with 101 before the input is sent), the input is the raw byte stream of client
// frames: Sluice's frame reader (transports/ws_frame_reader.h), then its client connection, the
// sequence (payload read as XML by a filter) and `respond` echoing frames back. The connection must
// end with a close, never a crash or a hang. Client frames must be masked: the seeds use the mask
// 00 00 00 00, which leaves the payload readable for the mutator.

#include "support/fuzz_checks.h"
#include "support/fuzz_target.h"
#include "support/runtime_under_fuzz.h"

namespace {

quint16 g_port = 0;

const QByteArray kHandshake = QByteArrayLiteral("GET /fuzz HTTP/1.1\r\n"
                                                "Host: 127.0.0.1\r\n"
                                                "Upgrade: websocket\r\n"
                                                "Connection: Upgrade\r\n"
                                                "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                                                "Sec-WebSocket-Version: 13\r\n\r\n");

} // namespace

extern "C" int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    sluice::fuzz::startQtApplication(argc, argv);
    g_port = sluice::fuzz::startRuntime(QStringLiteral("ws_frames"));
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray bytes = sluice::fuzz::inputBytes(data, size);
    sluice::fuzz::exchange(g_port, kHandshake, QByteArrayLiteral("\r\n\r\n"), bytes, true, 10000);
    return 0;
}
