// SPDX-License-Identifier: Apache-2.0
#include "artifact_io.h"
#include "artifact_read_parts.h"

namespace sluice {

namespace {

// Synapse configuration elements that Sluice refuses with a reason rather than ignoring.
struct UnsupportedArtifact {
    const char *name;
    const char *reason;
};

constexpr UnsupportedArtifact kUnsupported[] = {
    {"registry", "Sluice has no registry; use local entries"},
    {"task", "Sluice does not run tasks yet"},
    {"messageStore", "Sluice has no message stores yet"},
    {"messageProcessor", "Sluice has no message processors yet"},
    {"template", "Sluice does not support templates yet"},
    {"import", "Sluice does not support connectors yet"},
    {"eventSource", "Sluice does not support event sources"},
    {"executor", "Sluice does not support priority executors"},
};

bool checkNamespace(const XmlNode &element, Diagnostics &diagnostics)
{
    if (element.namespaceUri == kSynapseNamespace)
        return true;
    const QString found = element.namespaceUri.isEmpty()
                              ? QStringLiteral("no namespace")
                              : QStringLiteral("the namespace '%1'").arg(element.namespaceUri);
    diagnostics.error(element.location,
                      QStringLiteral("<%1> must be in the namespace '%2', found %3")
                          .arg(element.name, kSynapseNamespace, found));
    return false;
}

void readArtifact(const XmlNode &element, Diagnostics &diagnostics, ArtifactSet &artifacts,
                  const QString &context);

void readDefinitions(const XmlNode &element, Diagnostics &diagnostics, ArtifactSet &artifacts)
{
    ElementReader reader(element, diagnostics, {});
    reader.forEachChild([&](const XmlNode &child) {
        readArtifact(child, diagnostics, artifacts, QStringLiteral(" in <definitions>"));
        return true;
    });
}

// context is empty for a file's root element and " in <definitions>" inside one.
void readArtifact(const XmlNode &element, Diagnostics &diagnostics, ArtifactSet &artifacts,
                  const QString &context)
{
    if (!checkNamespace(element, diagnostics))
        return;
    const QString &name = element.name;
    if (name == QLatin1String("sequence")) {
        requireAttribute(element, "name", diagnostics);
        artifacts.sequences.push_back(readSequence(element, diagnostics));
    } else if (name == QLatin1String("endpoint")) {
        requireAttribute(element, "name", diagnostics);
        artifacts.endpoints.push_back(readEndpoint(element, diagnostics));
    } else if (name == QLatin1String("inboundEndpoint")) {
        artifacts.inboundEndpoints.push_back(readInboundEndpoint(element, diagnostics));
    } else if (name == QLatin1String("proxy")) {
        artifacts.proxyServices.push_back(readProxyService(element, diagnostics));
    } else if (name == QLatin1String("api")) {
        artifacts.apis.push_back(readApi(element, diagnostics));
    } else if (name == QLatin1String("localEntry")) {
        artifacts.localEntries.push_back(readLocalEntry(element, diagnostics));
    } else if (name == QLatin1String("definitions") && context.isEmpty()) {
        readDefinitions(element, diagnostics, artifacts);
    } else {
        for (const UnsupportedArtifact &unsupported : kUnsupported) {
            if (name == QLatin1String(unsupported.name)) {
                diagnostics.error(element.location,
                                  QStringLiteral("unsupported element <%1>%2 (%3)")
                                      .arg(name, context, QLatin1String(unsupported.reason)));
                return;
            }
        }
        const QString expected = context.isEmpty()
                                     ? QStringLiteral(", <localEntry> or <definitions>")
                                     : QStringLiteral(" or <localEntry>");
        diagnostics.error(element.location,
                          QStringLiteral("unknown element <%1>%2 (expected <sequence>, "
                                         "<endpoint>, <inboundEndpoint>, <proxy>, <api>%3)")
                              .arg(name, context, expected));
    }
}

} // namespace

ArtifactSet readArtifacts(const XmlNode &root, Diagnostics &diagnostics)
{
    ArtifactSet artifacts;
    readArtifact(root, diagnostics, artifacts, QString());
    return artifacts;
}

ArtifactSet readArtifactFile(const QString &path, const QString &displayName,
                             Diagnostics &diagnostics)
{
    const std::optional<XmlNode> root = parseXmlFile(path, displayName, diagnostics);
    return root ? readArtifacts(*root, diagnostics) : ArtifactSet();
}

ArtifactSet readArtifactData(const QByteArray &data, const QString &displayName,
                             Diagnostics &diagnostics)
{
    const std::optional<XmlNode> root = parseXml(data, displayName, diagnostics);
    return root ? readArtifacts(*root, diagnostics) : ArtifactSet();
}

} // namespace sluice
