// SPDX-License-Identifier: Apache-2.0
#include "https_listener_tls.h"

#include "http_proxy_service.h"
#include "server_tls.h"
#include "ws_inbound_tls.h"

#include <QDir>

namespace sluice {

namespace {

// The listener's TLS from the configured key store and listener.* keys; problems are errors.
std::optional<HttpsListenerPlan> buildPlan(const Project &project, const HttpsNeed &need,
                                           Diagnostics &diagnostics)
{
    const KeyStoreConfig &store = project.config.httpsKeyStore;
    const bool configured = !store.table.isEmpty();
    HttpsListenerPlan plan;
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
                          QStringLiteral("the HTTPS listener's key store %1%2: %3")
                              .arg(store.keyPrefix, key, reason));
    };
    if (store.fileName.isEmpty()) {
        error(QStringLiteral("file_name"), tableAt, QStringLiteral("no file is named"));
        return std::nullopt;
    }
    const QDir base(projectDirectoryOf(project.rootPath));
    const HttpsListenerTlsConfig &listener = project.config.httpsListener;
    auto listenerError = [&](const QString &key, const SourceLocation &where,
                             const QString &reason) {
        diagnostics.error(where.isValid() ? where : tableAt,
                          QStringLiteral("the HTTPS listener: [transport.http] listener.%1: %2")
                              .arg(key, reason));
    };
    ServerTlsParameters parameters;
    parameters.keyStoreFile = QDir::cleanPath(base.absoluteFilePath(store.fileName));
    parameters.keyStorePassword = store.password;
    parameters.keyPassword = store.keyPassword;
    if (!listener.trustStoreFile.isEmpty())
        parameters.trustStoreFile = QDir::cleanPath(base.absoluteFilePath(listener.trustStoreFile));
    parameters.trustStorePassword = listener.trustStorePassword;
    parameters.protocols = listener.protocols;
    parameters.cipherSuites = listener.ciphers;
    // As MI: client certificates only when listener.verify_client asks for them.
    if (!listener.verifyClient.isEmpty()) {
        const auto mode = parseClientCertificates(listener.verifyClient);
        if (!mode) {
            listenerError(
                QStringLiteral("verify_client"), listener.verifyClientLocation,
                QStringLiteral("'%1' is not none, optional or require").arg(listener.verifyClient));
            return std::nullopt;
        }
        parameters.clientCertificates = *mode;
    }
    ServerTlsProblem problem;
    auto tls = serverTlsConfiguration(parameters, &problem);
    if (!tls) {
        switch (problem.part) {
        case ServerTlsProblem::Part::KeyStore:
            error(QStringLiteral("file_name"), store.fileLocation, problem.reason);
            break;
        case ServerTlsProblem::Part::TrustStore:
            if (listener.trustStoreFile.isEmpty())
                listenerError(QStringLiteral("verify_client"), listener.verifyClientLocation,
                              problem.reason);
            else
                listenerError(QStringLiteral("truststore.file_name"), listener.trustStoreLocation,
                              problem.reason);
            break;
        case ServerTlsProblem::Part::Protocols:
            listenerError(QStringLiteral("secured_protocols"), listener.protocolsLocation,
                          problem.reason);
            break;
        case ServerTlsProblem::Part::CipherSuites:
            listenerError(QStringLiteral("preferred_ciphers"), listener.ciphersLocation,
                          problem.reason);
            break;
        }
        return std::nullopt;
    }
    plan.wanted = true;
    plan.tls = *tls;
    return plan;
}

} // namespace

std::optional<HttpsListenerPlan> planHttpsListener(const Project &project, Diagnostics &diagnostics)
{
    const HttpsNeed need = httpsListenerNeed(project.artifacts);
    if (need.required)
        return buildPlan(project, need, diagnostics);
    if (!need.servesAny || project.config.httpsKeyStore.table.isEmpty())
        return HttpsListenerPlan{};
    // Only proxies and APIs that take http as well would use it: a key store that cannot be used
    // (MI's default [keystore.primary] names wso2carbon.jks, for one) leaves them on HTTP, with
    // a warning, instead of refusing a project that works without TLS.
    Diagnostics problems;
    auto plan = buildPlan(project, need, problems);
    if (plan)
        return plan;
    for (Diagnostic problem : problems.items()) {
        problem.severity = Severity::Warning;
        problem.message += QStringLiteral("; the HTTPS listener does not start (every proxy and "
                                          "API that takes https takes http too)");
        diagnostics.add(problem);
    }
    return HttpsListenerPlan{};
}

} // namespace sluice
