// SPDX-License-Identifier: Apache-2.0
#include "artifact_read_parts.h"

namespace sluice {

InboundEndpoint readInboundEndpoint(const XmlNode &element, Diagnostics &diagnostics)
{
    ElementReader reader(
        element, diagnostics,
        {"name", "protocol", "class", "sequence", "onError", "suspend", "statistics", "trace"});
    InboundEndpoint inbound;
    inbound.name = reader.required("name");
    inbound.protocol = reader.value("protocol");
    inbound.className = reader.value("class");
    inbound.sequence = reader.value("sequence");
    inbound.onError = reader.value("onError");
    inbound.suspend = reader.value("suspend");
    inbound.statistics = reader.value("statistics");
    inbound.trace = reader.value("trace");
    inbound.location = element.location;
    if (inbound.protocol.isEmpty() && inbound.className.isEmpty()) {
        reader.error(element.location,
                     QStringLiteral("<inboundEndpoint> needs the attribute 'protocol' or "
                                    "'class'"));
    }
    reader.forEachChild([&](const XmlNode &child) {
        if (isSynapseElement(child, "parameters")) {
            if (!reader.once(child))
                return true;
            ElementReader parameters(child, diagnostics, {});
            parameters.forEachChild([&](const XmlNode &parameter) {
                if (!isSynapseElement(parameter, "parameter"))
                    return false;
                inbound.parameters.append(readParameter(parameter, diagnostics));
                return true;
            });
        } else if (isSynapseElement(child, "description")) {
            if (reader.once(child))
                inbound.description = reader.description(child);
        } else {
            return false;
        }
        return true;
    });
    return inbound;
}

} // namespace sluice
