// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "xml_node.h"

namespace sluice {

// Mediators copied out of another document still use the prefixes declared around them there
// (in XPath expressions and prefixed attributes, e.g. xmlns:ns on the original <sequence>).
// Declares on root every prefix that a descendant has in scope, seems to use (in its name, an
// attribute or its text) and the written tree would not declare, so that the file reads back
// with the namespaces it needs. A prefix already bound on root is left alone.
void declareNamespacesInScope(XmlNode &root);

} // namespace sluice
