// SPDX-License-Identifier: Apache-2.0
#include "artifact_read_parts.h"

namespace sluice {

// <localEntry key="..." [src="..."]> holds a text value or one XML element (in any namespace),
// next to an optional <description>.
LocalEntry readLocalEntry(const XmlNode &element, Diagnostics &diagnostics)
{
    ElementReader reader(element, diagnostics, {"key", "src"});
    LocalEntry entry;
    entry.key = reader.required("key");
    entry.src = reader.value("src");
    entry.location = element.location;
    reader.forEachChild(
        [&](const XmlNode &child) {
            if (isSynapseElement(child, "description")) {
                if (reader.once(child))
                    entry.description = reader.description(child);
            } else if (entry.xmlValue) {
                reader.error(child.location,
                             QStringLiteral("<localEntry> holds one element as its value, found "
                                            "<%1> after <%2>")
                                 .arg(child.name, entry.xmlValue->name));
            } else {
                entry.xmlValue = child;
            }
            return true;
        },
        true);
    entry.text = element.textContent().trimmed();
    if (entry.xmlValue && !entry.text.isEmpty()) {
        reader.error(element.location,
                     QStringLiteral("<localEntry> holds either text or an element, not both"));
    }
    return entry;
}

} // namespace sluice
