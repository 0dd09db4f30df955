// SPDX-License-Identifier: Apache-2.0
#include "artifacts.h"

#include <algorithm>

namespace sluice {

namespace {

bool sameNodes(const std::vector<XmlNode> &a, const std::vector<XmlNode> &b)
{
    return std::equal(a.begin(), a.end(), b.begin(), b.end(),
                      [](const XmlNode &x, const XmlNode &y) { return x.sameAs(y); });
}

bool sameOptionalNode(const std::optional<XmlNode> &a, const std::optional<XmlNode> &b)
{
    if (a.has_value() != b.has_value())
        return false;
    return !a || a->sameAs(*b);
}

template <typename T> const T *findByName(const std::vector<T> &items, const QString &name)
{
    auto it = std::find_if(items.begin(), items.end(), [&](const T &t) { return t.name == name; });
    return it == items.end() ? nullptr : &*it;
}

} // namespace

bool Sequence::operator==(const Sequence &o) const
{
    return name == o.name && onError == o.onError && trace == o.trace &&
           statistics == o.statistics && description == o.description &&
           sameNodes(mediators, o.mediators);
}

bool EndpointDefinition::operator==(const EndpointDefinition &o) const
{
    return name == o.name && type == o.type && key == o.key && uri == o.uri && method == o.method &&
           format == o.format && otherAttributes == o.otherAttributes &&
           timeoutMillis == o.timeoutMillis && timeoutAction == o.timeoutAction &&
           sameNodes(qualityOfService, o.qualityOfService) && properties == o.properties &&
           description == o.description;
}

const NamedValue *InboundEndpoint::findParameter(const QString &parameterName) const
{
    for (const NamedValue &p : parameters) {
        if (p.name == parameterName)
            return &p;
    }
    return nullptr;
}

QString InboundEndpoint::parameter(const QString &parameterName, const QString &fallback) const
{
    const NamedValue *p = findParameter(parameterName);
    return p ? p->value : fallback;
}

bool InboundEndpoint::operator==(const InboundEndpoint &o) const
{
    return name == o.name && protocol == o.protocol && className == o.className &&
           sequence == o.sequence && onError == o.onError && suspend == o.suspend &&
           statistics == o.statistics && trace == o.trace && parameters == o.parameters &&
           description == o.description;
}

bool ProxyTarget::operator==(const ProxyTarget &o) const
{
    return inSequence == o.inSequence && outSequence == o.outSequence &&
           faultSequence == o.faultSequence && endpointKey == o.endpointKey &&
           inlineEndpoint == o.inlineEndpoint;
}

bool ProxyService::operator==(const ProxyService &o) const
{
    return name == o.name && transports == o.transports && startOnLoad == o.startOnLoad &&
           statistics == o.statistics && trace == o.trace && pinnedServers == o.pinnedServers &&
           serviceGroup == o.serviceGroup && target == o.target && parameters == o.parameters &&
           description == o.description;
}

bool ApiResource::operator==(const ApiResource &o) const
{
    return methods == o.methods && uriTemplate == o.uriTemplate && urlMapping == o.urlMapping &&
           protocol == o.protocol && inSequence == o.inSequence && outSequence == o.outSequence &&
           faultSequence == o.faultSequence;
}

bool Api::operator==(const Api &o) const
{
    return name == o.name && context == o.context && version == o.version &&
           versionType == o.versionType && hostname == o.hostname && port == o.port &&
           transports == o.transports && statistics == o.statistics && trace == o.trace &&
           resources == o.resources && description == o.description;
}

bool LocalEntry::operator==(const LocalEntry &o) const
{
    return key == o.key && src == o.src && text == o.text &&
           sameOptionalNode(xmlValue, o.xmlValue) && description == o.description;
}

void ArtifactSet::append(ArtifactSet &&other)
{
    auto move = [](auto &to, auto &from) {
        std::move(from.begin(), from.end(), std::back_inserter(to));
    };
    move(sequences, other.sequences);
    move(endpoints, other.endpoints);
    move(inboundEndpoints, other.inboundEndpoints);
    move(proxyServices, other.proxyServices);
    move(apis, other.apis);
    move(localEntries, other.localEntries);
}

int ArtifactSet::size() const
{
    return int(sequences.size() + endpoints.size() + inboundEndpoints.size() +
               proxyServices.size() + apis.size() + localEntries.size());
}

const Sequence *ArtifactSet::findSequence(const QString &sequenceName) const
{
    return findByName(sequences, sequenceName);
}

const EndpointDefinition *ArtifactSet::findEndpoint(const QString &endpointName) const
{
    return findByName(endpoints, endpointName);
}

} // namespace sluice
