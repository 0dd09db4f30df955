// SPDX-License-Identifier: Apache-2.0
// Fuzz target: bytes -> the deployment.toml reader (toml++ -> ProjectConfig with MI's keys,
// $env / $ref substitution). Every input must end in a configuration or diagnostics.

#include "artifacts/project.h"
#include "support/fuzz_target.h"

#include <QCoreApplication>
#include <cstdlib>

using namespace sluice;

extern "C" int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    static QCoreApplication application(*argc, *argv);
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray bytes(reinterpret_cast<const char *>(data), qsizetype(size));
    Diagnostics diagnostics;
    readDeploymentToml(bytes, QStringLiteral("deployment.toml"), diagnostics);
    for (const Diagnostic &diagnostic : diagnostics.items()) {
        if (diagnostic.location.file.isEmpty())
            std::abort();
    }
    return 0;
}
