// SPDX-License-Identifier: Apache-2.0
#include "artifact_io.h"
#include "artifact_read_parts.h"

#include <QRegularExpression>

namespace sluice {

namespace {

ProxyTarget readTarget(const XmlNode &element, Diagnostics &diagnostics)
{
    ElementReader reader(element, diagnostics,
                         {"inSequence", "outSequence", "faultSequence", "endpoint"});
    ProxyTarget target;
    target.location = element.location;
    const XmlNode *inSequence = nullptr;
    const XmlNode *outSequence = nullptr;
    const XmlNode *faultSequence = nullptr;
    const XmlNode *endpoint = nullptr;
    reader.forEachChild([&](const XmlNode &child) {
        for (auto [name, slot] :
             {std::pair{"inSequence", &inSequence}, std::pair{"outSequence", &outSequence},
              std::pair{"faultSequence", &faultSequence}, std::pair{"endpoint", &endpoint}}) {
            if (isSynapseElement(child, name)) {
                if (reader.once(child))
                    *slot = &child;
                return true;
            }
        }
        return false;
    });
    target.inSequence = readSequenceReference(reader, "inSequence", inSequence);
    target.outSequence = readSequenceReference(reader, "outSequence", outSequence);
    target.faultSequence = readSequenceReference(reader, "faultSequence", faultSequence);
    target.endpointKey = reader.value("endpoint");
    if (endpoint && !target.endpointKey.isEmpty()) {
        reader.error(endpoint->location,
                     QStringLiteral("<target> has both the attribute 'endpoint' and an inline "
                                    "<endpoint>"));
    } else if (endpoint) {
        target.inlineEndpoint = readEndpoint(*endpoint, diagnostics);
    }
    if (!target.inSequence.isSet() && target.endpointKey.isEmpty() && !target.inlineEndpoint) {
        reader.error(element.location,
                     QStringLiteral("<target> needs an inSequence or an endpoint"));
    }
    return target;
}

bool readStartOnLoad(const ElementReader &reader)
{
    if (!reader.has("startOnLoad"))
        return true;
    const QString value = reader.value("startOnLoad");
    if (value != QLatin1String("true") && value != QLatin1String("false")) {
        reader.error(reader.location("startOnLoad"),
                     QStringLiteral("the attribute 'startOnLoad' of <proxy> must be true or "
                                    "false, not '%1'")
                         .arg(value));
    }
    return value != QLatin1String("false");
}

QStringList readTransports(const ElementReader &reader)
{
    static const QRegularExpression separators(QStringLiteral("[\\s,]+"));
    const QString value = reader.value("transports");
    const QStringList transports = value.split(separators, Qt::SkipEmptyParts);
    return transports.isEmpty() ? QStringList{QStringLiteral("http"), QStringLiteral("https")}
                                : transports;
}

} // namespace

ProxyService readProxyService(const XmlNode &element, Diagnostics &diagnostics)
{
    ElementReader reader(element, diagnostics,
                         {"name", "transports", "startOnLoad", "statistics", "trace",
                          "pinnedServers", "serviceGroup"});
    ProxyService proxy;
    proxy.name = reader.required("name");
    proxy.transports = readTransports(reader);
    proxy.startOnLoad = readStartOnLoad(reader);
    proxy.statistics = reader.value("statistics");
    proxy.trace = reader.value("trace");
    proxy.pinnedServers = reader.value("pinnedServers");
    proxy.serviceGroup = reader.value("serviceGroup");
    proxy.location = element.location;
    bool hasTarget = false;
    reader.forEachChild([&](const XmlNode &child) {
        if (isSynapseElement(child, "target")) {
            if (reader.once(child)) {
                proxy.target = readTarget(child, diagnostics);
                hasTarget = true;
            }
        } else if (isSynapseElement(child, "parameter")) {
            proxy.parameters.append(readParameter(child, diagnostics));
        } else if (isSynapseElement(child, "description")) {
            if (reader.once(child))
                proxy.description = reader.description(child);
        } else if (isSynapseElement(child, "publishWSDL") || isSynapseElement(child, "policy") ||
                   isSynapseElement(child, "enableSec") ||
                   isSynapseElement(child, "enableAddressing") ||
                   isSynapseElement(child, "enableRM")) {
            reader.unsupported(child);
        } else {
            return false;
        }
        return true;
    });
    if (!hasTarget)
        reader.error(element.location, QStringLiteral("<proxy> needs a <target>"));
    return proxy;
}

} // namespace sluice
