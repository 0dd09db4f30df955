// SPDX-License-Identifier: Apache-2.0
#include "project.h"
#include "project_trust_store.h"
#include "xml_node.h"

namespace sluice {

namespace {

const QString kWebSocketSenderClass =
    QStringLiteral("org.wso2.carbon.websocket.transport.WebsocketTransportSender");

void readTrustStoreParameter(const XmlNode &parameter, WebSocketSenderConfig &config,
                             SourceLocation &typeLocation, Diagnostics &diagnostics)
{
    for (const XmlNode *child : parameter.childElements()) {
        const QString value = child->textContent().trimmed();
        if (child->name == QLatin1String("ws.trust.store.location")) {
            config.trustStoreLocation = value;
            config.trustStoreSource = child->location;
        } else if (child->name.compare(QLatin1String("ws.trust.store.password"),
                                       Qt::CaseInsensitive) == 0) {
            config.trustStorePassword = value;
        } else if (child->name.compare(QLatin1String("ws.trust.store.type"), Qt::CaseInsensitive) ==
                   0) {
            config.trustStoreType = value;
            typeLocation = child->location;
        } else {
            diagnostics.warning(child->location,
                                QStringLiteral("unknown element <%1> in the ws.trust.store "
                                               "parameter")
                                    .arg(child->name));
        }
    }
}

void readSender(const XmlNode &sender, WebSocketSenderConfig &config, Diagnostics &diagnostics)
{
    const QString className = sender.attribute(QStringLiteral("class"));
    if (className != kWebSocketSenderClass) {
        diagnostics.warning(
            sender.attributeLocation(QStringLiteral("class")),
            QStringLiteral("transportSender '%1' has class '%2'; Sluice reads "
                           "its parameters as those of %3")
                .arg(sender.attribute(QStringLiteral("name")), className, kWebSocketSenderClass));
    }
    config.enabled = true;
    config.location = sender.location;
    SourceLocation typeLocation;
    for (const XmlNode *parameter : sender.childElements()) {
        if (parameter->name != QLatin1String("parameter")) {
            diagnostics.warning(
                parameter->location,
                QStringLiteral("unknown element <%1> in transportSender '%2'")
                    .arg(parameter->name, sender.attribute(QStringLiteral("name"))));
            continue;
        }
        const QString name = parameter->attribute(QStringLiteral("name"));
        const QString value = parameter->textContent().trimmed();
        if (name == QLatin1String("ws.outflow.dispatch.sequence")) {
            config.outflowDispatchSequence = value;
        } else if (name == QLatin1String("ws.outflow.dispatch.fault.sequence")) {
            config.outflowFaultSequence = value;
        } else if (name == QLatin1String("ws.trust.store")) {
            readTrustStoreParameter(*parameter, config, typeLocation, diagnostics);
        } else if (name == QLatin1String("ws.client.enable.hostname.verification")) {
            const QString flag = value.toLower();
            if (flag == QLatin1String("true") || flag == QLatin1String("false"))
                config.hostnameVerification = flag == QLatin1String("true");
            else
                diagnostics.error(parameter->location,
                                  QStringLiteral("parameter %1: expected true or false").arg(name));
        } else if (name.isEmpty()) {
            diagnostics.error(parameter->location,
                              QStringLiteral("<parameter> without a name attribute"));
        } else {
            config.parameters.insert(name, value);
        }
    }
    if (!config.trustStoreLocation.isEmpty() || !config.trustStoreType.isEmpty()) {
        checkTrustStoreType(config, typeLocation.isValid() ? typeLocation : config.trustStoreSource,
                            diagnostics);
    }
}

} // namespace

void readAxis2Senders(const QByteArray &xml, const QString &displayName, ProjectConfig &config,
                      Diagnostics &diagnostics)
{
    XmlDocumentOptions options;
    options.allowDoctype = false;
    const std::optional<XmlNode> root = parseXml(xml, displayName, diagnostics, options);
    if (!root)
        return;
    config.sourceFile = displayName;
    for (const XmlNode *sender : root->childElements(QStringLiteral("transportSender"))) {
        const QString name = sender->attribute(QStringLiteral("name"));
        if (name == QLatin1String("ws"))
            readSender(*sender, config.ws, diagnostics);
        else if (name == QLatin1String("wss"))
            readSender(*sender, config.wss, diagnostics);
    }
}

} // namespace sluice
