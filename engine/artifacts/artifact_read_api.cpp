// SPDX-License-Identifier: Apache-2.0
#include "artifact_read_parts.h"

#include <QRegularExpression>

namespace sluice {

namespace {

void checkTransport(const ElementReader &reader, const char *attribute)
{
    const QString value = reader.value(attribute);
    if (!value.isEmpty() && value != QLatin1String("http") && value != QLatin1String("https")) {
        reader.error(reader.location(attribute),
                     QStringLiteral("unsupported %1 '%2' on %3 (use http or https)")
                         .arg(QLatin1String(attribute), value, reader.tag()));
    }
}

QStringList readMethods(const ElementReader &reader)
{
    static const QStringList known{QStringLiteral("GET"),    QStringLiteral("POST"),
                                   QStringLiteral("PUT"),    QStringLiteral("DELETE"),
                                   QStringLiteral("PATCH"),  QStringLiteral("HEAD"),
                                   QStringLiteral("OPTIONS")};
    static const QRegularExpression spaces(QStringLiteral("\\s+"));
    QStringList methods;
    for (const QString &method : reader.value("methods").split(spaces, Qt::SkipEmptyParts)) {
        if (!known.contains(method)) {
            reader.error(reader.location("methods"),
                         QStringLiteral("unknown HTTP method '%1' in <resource> (expected GET, "
                                        "POST, PUT, DELETE, PATCH, HEAD or OPTIONS)")
                             .arg(method));
        } else if (methods.contains(method)) {
            reader.error(reader.location("methods"),
                         QStringLiteral("duplicate HTTP method '%1' in <resource>").arg(method));
        } else {
            methods.append(method);
        }
    }
    return methods;
}

ApiResource readResource(const XmlNode &element, Diagnostics &diagnostics)
{
    ElementReader reader(element, diagnostics,
                         {"methods", "uri-template", "url-mapping", "protocol", "inSequence",
                          "outSequence", "faultSequence"});
    ApiResource resource;
    resource.location = element.location;
    resource.methods = readMethods(reader);
    resource.uriTemplate = reader.value("uri-template");
    resource.urlMapping = reader.value("url-mapping");
    resource.protocol = reader.value("protocol");
    checkTransport(reader, "protocol");
    if (reader.has("uri-template") && reader.has("url-mapping")) {
        reader.error(reader.location("url-mapping"),
                     QStringLiteral("<resource> has both 'uri-template' and 'url-mapping'"));
    }
    const XmlNode *inSequence = nullptr;
    const XmlNode *outSequence = nullptr;
    const XmlNode *faultSequence = nullptr;
    reader.forEachChild([&](const XmlNode &child) {
        for (auto [name, slot] :
             {std::pair{"inSequence", &inSequence}, std::pair{"outSequence", &outSequence},
              std::pair{"faultSequence", &faultSequence}}) {
            if (isSynapseElement(child, name)) {
                if (reader.once(child))
                    *slot = &child;
                return true;
            }
        }
        return false;
    });
    resource.inSequence = readSequenceReference(reader, "inSequence", inSequence);
    resource.outSequence = readSequenceReference(reader, "outSequence", outSequence);
    resource.faultSequence = readSequenceReference(reader, "faultSequence", faultSequence);
    return resource;
}

void checkApiAttributes(const ElementReader &reader)
{
    const QString context = reader.value("context");
    if (!context.isEmpty() && !context.startsWith(QLatin1Char('/'))) {
        reader.error(reader.location("context"),
                     QStringLiteral("the context '%1' of <api> must start with '/'").arg(context));
    }
    if (reader.has("port")) {
        bool ok = false;
        const int port = reader.value("port").toInt(&ok);
        if (!ok || port < 0 || port > 65535) {
            reader.error(reader.location("port"),
                         QStringLiteral("the port '%1' of <api> is not a port number")
                             .arg(reader.value("port")));
        }
    }
    const QString versionType = reader.value("version-type");
    if (!versionType.isEmpty() && versionType != QLatin1String("context") &&
        versionType != QLatin1String("url")) {
        reader.error(reader.location("version-type"),
                     QStringLiteral("unknown version-type '%1' on <api> (expected context or url)")
                         .arg(versionType));
    }
    checkTransport(reader, "transports");
}

} // namespace

Api readApi(const XmlNode &element, Diagnostics &diagnostics)
{
    ElementReader reader(element, diagnostics,
                         {"name", "context", "version", "version-type", "hostname", "port",
                          "transports", "statistics", "trace"});
    Api api;
    api.name = reader.required("name");
    api.context = reader.required("context");
    api.version = reader.value("version");
    api.versionType = reader.value("version-type");
    api.hostname = reader.value("hostname");
    api.port = reader.value("port");
    api.transports = reader.value("transports");
    api.statistics = reader.value("statistics");
    api.trace = reader.value("trace");
    api.location = element.location;
    checkApiAttributes(reader);
    reader.forEachChild([&](const XmlNode &child) {
        if (isSynapseElement(child, "resource")) {
            api.resources.push_back(readResource(child, diagnostics));
        } else if (isSynapseElement(child, "description")) {
            if (reader.once(child))
                api.description = reader.description(child);
        } else if (isSynapseElement(child, "handlers")) {
            reader.unsupported(child);
        } else {
            return false;
        }
        return true;
    });
    if (api.resources.empty())
        reader.error(element.location, QStringLiteral("<api> needs at least one <resource>"));
    return api;
}

} // namespace sluice
