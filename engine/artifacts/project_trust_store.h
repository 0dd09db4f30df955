// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "diagnostics.h"
#include "project.h"

namespace sluice {

// Shared by the deployment.toml and axis2.xml readers: normalises config.trustStoreType (PEM or
// PKCS12; P12 and PFX mean PKCS12), inferring it from the file extension of trustStoreLocation
// when no type is given. JKS and unknown types are errors at `where`; JKS comes with the keytool
// command that converts the store. Returns false on error.
bool checkTrustStoreType(WebSocketSenderConfig &config, const SourceLocation &where,
                         Diagnostics &diagnostics);

// The same for [truststore]: normalises `type` from `location` (file_name) and reports at `where`.
bool checkTrustStoreType(QString &type, const QString &location, const SourceLocation &where,
                         Diagnostics &diagnostics);

// The keytool hint for a JKS trust store at `location` (may be empty).
QString jksConversionHint(const QString &location);

} // namespace sluice
