// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "parameter_spec.h"
#include "project_kinds.h"
#include "xml_node.h"

#include <QList>
#include <QString>
#include <QStringList>
#include <optional>

namespace sluice {

// One description per built-in mediator: what the studio's palette, design view and property
// forms show, and what a generated reference can print. The mediator factories
// (mediation/mediators/) stay the judges of what is valid; tests check that every registered
// mediator is described here and that every attribute described is one its factory accepts.

// Palette groups, in palette order.
enum class MediatorGroup { Core, FlowControl, Transformation, Transport };
const QList<MediatorGroup> &mediatorGroups();
QString mediatorGroupName(MediatorGroup group); // "Core", "Flow control", ...

// A child element that holds settings rather than mediators: the <endpoint> of send, the
// <property> children of log, <format> and <args> of payloadFactory, <source> of enrich, ...
struct MediatorPartSpec {
    enum class Content {
        None,  // attributes only
        Text,  // text content (e.g. <node> of makefault)
        Xml,   // inline XML or text (e.g. <format>, an inline <endpoint> definition)
        Parts, // further parts (e.g. <args> holds <arg>)
    };

    QString elementName;
    QString displayName;
    QString help;
    bool required = false;
    bool repeated = false; // may occur more than once (<property> of log, <arg> of <args>)
    Content content = Content::None;
    QList<ParameterSpec> attributes;
    QList<QStringList> exclusiveAttributes; // at most one of each group may be set
    QList<MediatorPartSpec> parts;          // for Content::Parts

    const ParameterSpec *findAttribute(const QString &name) const;
};

// A child element that holds a list of mediators: <then>/<else> of filter, <case>/<default> of
// switch.
struct MediatorBranchSpec {
    QString elementName;
    QString displayName;
    QString help;
    bool repeated = false; // <case> may occur many times
    QList<ParameterSpec> attributes;
};

struct MediatorDescription {
    QString elementName; // "payloadFactory"
    QString displayName; // "Payload factory"
    MediatorGroup group = MediatorGroup::Core;
    QString iconName; // "mediator-payloadFactory": resources/icons/<iconName>.svg
    QString help;     // a sentence or two for tooltips and the reference
    QList<ParameterSpec> attributes;
    QList<QStringList> exclusiveAttributes; // at most one of each group ("value", "expression")
    QList<MediatorPartSpec> parts;
    QList<MediatorBranchSpec> branches;
    // The element's own children are mediators (an inline <sequence>; a <filter> written
    // without <then>/<else>, whose children are its "then" branch).
    bool holdsMediators = false;
    // The element may hold one inline XML element as its value (<property>, <header>).
    bool inlineXml = false;
    // A minimal valid element (without xmlns; it is in the Synapse namespace): what the
    // palette inserts.
    QString templateXml;

    const ParameterSpec *findAttribute(const QString &name) const;
    const MediatorPartSpec *findPart(const QString &elementName) const;
    // templateXml as a tree in the Synapse namespace, with no namespace declaration of its own,
    // ready to insert into a sequence.
    XmlNode createElement() const;
};

// Every built-in mediator, in palette order (by group, then as listed).
const QList<MediatorDescription> &mediatorCatalog();
const MediatorDescription *findMediatorDescription(const QString &elementName);
QList<const MediatorDescription *> mediatorsInGroup(MediatorGroup group);

// The icon of any element of a mediator list: the description's, or "mediator-unknown".
QString mediatorIconName(const XmlNode &mediator);
// The display name: the description's, or the element name.
QString mediatorDisplayName(const XmlNode &mediator);
// Whether the element can be drawn and edited as a known mediator; anything else is an opaque
// box that keeps its XML as it is.
bool isKnownMediator(const XmlNode &mediator);

// One line for the design view: "property OUT_ONLY = true", "log full",
// "send → ws://localhost:8082/websocket", "filter get-property('x') ~ /a.*/",
// "<foo> (not editable in design)". At most kMaxSummaryLength characters.
inline constexpr int kMaxSummaryLength = 80;
QString summarize(const XmlNode &mediator);

// Whether a child element of a mediator list is a mediator (a <description> is not).
bool isMediatorElement(const XmlNode &node);

// Where a mediator keeps mediators of its own, for the design view.
struct MediatorBranch {
    QString label; // "then", "else", "case ^a.*$", "default"; the display name for holdsMediators
    // Index of the branch element among the mediator's child elements; -1 when the mediator's
    // own children are the mediators (inline <sequence>, <filter> without <then>/<else>).
    int elementIndex = -1;
};
QList<MediatorBranch> mediatorBranches(const XmlNode &mediator);

// The attributes of an artifact's root element, for the artifact's form (the inbound endpoint's
// ws/wss parameters are inboundEndpointParameterSpecs below).
const QList<ParameterSpec> &artifactAttributeSpecs(ArtifactKind kind);
// The attributes of a proxy's <target> (inSequence, outSequence, faultSequence, endpoint).
const QList<ParameterSpec> &proxyTargetAttributeSpecs();
// The <parameter> settings of an inbound endpoint: the same table as parameter_spec.h, under the
// same API as mediator attributes so that forms treat them alike.
const QList<ParameterSpec> &inboundEndpointParameterSpecs(const QString &protocol);

// Checks one value against its description (parameter_spec.h's checkParameterValue; a required
// attribute must not be empty). Expressions are only checked for being empty here; the studio
// model compiles them.
std::optional<QString> checkAttributeValue(const ParameterSpec &spec, const QString &value);

} // namespace sluice
