// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "artifact_read_support.h"
#include "artifacts.h"

namespace sluice {

// The readers of each artifact kind behind readArtifacts(). Each reports its own problems and
// returns what it could read; the caller checks what a top-level artifact requires on top.
InboundEndpoint readInboundEndpoint(const XmlNode &element, Diagnostics &diagnostics);
ProxyService readProxyService(const XmlNode &element, Diagnostics &diagnostics);
Api readApi(const XmlNode &element, Diagnostics &diagnostics);
LocalEntry readLocalEntry(const XmlNode &element, Diagnostics &diagnostics);

// The in/out/fault sequence of a proxy target or an API resource: the key attribute attribute
// of owner (e.g. inSequence="name") or the inline child element (e.g. <inSequence>), not both.
SequenceReference readSequenceReference(const ElementReader &owner, const char *attribute,
                                        const XmlNode *inlineElement);

} // namespace sluice
