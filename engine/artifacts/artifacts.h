// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "source_location.h"
#include "xml_node.h"

#include <QList>
#include <QString>
#include <optional>
#include <vector>

namespace sluice {

// The artifact model: one struct per Synapse artifact kind. Mediator configurations stay as
// XmlNode trees (see xml_node.h); everything the runtime and the studio need to find by name is
// a typed field. Every struct remembers where it was read from for error messages.

struct NamedValue {
    QString name;
    QString value;
    // Defaulted so that {name, value} initialises without -Wmissing-field-initializers.
    SourceLocation location = {};
    QString scope = {}; // endpoint <property scope="...">; empty elsewhere
    bool operator==(const NamedValue &o) const
    {
        return name == o.name && value == o.value && scope == o.scope;
    }
};

struct Sequence {
    QString name; // empty for an inline sequence
    QString onError;
    QString trace;
    QString statistics;
    std::optional<QString> description;
    std::vector<XmlNode> mediators;
    SourceLocation location;

    bool operator==(const Sequence &o) const;
};

// An inSequence / outSequence / faultSequence: either a key or an inline sequence.
struct SequenceReference {
    QString key;
    std::optional<Sequence> inlineSequence;
    SourceLocation location;

    bool isSet() const { return !key.isEmpty() || inlineSequence.has_value(); }
    bool operator==(const SequenceReference &o) const
    {
        return key == o.key && inlineSequence == o.inlineSequence;
    }
};

struct EndpointDefinition {
    enum class Type { Address, Http, Default, Reference };

    QString name; // empty when inline
    Type type = Type::Address;
    QString key;                       // for Reference
    QString uri;                       // address uri or http uri-template
    QString method;                    // http endpoint
    QString format;                    // soap11, soap12, pox, rest, get, ...
    QList<NamedValue> otherAttributes; // attributes of <address>/<http> kept for round trip
    std::optional<qint64> timeoutMillis;
    QString timeoutAction;                 // discard | fault | never
    std::vector<XmlNode> qualityOfService; // suspendOnFailure, markForSuspension, ... as read
    QList<NamedValue> properties;          // <property name value scope>
    std::optional<QString> description;
    SourceLocation location;

    bool operator==(const EndpointDefinition &o) const;
};

struct InboundEndpoint {
    QString name;
    QString protocol; // ws, wss, http, ...
    QString className;
    QString sequence;
    QString onError;
    QString suspend;
    QString statistics;
    QString trace;
    QList<NamedValue> parameters;
    std::optional<QString> description;
    SourceLocation location;

    QString parameter(const QString &name, const QString &fallback = QString()) const;
    const NamedValue *findParameter(const QString &name) const;
    bool operator==(const InboundEndpoint &o) const;
};

struct ProxyTarget {
    SequenceReference inSequence;
    SequenceReference outSequence;
    SequenceReference faultSequence;
    QString endpointKey;
    std::optional<EndpointDefinition> inlineEndpoint;
    SourceLocation location;
    bool operator==(const ProxyTarget &o) const;
};

struct ProxyService {
    QString name;
    QStringList transports;
    bool startOnLoad = true;
    QString statistics;
    QString trace;
    QString pinnedServers;
    QString serviceGroup;
    ProxyTarget target;
    QList<NamedValue> parameters;
    std::optional<QString> description;
    SourceLocation location;
    bool operator==(const ProxyService &o) const;
};

struct ApiResource {
    QStringList methods;
    QString uriTemplate;
    QString urlMapping;
    QString protocol;
    SequenceReference inSequence;
    SequenceReference outSequence;
    SequenceReference faultSequence;
    SourceLocation location;
    bool operator==(const ApiResource &o) const;
};

struct Api {
    QString name;
    QString context;
    QString version;
    QString versionType;
    QString hostname;
    QString port;
    QString transports; // http or https: restricts the API to one scheme; empty for both
    QString statistics;
    QString trace;
    std::vector<ApiResource> resources;
    std::optional<QString> description;
    SourceLocation location;
    bool operator==(const Api &o) const;
};

struct LocalEntry {
    QString key;
    QString src;                     // a URL to load from; kept, not fetched at load time
    QString text;                    // text value
    std::optional<XmlNode> xmlValue; // inline XML value
    std::optional<QString> description;
    SourceLocation location;
    bool operator==(const LocalEntry &o) const;
};

// Everything one project (or one <definitions> file) declares.
struct ArtifactSet {
    std::vector<Sequence> sequences;
    std::vector<EndpointDefinition> endpoints;
    std::vector<InboundEndpoint> inboundEndpoints;
    std::vector<ProxyService> proxyServices;
    std::vector<Api> apis;
    std::vector<LocalEntry> localEntries;

    void append(ArtifactSet &&other);
    int size() const;
    const Sequence *findSequence(const QString &name) const;
    const EndpointDefinition *findEndpoint(const QString &name) const;
    bool operator==(const ArtifactSet &o) const = default;
};

} // namespace sluice
