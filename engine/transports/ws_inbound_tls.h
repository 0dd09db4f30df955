// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "artifacts/artifacts.h"
#include "artifacts/diagnostics.h"

#include <QSslConfiguration>
#include <optional>

namespace sluice {

// The TLS configuration of an inbound endpoint with protocol="wss", from its wss.ssl.*
// parameters (file names relative to `projectDirectory`). Problems are errors in `diagnostics`
// at the parameter they are about, naming the endpoint; passwords never appear in them.
std::optional<QSslConfiguration> wssInboundTls(const InboundEndpoint &inbound,
                                               const QString &projectDirectory,
                                               Diagnostics &diagnostics);

// The directory that relative file names of a project are relative to: the project directory,
// or the one holding a single-file project.
QString projectDirectoryOf(const QString &rootPath);

} // namespace sluice
