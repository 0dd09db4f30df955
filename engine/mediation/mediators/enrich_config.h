// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "json_location.h"
#include "mediation/expressions/expression.h"
#include "mediation/mediator.h"

#include <memory>

namespace sluice {

class MessageContext;

// What <enrich> was built from; shared by its XML and JSON halves.
struct EnrichConfig {
    enum class SourceType { Custom, Envelope, Body, Property, Inline };
    enum class TargetType { Custom, Envelope, Body, Property };
    enum class Action { Replace, Child, Sibling };

    SourceType sourceType = SourceType::Custom;
    bool clone = true;
    std::unique_ptr<Expression> sourcePath;
    QString sourceProperty;
    QString inlineXml;  // an inline element, serialized with its namespaces
    QString inlineText; // inline text (JSON or plain)
    QString inlineKey;  // a local entry holding the inline content

    TargetType targetType = TargetType::Custom;
    Action action = Action::Replace;
    std::unique_ptr<Expression> targetPath;
    JsonLocation targetLocation; // for a json-eval target
    QString targetProperty;

    // Synapse's rule for editing JSON payloads as JSON rather than through their XML view.
    bool nativeJson = false;
};

MediationResult enrichJson(MessageContext &message, const EnrichConfig &config);
MediationResult enrichXml(MessageContext &message, const EnrichConfig &config);

} // namespace sluice
