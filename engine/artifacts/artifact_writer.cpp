// SPDX-License-Identifier: Apache-2.0
#include "artifact_io.h"
#include "artifact_write_support.h"

namespace sluice {

namespace {

XmlNode synapseElement(const char *name)
{
    return XmlNode::element(QString(QLatin1String(name)));
}

void setIfSet(XmlNode &element, const char *name, const QString &value)
{
    if (!value.isEmpty())
        element.setAttribute(QString(QLatin1String(name)), value);
}

XmlNode textElement(const char *name, const QString &text)
{
    XmlNode element = synapseElement(name);
    if (!text.isEmpty())
        element.appendChild(XmlNode::textNode(text));
    return element;
}

void appendDescription(XmlNode &element, const std::optional<QString> &description)
{
    if (description)
        element.appendChild(textElement("description", *description));
}

void appendParameter(XmlNode &element, const NamedValue &parameter)
{
    XmlNode child = textElement("parameter", parameter.value);
    child.setAttribute(QStringLiteral("name"), parameter.name);
    element.appendChild(std::move(child));
}

// A key goes into the owner's attribute, an inline sequence becomes its child element.
void setSequenceKey(XmlNode &owner, const char *name, const SequenceReference &reference)
{
    setIfSet(owner, name, reference.key);
}

void appendInlineSequence(XmlNode &owner, const char *name, const SequenceReference &reference)
{
    if (reference.key.isEmpty() && reference.inlineSequence)
        owner.appendChild(toXml(*reference.inlineSequence, QString(QLatin1String(name))));
}

XmlNode timeoutElement(const EndpointDefinition &endpoint)
{
    XmlNode timeout = synapseElement("timeout");
    if (endpoint.timeoutMillis)
        timeout.appendChild(textElement("duration", QString::number(*endpoint.timeoutMillis)));
    if (!endpoint.timeoutAction.isEmpty())
        timeout.appendChild(textElement("responseAction", endpoint.timeoutAction));
    return timeout;
}

XmlNode definitionElement(const EndpointDefinition &endpoint)
{
    XmlNode definition;
    switch (endpoint.type) {
    case EndpointDefinition::Type::Address:
        definition = synapseElement("address");
        definition.setAttribute(QStringLiteral("uri"), endpoint.uri);
        setIfSet(definition, "format", endpoint.format);
        break;
    case EndpointDefinition::Type::Http:
        definition = synapseElement("http");
        setIfSet(definition, "uri-template", endpoint.uri);
        setIfSet(definition, "method", endpoint.method);
        break;
    case EndpointDefinition::Type::Default:
    case EndpointDefinition::Type::Reference:
        definition = synapseElement("default");
        setIfSet(definition, "format", endpoint.format);
        break;
    }
    for (const NamedValue &attribute : endpoint.otherAttributes)
        definition.setAttribute(attribute.name, attribute.value);
    // Synapse's order: enableSec/enableRM/enableAddressing, timeout, then suspension settings.
    const bool hasTimeout = endpoint.timeoutMillis || !endpoint.timeoutAction.isEmpty();
    bool timeoutWritten = !hasTimeout;
    for (const XmlNode &quality : endpoint.qualityOfService) {
        if (!timeoutWritten && !quality.name.startsWith(QLatin1String("enable"))) {
            definition.appendChild(timeoutElement(endpoint));
            timeoutWritten = true;
        }
        definition.appendChild(quality);
    }
    if (!timeoutWritten)
        definition.appendChild(timeoutElement(endpoint));
    return definition;
}

XmlNode targetElement(const ProxyTarget &target)
{
    XmlNode element = synapseElement("target");
    setSequenceKey(element, "inSequence", target.inSequence);
    setSequenceKey(element, "outSequence", target.outSequence);
    setSequenceKey(element, "faultSequence", target.faultSequence);
    setIfSet(element, "endpoint", target.endpointKey);
    appendInlineSequence(element, "inSequence", target.inSequence);
    appendInlineSequence(element, "outSequence", target.outSequence);
    appendInlineSequence(element, "faultSequence", target.faultSequence);
    if (target.endpointKey.isEmpty() && target.inlineEndpoint)
        element.appendChild(toXml(*target.inlineEndpoint));
    return element;
}

XmlNode resourceElement(const ApiResource &resource)
{
    XmlNode element = synapseElement("resource");
    setIfSet(element, "methods", resource.methods.join(QLatin1Char(' ')));
    setIfSet(element, "uri-template", resource.uriTemplate);
    setIfSet(element, "url-mapping", resource.urlMapping);
    setIfSet(element, "protocol", resource.protocol);
    setSequenceKey(element, "inSequence", resource.inSequence);
    setSequenceKey(element, "outSequence", resource.outSequence);
    setSequenceKey(element, "faultSequence", resource.faultSequence);
    appendInlineSequence(element, "inSequence", resource.inSequence);
    appendInlineSequence(element, "outSequence", resource.outSequence);
    appendInlineSequence(element, "faultSequence", resource.faultSequence);
    return element;
}

} // namespace

XmlNode toXml(const Sequence &sequence, const QString &elementName)
{
    XmlNode element = XmlNode::element(elementName);
    setIfSet(element, "name", sequence.name);
    setIfSet(element, "onError", sequence.onError);
    setIfSet(element, "statistics", sequence.statistics);
    setIfSet(element, "trace", sequence.trace);
    appendDescription(element, sequence.description);
    for (const XmlNode &mediator : sequence.mediators)
        element.appendChild(mediator);
    return element;
}

XmlNode toXml(const EndpointDefinition &endpoint)
{
    XmlNode element = synapseElement("endpoint");
    setIfSet(element, "name", endpoint.name);
    if (endpoint.type == EndpointDefinition::Type::Reference)
        element.setAttribute(QStringLiteral("key"), endpoint.key);
    else
        element.appendChild(definitionElement(endpoint));
    for (const NamedValue &property : endpoint.properties) {
        XmlNode child = synapseElement("property");
        child.setAttribute(QStringLiteral("name"), property.name);
        child.setAttribute(QStringLiteral("value"), property.value);
        setIfSet(child, "scope", property.scope);
        element.appendChild(std::move(child));
    }
    appendDescription(element, endpoint.description);
    return element;
}

XmlNode toXml(const InboundEndpoint &inbound)
{
    XmlNode element = synapseElement("inboundEndpoint");
    element.setAttribute(QStringLiteral("name"), inbound.name);
    setIfSet(element, "protocol", inbound.protocol);
    setIfSet(element, "class", inbound.className);
    setIfSet(element, "sequence", inbound.sequence);
    setIfSet(element, "onError", inbound.onError);
    setIfSet(element, "suspend", inbound.suspend);
    setIfSet(element, "statistics", inbound.statistics);
    setIfSet(element, "trace", inbound.trace);
    appendDescription(element, inbound.description);
    XmlNode parameters = synapseElement("parameters");
    for (const NamedValue &parameter : inbound.parameters)
        appendParameter(parameters, parameter);
    element.appendChild(std::move(parameters));
    return element;
}

XmlNode toXml(const ProxyService &proxy)
{
    XmlNode element = synapseElement("proxy");
    element.setAttribute(QStringLiteral("name"), proxy.name);
    setIfSet(element, "transports", proxy.transports.join(QLatin1Char(' ')));
    element.setAttribute(QStringLiteral("startOnLoad"),
                         proxy.startOnLoad ? QStringLiteral("true") : QStringLiteral("false"));
    setIfSet(element, "statistics", proxy.statistics);
    setIfSet(element, "trace", proxy.trace);
    setIfSet(element, "pinnedServers", proxy.pinnedServers);
    setIfSet(element, "serviceGroup", proxy.serviceGroup);
    appendDescription(element, proxy.description);
    element.appendChild(targetElement(proxy.target));
    for (const NamedValue &parameter : proxy.parameters)
        appendParameter(element, parameter);
    return element;
}

XmlNode toXml(const Api &api)
{
    XmlNode element = synapseElement("api");
    element.setAttribute(QStringLiteral("name"), api.name);
    element.setAttribute(QStringLiteral("context"), api.context);
    setIfSet(element, "version", api.version);
    setIfSet(element, "version-type", api.versionType);
    setIfSet(element, "hostname", api.hostname);
    setIfSet(element, "port", api.port);
    setIfSet(element, "transports", api.transports);
    setIfSet(element, "statistics", api.statistics);
    setIfSet(element, "trace", api.trace);
    appendDescription(element, api.description);
    for (const ApiResource &resource : api.resources)
        element.appendChild(resourceElement(resource));
    return element;
}

XmlNode toXml(const LocalEntry &entry)
{
    XmlNode element = synapseElement("localEntry");
    element.setAttribute(QStringLiteral("key"), entry.key);
    setIfSet(element, "src", entry.src);
    appendDescription(element, entry.description);
    if (entry.xmlValue)
        element.appendChild(*entry.xmlValue);
    else if (!entry.text.isEmpty())
        element.appendChild(XmlNode::textNode(entry.text));
    return element;
}

QByteArray writeArtifact(const XmlNode &element)
{
    XmlNode root = element;
    declareNamespacesInScope(root);
    return writeXml(root);
}

QByteArray writeDefinitions(const ArtifactSet &artifacts)
{
    XmlNode root = synapseElement("definitions");
    for (const LocalEntry &entry : artifacts.localEntries)
        root.appendChild(toXml(entry));
    for (const EndpointDefinition &endpoint : artifacts.endpoints)
        root.appendChild(toXml(endpoint));
    for (const Sequence &sequence : artifacts.sequences)
        root.appendChild(toXml(sequence));
    for (const ProxyService &proxy : artifacts.proxyServices)
        root.appendChild(toXml(proxy));
    for (const Api &api : artifacts.apis)
        root.appendChild(toXml(api));
    for (const InboundEndpoint &inbound : artifacts.inboundEndpoints)
        root.appendChild(toXml(inbound));
    return writeArtifact(root);
}

} // namespace sluice
