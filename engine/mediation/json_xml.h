// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QJsonDocument>

using xmlDocPtr = struct _xmlDoc *;

namespace sluice {

// Synapse's view of JSON as XML, so XPath works on JSON payloads: an object becomes
// <jsonObject> with one child per member, array items repeat the member's element, a top-level
// array becomes <jsonArray><jsonElement>...</jsonElement></jsonArray>.
xmlDocPtr jsonToXml(const QJsonDocument &json);
// The reverse, for a JSON message whose XML view a mediator edited: repeated names become
// arrays; text that reads as a number, true, false or null becomes that value.
QJsonDocument xmlToJson(xmlDocPtr document);

} // namespace sluice
