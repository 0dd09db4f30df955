// SPDX-License-Identifier: Apache-2.0
// Fuzz target: the HTTP request path. The input is the byte stream a client sends to the HTTP
// listener (libhttp-parser, the listener's limits, API routing and URI templates, the mediation
// of the body: JSON and XML payloads read by expressions), over a real socket to a runtime in
// this process. The connection must end with answers or a close, never a crash or a hang.
// The client half-closes after the input, as HTTP/1.1 allows: the requests read in full are
// answered, then the listener closes (docs/reliability.md). The project's short header and idle
// timeouts end connections whose input stops inside a request.

#include "support/fuzz_checks.h"
#include "support/fuzz_target.h"
#include "support/runtime_under_fuzz.h"

namespace {

quint16 g_port = 0;

} // namespace

extern "C" int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    sluice::fuzz::startQtApplication(argc, argv);
    g_port = sluice::fuzz::startRuntime(QStringLiteral("http_request"));
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray bytes = sluice::fuzz::inputBytes(data, size);
    sluice::fuzz::exchange(g_port, QByteArray(), QByteArray(), bytes, true, 10000);
    return 0;
}
