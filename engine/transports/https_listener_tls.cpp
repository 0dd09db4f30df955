// SPDX-License-Identifier: Apache-2.0
#include "https_listener_tls.h"

#include "http_proxy_service.h"
#include "server_tls.h"
#include "ws_inbound_tls.h"

#include <QDir>

namespace sluice {

std::optional<HttpsListenerPlan> planHttpsListener(const Project &project, Diagnostics &diagnostics)
{
    const HttpsNeed need = httpsListenerNeed(project.artifacts);
    const KeyStoreConfig &store = project.config.httpsKeyStore;
    const bool configured = !store.table.isEmpty();
    HttpsListenerPlan plan;
    if (!need.required && !(need.servesAny && configured))
        return plan;
    if (!configured) {
        diagnostics.error(need.location,
                          QStringLiteral("%1 takes the https transport, but deployment.toml "
                                         "configures no key store for the HTTPS listener (set "
                                         "file_name and password in [keystore.tls] or "
                                         "[keystore.primary])")
                              .arg(need.artifact));
        return std::nullopt;
    }
    const SourceLocation tableAt =
        store.location.isValid() ? store.location : SourceLocation{project.config.sourceFile, 0, 0};
    auto error = [&](const QString &key, const SourceLocation &where, const QString &reason) {
        diagnostics.error(where.isValid() ? where : tableAt,
                          QStringLiteral("the HTTPS listener's key store [%1] %2: %3")
                              .arg(store.table, key, reason));
    };
    if (store.fileName.isEmpty()) {
        error(QStringLiteral("file_name"), tableAt, QStringLiteral("no file is named"));
        return std::nullopt;
    }
    ServerTlsParameters parameters;
    parameters.keyStoreFile = QDir::cleanPath(
        QDir(projectDirectoryOf(project.rootPath)).absoluteFilePath(store.fileName));
    parameters.keyStorePassword = store.password;
    parameters.keyPassword = store.keyPassword;
    ServerTlsProblem problem;
    auto tls = serverTlsConfiguration(parameters, &problem);
    if (!tls) {
        error(QStringLiteral("file_name"), store.fileLocation, problem.reason);
        return std::nullopt;
    }
    plan.wanted = true;
    plan.tls = *tls;
    return plan;
}

} // namespace sluice
