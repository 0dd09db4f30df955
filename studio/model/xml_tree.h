// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "artifact_id.h"
#include "artifacts/xml_node.h"

#include <QString>

namespace sluice::studio {

// Navigation and editing of XmlNode trees by MediatorPath. Edits keep everything they do not
// touch (comments, text, attribute order, namespace declarations) exactly as it was.

// The element at `path` below `root` ({} is root itself); nullptr when the path leads nowhere.
const XmlNode *elementAt(const XmlNode &root, const MediatorPath &path);
XmlNode *elementAt(XmlNode &root, const MediatorPath &path);

// Number of child elements (text and comments do not count).
int elementCount(const XmlNode &parent);

// Inserts `element` so that it becomes child element number `index` of `parent` (0 ..
// elementCount). Whitespace-only text that only formatted the children is dropped (it would
// make the parent mixed content); the element gets the namespaces in scope of the parent, and
// an xmlns declaration when it is unprefixed and the parent's default namespace differs.
void insertElement(XmlNode &parent, int index, XmlNode element);
// Removes and returns child element number `index` of `parent`.
XmlNode takeElement(XmlNode &parent, int index);

// Replaces the text content of `element` (its text and CDATA children) by one text node,
// keeping its child elements and comments.
void setTextContent(XmlNode &element, const QString &text);

// Sets the namespaces in scope of `node` and everything below it as they are inside an element
// whose scope is `parentScope` (plus each element's own declarations).
void adoptNamespaceScope(XmlNode &node, const QHash<QString, QString> &parentScope);

// Clears every source location below and including `node` (for elements created in code or
// copied from elsewhere).
void clearLocations(XmlNode &node);

// "property OUT_ONLY", "log", "sequence dispatchSeq", "parameter inbound.ws.port": the element
// name and its name (or key, or regex of a case), for command texts.
QString elementLabel(const XmlNode &element);

// The bytes a tree is saved as (writeArtifact), the canonical form compared to tell whether an
// artifact changed.
QByteArray canonicalXml(const XmlNode &root);

// What a document holds before its root element apart from the XML declaration (comments),
// trimmed; empty when that is only white space. `root` is the tree parsed from `text`.
QString prologOf(const QString &text, const XmlNode &root);
// `written` (writeArtifact's output) with `prolog` on the lines after the XML declaration.
QByteArray withProlog(const QByteArray &written, const QString &prolog);

} // namespace sluice::studio
