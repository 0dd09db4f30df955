// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "artifacts/project.h"

#include <QString>

namespace sluice::testing {

// Reads `toml` as deployment.toml and checks that it gives exactly one diagnostic, starting with
// `expected` ("deployment.toml:2:8: ..."), an error or a warning as `isError` says. Empty when
// so, else what was found instead (for QVERIFY2).
inline QString checkOneTomlDiagnostic(const QByteArray &toml, const QString &expected, bool isError)
{
    Diagnostics diagnostics;
    readDeploymentToml(toml, QStringLiteral("deployment.toml"), diagnostics);
    const bool ok = diagnostics.items().size() == 1 &&
                    diagnostics.items().constFirst().toString().startsWith(expected) &&
                    diagnostics.hasErrors() == isError;
    return ok ? QString() : QStringLiteral("got: ") + diagnostics.toString();
}

} // namespace sluice::testing
