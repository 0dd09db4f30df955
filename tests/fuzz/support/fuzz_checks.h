// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "artifacts/diagnostics.h"

#include <QByteArray>
#include <cstddef>
#include <cstdint>

namespace sluice::fuzz {

// The QCoreApplication every target needs (Qt's text codecs, sockets and threads), made once from
// LLVMFuzzerInitialize's arguments and kept for the whole process.
void startQtApplication(int *argc, char ***argv);

// The fuzzer's input as bytes (a copy: the readers keep what they are given).
inline QByteArray inputBytes(const uint8_t *data, size_t size)
{
    return QByteArray(reinterpret_cast<const char *>(data), qsizetype(size));
}

// Every problem the readers report must say where it is (at least the file): aborts, so that the
// fuzzer records the input, when one does not.
void abortUnlessLocated(const Diagnostics &diagnostics);

} // namespace sluice::fuzz
