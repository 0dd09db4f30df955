// SPDX-License-Identifier: Apache-2.0
// Fuzz target: bytes -> the deployment.toml reader (toml++ -> ProjectConfig with MI's keys,
// $env / $ref substitution). Every input must end in a configuration or diagnostics.

#include "artifacts/project.h"
#include "support/fuzz_checks.h"
#include "support/fuzz_target.h"

#include <cstdlib>

using namespace sluice;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray bytes = sluice::fuzz::inputBytes(data, size);
    Diagnostics diagnostics;
    readDeploymentToml(bytes, QStringLiteral("deployment.toml"), diagnostics);
    sluice::fuzz::abortUnlessLocated(diagnostics);
    return 0;
}
