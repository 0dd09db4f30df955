// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QString>

namespace sluice::test {

// Copies a folder (recursively) to `to`; false when something cannot be copied.
bool copyTree(const QString &from, const QString &to);

// The secure sample (projects/secure-websocket) names keys that scripts/make-test-certs makes
// (none is committed) and reads their password from the environment. For a copy of it at
// `projectDir` (a folder whose name ends with secure-websocket) this makes both, so that tests load
// it as a user who followed its README would; any other project needs nothing. False with `error`
// when the script fails.
bool prepareSampleSecrets(const QString &projectDir, QString *error);

} // namespace sluice::test
