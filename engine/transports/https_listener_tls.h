// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "artifacts/diagnostics.h"
#include "artifacts/project.h"

#include <QSslConfiguration>
#include <optional>

namespace sluice {

// Whether `project` runs the HTTPS listener ([server] https_listener_port), and with what TLS.
struct HttpsListenerPlan {
    bool wanted = false;
    QSslConfiguration tls; // when wanted
};

// The listener is wanted when a proxy takes https only or an API says transports="https" (then a
// key store is required), or when a key store is configured and some proxy or API takes https
// beside http or every transport (MI serves those on both listeners). The key store is
// [keystore.tls], else [keystore.primary]; its problems are errors naming the table and key
// (file:line:col in deployment.toml) when an artifact takes only https, warnings (and no
// listener) when every artifact that takes https takes http too. nullopt on error.
std::optional<HttpsListenerPlan> planHttpsListener(const Project &project,
                                                   Diagnostics &diagnostics);

} // namespace sluice
