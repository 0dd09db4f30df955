// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "artifacts/diagnostics.h"
#include "artifacts/parameter_spec.h"
#include "artifacts/xml_node.h"

#include <QHash>
#include <QString>
#include <optional>

namespace sluice::studio {

class ProjectDocument;

// Checks a value typed into a form field, at once, with the reason when it does not fit: the
// description's kind, range and choices (checkAttributeValue), expressions compiled with the
// namespaces in scope of the element, and, with a document, references to sequences and
// endpoints that the project does not have.
std::optional<QString> checkFieldValue(const ParameterSpec &spec, const QString &value,
                                       const QHash<QString, QString> &namespaces = {},
                                       const ProjectDocument *document = nullptr);

// Everything the mediator's factory reports about one mediator element (missing attributes,
// conflicting ones, child elements it does not know): what the property panel shows beside
// the fields. Line and column are those of the tree (none for edited elements).
Diagnostics checkMediator(const XmlNode &mediator);

} // namespace sluice::studio
