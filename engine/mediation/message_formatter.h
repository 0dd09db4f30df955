// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QString>

namespace sluice {

class MessageContext;

// MI's message formatters. In MI the axis2 property messageType (else ContentType) picks the
// formatter that writes a message onto the wire, whatever mediator built the payload before:
// a JSON payload leaves as XML with application/xml or text/xml (the <jsonObject> mapping of
// json_xml.h), an XML payload as JSON with application/json, and text/plain writes the text of
// Synapse's <text xmlns="http://ws.apache.org/commons/ns/payload"> wrapper (any other payload as
// it is). A plain-text payload sent as XML is wrapped in that element.

// The content type the message leaves with: axis2 messageType, else axis2 ContentType, else the
// payload's own.
QString outgoingContentType(const MessageContext &message);

// Rewrites the payload in place into the format of outgoingContentType() when it is another
// one. Called where a message leaves for a transport (respond, send, call). A payload that cannot
// be parsed leaves unchanged: the transport then sends the bytes it has.
void formatForTransport(MessageContext &message);

} // namespace sluice
