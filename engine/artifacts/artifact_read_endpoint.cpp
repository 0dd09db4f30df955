// SPDX-License-Identifier: Apache-2.0
#include "artifact_io.h"
#include "artifact_read_support.h"

#include <QRegularExpression>
#include <QUrl>

namespace sluice {

namespace {

const QStringList &supportedSchemes()
{
    static const QStringList schemes{QStringLiteral("ws"), QStringLiteral("wss"),
                                     QStringLiteral("http"), QStringLiteral("https")};
    return schemes;
}

bool isQualityOfService(const XmlNode &child)
{
    for (const char *name : {"suspendOnFailure", "markForSuspension", "retryConfig", "enableSec",
                             "enableAddressing", "enableRM"}) {
        if (isSynapseElement(child, name))
            return true;
    }
    return false;
}

void checkScheme(const ElementReader &reader, const char *attribute, const QString &scheme)
{
    if (!supportedSchemes().contains(scheme.toLower())) {
        reader.error(reader.location(attribute),
                     QStringLiteral("unsupported endpoint scheme '%1' in uri '%2' (use ws, wss, "
                                    "http or https)")
                         .arg(scheme, reader.value(attribute)));
    }
}

void checkAddressUri(const ElementReader &reader)
{
    const QString uri = reader.value("uri");
    if (uri.isEmpty())
        return; // reported as missing
    const QUrl url(uri, QUrl::StrictMode);
    if (!url.isValid()) {
        // QUrl appends the parsed pieces ("; source was ..."): the reason is enough here.
        const QString reason = url.errorString().section(QStringLiteral("; source was"), 0, 0);
        reader.error(reader.location("uri"),
                     QStringLiteral("invalid endpoint uri '%1': %2").arg(uri, reason));
        return;
    }
    checkScheme(reader, "uri", url.scheme());
}

// A uri-template may start with a variable ("{uri.var.base}/x"): check a literal scheme only.
void checkUriTemplate(const ElementReader &reader)
{
    static const QRegularExpression schemePattern(QStringLiteral("^([A-Za-z][A-Za-z0-9+.-]*):"));
    const auto match = schemePattern.match(reader.value("uri-template"));
    if (match.hasMatch())
        checkScheme(reader, "uri-template", match.captured(1));
}

void readTimeout(ElementReader &owner, const XmlNode &element, EndpointDefinition &endpoint)
{
    ElementReader reader(element, owner.diagnostics(), {});
    reader.forEachChild([&](const XmlNode &child) {
        if (isSynapseElement(child, "duration")) {
            if (!reader.once(child))
                return true;
            static const QRegularExpression digits(QStringLiteral("^[0-9]{1,18}$"));
            const QString text = reader.textOf(child);
            if (digits.match(text).hasMatch()) {
                endpoint.timeoutMillis = text.toLongLong();
            } else {
                reader.error(child.location, QStringLiteral("timeout duration '%1' is not a "
                                                            "non-negative number of milliseconds")
                                                 .arg(text));
            }
            return true;
        }
        if (isSynapseElement(child, "responseAction")) {
            if (!reader.once(child))
                return true;
            endpoint.timeoutAction = reader.textOf(child);
            static const QStringList actions{QStringLiteral("discard"), QStringLiteral("fault"),
                                             QStringLiteral("never")};
            if (!actions.contains(endpoint.timeoutAction)) {
                reader.error(child.location, QStringLiteral("unknown timeout responseAction '%1' "
                                                            "(expected discard, fault or never)")
                                                 .arg(endpoint.timeoutAction));
            }
            return true;
        }
        return false;
    });
}

// The attributes of <address>/<http>/<default> that have no field of their own.
void keepOtherAttributes(const XmlNode &element, const QStringList &typed,
                         EndpointDefinition &endpoint)
{
    for (const XmlAttribute &attribute : element.attributes) {
        if (attribute.namespaceUri.isEmpty() && !typed.contains(attribute.name))
            endpoint.otherAttributes.append({attribute.name, attribute.value, attribute.location});
    }
}

void readDefinitionChildren(ElementReader &reader, EndpointDefinition &endpoint)
{
    reader.forEachChild([&](const XmlNode &child) {
        if (isSynapseElement(child, "timeout")) {
            if (reader.once(child))
                readTimeout(reader, child, endpoint);
            return true;
        }
        if (isQualityOfService(child)) {
            endpoint.qualityOfService.push_back(child);
            return true;
        }
        return false;
    });
}

void readDefinition(const XmlNode &element, Diagnostics &diagnostics, EndpointDefinition &endpoint)
{
    if (element.name == QLatin1String("address")) {
        ElementReader reader(element, diagnostics,
                             {"uri", "format", "optimize", "encoding", "statistics", "trace"});
        endpoint.type = EndpointDefinition::Type::Address;
        endpoint.uri = reader.required("uri");
        endpoint.format = reader.value("format");
        checkAddressUri(reader);
        keepOtherAttributes(element, {QStringLiteral("uri"), QStringLiteral("format")}, endpoint);
        readDefinitionChildren(reader, endpoint);
    } else if (element.name == QLatin1String("http")) {
        ElementReader reader(element, diagnostics,
                             {"uri-template", "method", "statistics", "trace"});
        endpoint.type = EndpointDefinition::Type::Http;
        endpoint.uri = reader.value("uri-template");
        endpoint.method = reader.value("method");
        checkUriTemplate(reader);
        keepOtherAttributes(element, {QStringLiteral("uri-template"), QStringLiteral("method")},
                            endpoint);
        readDefinitionChildren(reader, endpoint);
    } else {
        ElementReader reader(element, diagnostics,
                             {"format", "optimize", "encoding", "statistics", "trace"});
        endpoint.type = EndpointDefinition::Type::Default;
        endpoint.format = reader.value("format");
        keepOtherAttributes(element, {QStringLiteral("format")}, endpoint);
        readDefinitionChildren(reader, endpoint);
    }
}

NamedValue readProperty(const XmlNode &element, Diagnostics &diagnostics)
{
    ElementReader reader(element, diagnostics, {"name", "value", "scope"});
    reader.forEachChild([](const XmlNode &) { return false; });
    return {reader.required("name"), reader.value("value"), element.location,
            reader.value("scope")};
}

bool isOtherEndpointKind(const XmlNode &child)
{
    for (const char *name : {"loadbalance", "failover", "wsdl", "recipientlist"}) {
        if (isSynapseElement(child, name))
            return true;
    }
    return false;
}

} // namespace

EndpointDefinition readEndpoint(const XmlNode &element, Diagnostics &diagnostics)
{
    ElementReader reader(element, diagnostics, {"name", "key"});
    EndpointDefinition endpoint;
    endpoint.name = reader.value("name");
    endpoint.location = element.location;
    const bool isReference = reader.has("key");
    if (isReference) {
        endpoint.type = EndpointDefinition::Type::Reference;
        endpoint.key = reader.required("key");
    }
    const XmlNode *definition = nullptr;
    bool unsupportedKind = false;
    reader.forEachChild([&](const XmlNode &child) {
        if (isSynapseElement(child, "address") || isSynapseElement(child, "http") ||
            isSynapseElement(child, "default")) {
            if (isReference) {
                reader.error(child.location,
                             QStringLiteral("<endpoint key=\"%1\"> refers to another endpoint and "
                                            "cannot define <%2>")
                                 .arg(endpoint.key, child.name));
            } else if (definition) {
                const QString message = QStringLiteral("<endpoint> defines both <%1> and <%2>");
                reader.error(child.location, message.arg(definition->name, child.name));
            } else {
                definition = &child;
                readDefinition(child, diagnostics, endpoint);
            }
        } else if (isSynapseElement(child, "property")) {
            endpoint.properties.append(readProperty(child, diagnostics));
        } else if (isSynapseElement(child, "description")) {
            if (reader.once(child))
                endpoint.description = reader.description(child);
        } else if (isOtherEndpointKind(child)) {
            unsupportedKind = true;
            reader.unsupported(child, QStringLiteral("Sluice supports address, http and default "
                                                     "endpoints"));
        } else {
            return false;
        }
        return true;
    });
    if (!isReference && !definition && !unsupportedKind) {
        reader.error(element.location,
                     QStringLiteral("<endpoint> needs an <address>, <http> or <default> element"));
    }
    return endpoint;
}

} // namespace sluice
