// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "artifacts/diagnostics.h"
#include "artifacts/project.h"

#include <memory>

namespace sluice {

struct ClientTls;

// The TLS of a node's Redis connections ([cluster] tls_*): the CAs that sign Redis' certificate
// (else the system bundle), hostname verification, and a client certificate when Redis asks for
// one. Files are relative to the project directory `root`. Null with a diagnostic at [cluster]
// when a file cannot be used; null without one when tls is off.
std::shared_ptr<const ClientTls> loadClusterTls(const ClusterConfig &config, const QString &root,
                                                Diagnostics &diagnostics);

} // namespace sluice
