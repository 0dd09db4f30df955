// SPDX-License-Identifier: Apache-2.0
#include "project_trust_store.h"

namespace sluice {

QString jksConversionHint(const QString &location)
{
    QString base = location.isEmpty() ? QStringLiteral("truststore") : location;
    if (base.endsWith(QLatin1String(".jks"), Qt::CaseInsensitive))
        base.chop(4);
    return QStringLiteral("JKS trust stores are not supported; convert with keytool "
                          "-importkeystore -srckeystore %1.jks -destkeystore %1.p12 "
                          "-deststoretype PKCS12")
        .arg(base);
}

bool checkTrustStoreType(WebSocketSenderConfig &config, const SourceLocation &where,
                         Diagnostics &diagnostics)
{
    return checkTrustStoreType(config.trustStoreType, config.trustStoreLocation, where,
                               diagnostics);
}

bool checkTrustStoreType(QString &storeType, const QString &storeLocation,
                         const SourceLocation &where, Diagnostics &diagnostics)
{
    const QString written = storeType.trimmed();
    QString type = written.toUpper();
    if (type.isEmpty()) {
        const QString location = storeLocation.toLower();
        if (location.endsWith(QLatin1String(".jks")))
            type = QStringLiteral("JKS");
        else if (location.endsWith(QLatin1String(".p12")) ||
                 location.endsWith(QLatin1String(".pfx")))
            type = QStringLiteral("PKCS12");
        else if (location.endsWith(QLatin1String(".pem")) ||
                 location.endsWith(QLatin1String(".crt")) ||
                 location.endsWith(QLatin1String(".cer")))
            type = QStringLiteral("PEM");
    } else if (type == QLatin1String("P12") || type == QLatin1String("PFX")) {
        type = QStringLiteral("PKCS12");
    }
    storeType = type;
    if (type.isEmpty() || type == QLatin1String("PEM") || type == QLatin1String("PKCS12"))
        return true;
    if (type == QLatin1String("JKS"))
        diagnostics.error(where, jksConversionHint(storeLocation));
    else
        diagnostics.error(where, QStringLiteral("unsupported trust store type '%1' (expected PEM "
                                                "or PKCS12)")
                                     .arg(written));
    return false;
}

} // namespace sluice
