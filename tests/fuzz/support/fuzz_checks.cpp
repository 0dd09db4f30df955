// SPDX-License-Identifier: Apache-2.0
#include "fuzz_checks.h"

#include <QCoreApplication>
#include <cstdio>
#include <cstdlib>

namespace sluice::fuzz {

void startQtApplication(int *argc, char ***argv)
{
    static QCoreApplication application(*argc, *argv);
}

void abortUnlessLocated(const Diagnostics &diagnostics)
{
    for (const Diagnostic &diagnostic : diagnostics.items()) {
        if (diagnostic.location.file.isEmpty()) {
            std::fprintf(stderr, "a diagnostic without a location: %s\n",
                         qPrintable(diagnostic.message));
            std::abort();
        }
    }
}

} // namespace sluice::fuzz
