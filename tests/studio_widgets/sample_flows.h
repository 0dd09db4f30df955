// SPDX-License-Identifier: Apache-2.0
#pragma once

// Sample flows for the widget tests, the screenshots and the benchmark, written the way the
// document model will describe sequences (child-element paths, catalog icons and summaries).

#include "widgets/flow_node.h"
#include "widgets/palette_widget.h"

namespace sluice::studio::samples {

inline FlowNode mediator(const QString &element, const QString &title, const QString &summary)
{
    FlowNode node;
    node.icon = QStringLiteral("mediator-") + element;
    node.title = title;
    node.summary = summary;
    return node;
}

inline FlowBranch branch(const QString &label, const QList<FlowNode> &nodes)
{
    return FlowBranch{label, nodes, {}};
}

// Child-element paths: a branch is the mediator's child element at the branch's position
// (<then> 0, <else> 1; <case> ..., <default> last).
inline void assignPaths(QList<FlowNode> &nodes, const FlowPath &parent = {})
{
    for (int i = 0; i < nodes.size(); ++i) {
        nodes[i].path = parent;
        nodes[i].path.append(i);
        for (int b = 0; b < nodes[i].branches.size(); ++b) {
            FlowPath branchPath = nodes[i].path;
            branchPath.append(b);
            assignPaths(nodes[i].branches[b].nodes, branchPath);
        }
    }
}

inline QList<FlowNode> dispatchSeqProperties()
{
    return {
        mediator(QStringLiteral("property"), QStringLiteral("Property"),
                 QStringLiteral("OUT_ONLY = true")),
        mediator(QStringLiteral("property"), QStringLiteral("Property"),
                 QStringLiteral("axis2: FORCE_SC_ACCEPTED = true")),
        mediator(QStringLiteral("property"), QStringLiteral("Property"),
                 QStringLiteral("axis2: websocket.accept.contenType = text/xml")),
    };
}

inline FlowNode sendToBackend()
{
    return mediator(QStringLiteral("send"), QStringLiteral("Send"),
                    QStringLiteral("ws://localhost:8082/websocket"));
}

// The seed project's dispatchSeq: three properties and a send.
inline QList<FlowNode> dispatchSeq()
{
    QList<FlowNode> nodes = dispatchSeqProperties();
    nodes.append(sendToBackend());
    assignPaths(nodes);
    return nodes;
}

inline FlowNode sampleFilter()
{
    FlowNode filter = mediator(QStringLiteral("filter"), QStringLiteral("Filter"),
                               QStringLiteral("$ctx:websocket.source.handshake.present"));
    filter.branches = {
        branch(QStringLiteral("then"),
               {mediator(QStringLiteral("log"), QStringLiteral("Log"),
                         QStringLiteral("level full: handshake")),
                mediator(QStringLiteral("header"), QStringLiteral("Header"),
                         QStringLiteral("set X-Client = get-property('client')"))}),
        branch(QStringLiteral("else"),
               {mediator(QStringLiteral("makefault"), QStringLiteral("Fault"),
                         QStringLiteral("soap12 Receiver: no handshake")),
                mediator(QStringLiteral("respond"), QStringLiteral("Respond"), QString())}),
    };
    return filter;
}

inline FlowNode sampleSwitch()
{
    FlowNode choose = mediator(QStringLiteral("switch"), QStringLiteral("Switch"),
                               QStringLiteral("source get-property('messageType')"));
    FlowNode script;
    script.icon = QStringLiteral("mediator-unknown");
    script.title = QStringLiteral("<script>");
    script.summary = QStringLiteral("not editable in the designer");
    script.opaque = true;
    choose.branches = {
        branch(QStringLiteral("case text/xml"),
               {mediator(QStringLiteral("payloadFactory"), QStringLiteral("Payload Factory"),
                         QStringLiteral("xml: <ack>$1</ack>, 1 argument"))}),
        branch(QStringLiteral("case application/json"),
               {mediator(QStringLiteral("enrich"), QStringLiteral("Enrich"),
                         QStringLiteral("$.received \u2190 property 'now'")),
                mediator(QStringLiteral("call"), QStringLiteral("Call"),
                         QStringLiteral("endpoint jsonBackend"))}),
        branch(QStringLiteral("default"),
               {script, mediator(QStringLiteral("drop"), QStringLiteral("Drop"), QString())}),
    };
    return choose;
}

// dispatchSeq with a filter (then / else) and a switch (two cases and default) before the send:
// {0..2} properties, {3} filter, {4} switch, {5} send.
inline QList<FlowNode> branchingSeq()
{
    QList<FlowNode> nodes = dispatchSeqProperties();
    nodes.append(sampleFilter());
    nodes.append(sampleSwitch());
    nodes.append(sendToBackend());
    assignPaths(nodes);
    return nodes;
}

// A filter nested in a switch case, and a filter whose else branch is empty.
inline QList<FlowNode> nestedSeq()
{
    FlowNode inner = sampleFilter();
    inner.branches[1].nodes.clear();
    FlowNode outer = sampleSwitch();
    outer.branches[0].nodes.append(inner);
    QList<FlowNode> nodes = {
        mediator(QStringLiteral("log"), QStringLiteral("Log"), QStringLiteral("level simple")),
        outer, inner};
    assignPaths(nodes);
    return nodes;
}

// count mediators: a repeating mix of properties, logs and filters with one mediator per
// branch (every group of five is property, log, filter{then: property, else: drop}).
inline QList<FlowNode> longSeq(int count, bool branching)
{
    QList<FlowNode> nodes;
    int made = 0;
    while (made < count) {
        const int group = made / 5;
        if (!branching || count - made < 5) {
            nodes.append(mediator(QStringLiteral("property"), QStringLiteral("Property"),
                                  QStringLiteral("step%1 = %2").arg(made).arg(made * 7)));
            ++made;
            continue;
        }
        nodes.append(mediator(QStringLiteral("property"), QStringLiteral("Property"),
                              QStringLiteral("group%1 = started").arg(group)));
        nodes.append(mediator(QStringLiteral("log"), QStringLiteral("Log"),
                              QStringLiteral("level custom: group %1").arg(group)));
        FlowNode filter = mediator(QStringLiteral("filter"), QStringLiteral("Filter"),
                                   QStringLiteral("$ctx:group = %1").arg(group));
        filter.branches = {
            branch(QStringLiteral("then"),
                   {mediator(QStringLiteral("property"), QStringLiteral("Property"),
                             QStringLiteral("matched = %1").arg(group))}),
            branch(QStringLiteral("else"),
                   {mediator(QStringLiteral("drop"), QStringLiteral("Drop"), QString())}),
        };
        nodes.append(filter);
        made += 5;
    }
    assignPaths(nodes);
    return nodes;
}

// What the mediator catalog will provide.
inline QList<PaletteEntry> paletteEntries()
{
    const auto entry = [](const char *element, const char *name, const char *group,
                          const char *help) {
        return PaletteEntry{
            QString::fromLatin1(element), QString::fromLatin1(name), QString::fromLatin1(group),
            QStringLiteral("mediator-") + QString::fromLatin1(element), QString::fromLatin1(help)};
    };
    return {
        entry("send", "Send", "transport", "Sends the message to an endpoint."),
        entry("log", "Log", "core", "Writes a line about the message to the log."),
        entry("filter", "Filter", "flow control", "Runs then or else depending on a condition."),
        entry("property", "Property", "core", "Sets or removes a message property."),
        entry("payloadFactory", "Payload Factory", "transformation",
              "Replaces the payload with a template filled with arguments."),
        entry("sequence", "Sequence", "core", "Runs a named sequence."),
        entry("switch", "Switch", "flow control",
              "Runs the first case whose regex matches the source."),
        entry("drop", "Drop", "core", "Stops the message here."),
        entry("respond", "Respond", "core", "Sends the message back to the client."),
        entry("loopback", "Loopback", "core", "Moves the message to the out flow."),
        entry("header", "Header", "transformation", "Sets or removes a transport header."),
        entry("enrich", "Enrich", "transformation",
              "Copies part of the message or a property into the message."),
        entry("makefault", "Fault", "transformation", "Turns the message into a fault."),
        entry("call", "Call", "transport",
              "Sends the message to an endpoint and continues with the reply."),
    };
}

} // namespace sluice::studio::samples
