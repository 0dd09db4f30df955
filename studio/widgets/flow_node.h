// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QList>
#include <QString>

// The small description of a sequence that the flow canvas draws. The studio's document model
// produces it (element names, catalog icons and summaries, child-element paths); the canvas
// knows nothing else about mediators.

namespace sluice::studio {

// Child-element indices from the sequence root down to a mediator, as the document model
// addresses mediators: {2} is the third mediator of the sequence, {2, 0, 1} is the second
// mediator inside the first child element (say <then>) of that mediator.
using FlowPath = QList<int>;

struct FlowNode;

// One column under a branching mediator: filter's then / else, a switch case or default.
struct FlowBranch {
    QString label; // "then", "else", "case ^a.*", "default"
    QList<FlowNode> nodes;
    // Path of the element that holds this branch's mediators (a drop into the branch is
    // "insert into parentPath at index"). Empty means: the mediator's path + the branch index.
    FlowPath path;
};

struct FlowNode {
    QString icon;    // resource icon name, e.g. "mediator-log"
    QString title;   // display name, e.g. "Log"
    QString summary; // one line, e.g. "level=custom, 2 properties"
    QList<FlowBranch> branches;
    bool opaque = false; // an element the studio cannot open: drawn as a closed box
    FlowPath path;
    QString problem; // non-empty: drawn as invalid, shown as tool tip
};

// Where a drop lands: insert into the list at parentPath before index.
struct FlowDropTarget {
    FlowPath parentPath;
    int index = 0;
    bool operator==(const FlowDropTarget &) const = default;
};

inline FlowPath branchPath(const FlowNode &node, int branchIndex)
{
    const FlowBranch &branch = node.branches.at(branchIndex);
    if (!branch.path.isEmpty())
        return branch.path;
    FlowPath path = node.path;
    path.append(branchIndex);
    return path;
}

// Mime types the canvas accepts: a new mediator from the palette (UTF-8 element name) and a
// mediator moved inside the canvas (its path as "2/0/1").
inline const QString kMediatorMimeType = QStringLiteral("application/x-sluice-mediator");
inline const QString kFlowNodeMimeType = QStringLiteral("application/x-sluice-flow-node");

} // namespace sluice::studio
