// SPDX-License-Identifier: Apache-2.0
#include "secure_sender_tls.h"

#include "artifacts/project_trust_store.h"

namespace sluice {

namespace {

bool fromAxis2(const ProjectConfig &config)
{
    return config.sourceFile.endsWith(QLatin1String(".xml"), Qt::CaseInsensitive);
}

SourceLocation whereOr(const SourceLocation &where, const ProjectConfig &config)
{
    return where.isValid() ? where : SourceLocation{config.sourceFile, 0, 0};
}

} // namespace

std::optional<SecureSenderTls> loadSecureSenderTls(const ProjectConfig &config,
                                                   Diagnostics &diagnostics)
{
    SecureSenderTls tls;
    bool ok = true;
    const WebSocketSenderConfig &wss = config.wss;
    if (wss.enabled) {
        QString error;
        tls.wss = makeClientTls(wss.trustStoreFile, wss.trustStorePassword,
                                wss.hostnameVerification, &error);
        if (!tls.wss) {
            const QString key = fromAxis2(config)
                                    ? QStringLiteral("transportSender wss parameter "
                                                     "ws.trust.store.location")
                                    : QStringLiteral("[transport.wss] sender.truststore_location");
            diagnostics.error(whereOr(wss.trustStoreSource, config),
                              QStringLiteral("%1: %2").arg(key, error));
            ok = false;
        }
    }
    const TrustStoreConfig &store = config.truststore;
    if (store.type == QLatin1String("JKS")) {
        auto refusing = std::make_shared<ClientTls>();
        refusing->unusable = QStringLiteral("the [truststore] %1 is a JKS store (%2)")
                                 .arg(store.fileName, jksConversionHint(store.fileName));
        tls.https = std::move(refusing);
        return ok ? std::optional(tls) : std::nullopt;
    }
    QString error;
    tls.https = makeClientTls(store.file, store.password, true, &error);
    if (!tls.https) {
        diagnostics.error(whereOr(store.fileNameSource, config),
                          QStringLiteral("[truststore] file_name: %1").arg(error));
        ok = false;
    }
    if (!ok)
        return std::nullopt;
    return tls;
}

} // namespace sluice
