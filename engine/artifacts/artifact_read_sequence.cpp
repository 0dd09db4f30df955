// SPDX-License-Identifier: Apache-2.0
#include "artifact_io.h"
#include "artifact_read_parts.h"

namespace sluice {

namespace {

Sequence readSequenceBody(ElementReader &reader)
{
    Sequence sequence;
    sequence.name = reader.value("name");
    sequence.onError = reader.value("onError");
    sequence.trace = reader.value("trace");
    sequence.statistics = reader.value("statistics");
    sequence.location = reader.element().location;
    // Everything but the description is a mediator; mediator factories validate them.
    reader.forEachChild([&](const XmlNode &child) {
        if (isSynapseElement(child, "description")) {
            if (reader.once(child))
                sequence.description = reader.description(child);
        } else {
            sequence.mediators.push_back(child);
        }
        return true;
    });
    return sequence;
}

} // namespace

Sequence readSequence(const XmlNode &element, Diagnostics &diagnostics)
{
    // A named <sequence> or an anonymous one (<inSequence>, <outSequence>, <faultSequence>, ...).
    if (element.name == QLatin1String("sequence")) {
        ElementReader reader(element, diagnostics, {"name", "onError", "trace", "statistics"});
        return readSequenceBody(reader);
    }
    ElementReader reader(element, diagnostics, {"onError", "trace", "statistics"});
    return readSequenceBody(reader);
}

SequenceReference readSequenceReference(const ElementReader &owner, const char *attribute,
                                        const XmlNode *inlineElement)
{
    SequenceReference reference;
    // As in Synapse, an empty attribute is no key.
    if (!owner.value(attribute).isEmpty()) {
        reference.key = owner.value(attribute);
        reference.location = owner.location(attribute);
        if (inlineElement) {
            owner.error(inlineElement->location,
                        QStringLiteral("%1 has both the attribute '%2' and an inline <%2>")
                            .arg(owner.tag(), QLatin1String(attribute)));
        }
    } else if (inlineElement) {
        reference.inlineSequence = readSequence(*inlineElement, owner.diagnostics());
        reference.location = inlineElement->location;
    }
    return reference;
}

} // namespace sluice
