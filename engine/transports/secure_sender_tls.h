// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "artifacts/diagnostics.h"
#include "artifacts/project.h"
#include "client_tls.h"

#include <memory>
#include <optional>

namespace sluice {

// The client TLS settings of the secure senders of one deployment, read once from
// deployment.toml (or axis2.xml): the wss:// sender trusts [transport.wss]
// sender.truststore_location (only when the sender is enabled), the https:// sender trusts
// [truststore] file_name; either falls back to the system CA bundle only when no store is named.
struct SecureSenderTls {
    std::shared_ptr<const ClientTls> wss;   // null: the wss sender is disabled
    std::shared_ptr<const ClientTls> https; // always set
};

// Loads the trust stores. A store that cannot be used (missing, JKS, wrong password, no
// certificate) is an error naming the key that configured it; returns nullopt then. A JKS
// [truststore] (MI's default) is not: the https sender then refuses every request with the hint.
std::optional<SecureSenderTls> loadSecureSenderTls(const ProjectConfig &config,
                                                   Diagnostics &diagnostics);

} // namespace sluice
