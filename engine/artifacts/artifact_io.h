// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "artifacts.h"
#include "diagnostics.h"

#include <QByteArray>
#include <QString>

namespace sluice {

// Reading: one artifact file (a <sequence>, <inboundEndpoint>, <endpoint>, <proxy>, <api>,
// <localEntry>) or a whole <definitions> file. Structural problems (unknown element or
// attribute of an artifact, missing required attribute, wrong namespace) are recorded with
// file:line:col; what could be read is still returned so that every problem is reported at once.
// displayName is what error messages call the file (a path relative to the project).
ArtifactSet readArtifacts(const XmlNode &root, Diagnostics &diagnostics);
ArtifactSet readArtifactFile(const QString &path, const QString &displayName,
                             Diagnostics &diagnostics);
ArtifactSet readArtifactData(const QByteArray &data, const QString &displayName,
                             Diagnostics &diagnostics);

// Parsers for pieces shared between artifacts and mediators (send/call hold inline endpoints).
Sequence readSequence(const XmlNode &element, Diagnostics &diagnostics);
EndpointDefinition readEndpoint(const XmlNode &element, Diagnostics &diagnostics);

// Writing: the XML element of each artifact, and a whole file.
XmlNode toXml(const Sequence &sequence, const QString &elementName = QStringLiteral("sequence"));
XmlNode toXml(const EndpointDefinition &endpoint);
XmlNode toXml(const InboundEndpoint &inbound);
XmlNode toXml(const ProxyService &proxy);
XmlNode toXml(const Api &api);
XmlNode toXml(const LocalEntry &entry);
QByteArray writeArtifact(const XmlNode &element);
// A <definitions> file holding every artifact of the set (Apache Synapse / older ESB style).
QByteArray writeDefinitions(const ArtifactSet &artifacts);

} // namespace sluice
