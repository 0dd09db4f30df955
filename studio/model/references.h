// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "artifact_id.h"
#include "artifacts/xml_node.h"

#include <QList>
#include <QString>

namespace sluice::studio {

// One place where an artifact names another: an attribute (<sequence key>, onError, inbound
// sequence, proxy target inSequence/outSequence/faultSequence/endpoint, <endpoint key>, send
// receive, <format key>, enrich <source key>) or the text of an inbound <parameter> whose
// description is a sequence reference (ws.outflow.dispatch.sequence, ...).
struct ArtifactReference {
    ArtifactId from;         // the artifact that holds the reference
    MediatorPath path;       // the element that holds it
    QString attribute;       // the attribute; empty: the element's text
    ArtifactId target;       // what it names
    SourceLocation location; // where it was read from, when the tree was read from a file

    QString describe() const; // "sequence main: <sequence key> at 2/0"
    bool operator==(const ArtifactReference &o) const
    {
        return from == o.from && path == o.path && attribute == o.attribute && target == o.target;
    }
};

// Every static reference in the tree of artifact `from` (dynamic keys such as
// "{get-property('x')}" name nothing until run time and are left out).
QList<ArtifactReference> findReferences(const ArtifactId &from, const XmlNode &root);

// Points every reference of `root` (the tree of `from`) to `oldTarget` at `newName` instead;
// returns how many were changed.
int renameReferences(const ArtifactId &from, XmlNode &root, const ArtifactId &oldTarget,
                     const QString &newName);

} // namespace sluice::studio
