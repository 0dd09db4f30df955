// SPDX-License-Identifier: Apache-2.0
#include "build_support.h"
#include "mediation/executor.h"
#include "mediation/message_context.h"
#include "mediator_factories.h"
#include "run_support.h"
#include "value_source.h"
#include "xml_support.h"

#include <libxml/tree.h>

namespace sluice {

namespace {

const QString kTo = QStringLiteral("To");

// <header>: sets or removes a SOAP header block of the envelope (scope default) or a transport
// header (scope transport). The WS-Addressing header To sets the message's To address.
class HeaderMediator : public Mediator {
public:
    struct Config {
        QString name; // as written, for messages
        QString localName;
        QString namespaceUri;
        QString prefix;
        bool transport = false;
        bool remove = false;
        std::optional<ValueSource> value;
        QString inlineXml; // a header block given as XML
    };

    HeaderMediator(SourceLocation location, Config config)
        : Mediator(std::move(location))
        , m_config(std::move(config))
    {
    }
    QString elementName() const override { return QStringLiteral("header"); }

    MediationResult mediate(MessageContext &message) const override
    {
        const Config &c = m_config;
        QString value;
        if (!c.remove && c.value) {
            QString error;
            const auto evaluated = c.value->evaluate(message, &error);
            if (!evaluated) {
                return failWith(message, ErrorCodes::kExpressionFailure,
                                QStringLiteral("header '%1': %2").arg(c.name, error));
            }
            value = *evaluated;
        }
        if (c.transport) {
            if (c.remove)
                message.removeProperty(c.name, PropertyScope::Transport);
            else
                message.setProperty(c.name, value, PropertyScope::Transport);
            return MediationResult::Continue;
        }
        if (c.namespaceUri.isEmpty() && c.localName == kTo && c.inlineXml.isEmpty()) {
            message.setToAddress(c.remove ? QString() : value);
            return MediationResult::Continue;
        }
        return editSoapHeader(message, value);
    }

private:
    MediationResult editSoapHeader(MessageContext &message, const QString &value) const
    {
        const Config &c = m_config;
        QString error;
        xmlDocPtr doc = message.isXml() ? message.xmlDocument(&error) : nullptr;
        if (!doc || soapNamespace(doc).isEmpty()) {
            return failWith(message, ErrorCodes::kMediationFailure,
                            QStringLiteral("header '%1': the payload is not a SOAP envelope, so "
                                           "it has no SOAP header (use scope=\"transport\" for a "
                                           "transport header)")
                                .arg(c.name));
        }
        XmlDocHolder block;
        if (!c.inlineXml.isEmpty()) {
            block = parseXmlText(c.inlineXml.toUtf8(), &error);
            if (!block) {
                return failWith(message, ErrorCodes::kMediationFailure,
                                QStringLiteral("header '%1': %2").arg(c.name, error));
            }
        }
        xmlNodePtr blockRoot = block ? xmlDocGetRootElement(block.get()) : nullptr;
        const QString localName = blockRoot ? xmlLocalName(blockRoot) : c.localName;
        const QString namespaceUri = blockRoot ? xmlNamespaceUri(blockRoot) : c.namespaceUri;
        xmlNodePtr header = soapHeader(doc, !c.remove);
        bool changed = !c.remove;
        if (header) {
            for (xmlNodePtr existing : childElements(header)) {
                if (xmlLocalName(existing) == localName &&
                    xmlNamespaceUri(existing) == namespaceUri) {
                    xmlUnlinkNode(existing);
                    xmlFreeNode(existing);
                    changed = true;
                }
            }
        }
        if (!c.remove) {
            xmlNodePtr added = nullptr;
            if (blockRoot) {
                added = xmlDocCopyNode(blockRoot, doc, 1);
            } else {
                added = xmlNewDocNode(doc, nullptr, xmlString(c.localName.toUtf8()), nullptr);
                if (!c.namespaceUri.isEmpty()) {
                    const QByteArray prefix = c.prefix.toUtf8();
                    xmlNsPtr ns = xmlNewNs(added, xmlString(c.namespaceUri.toUtf8()),
                                           c.prefix.isEmpty() ? nullptr : xmlString(prefix));
                    xmlSetNs(added, ns);
                }
                xmlNodeAddContent(added, xmlString(value.toUtf8()));
            }
            xmlAddChild(header, added);
        }
        // Removing a header that is not there leaves the payload as it came.
        if (changed)
            message.markXmlChanged();
        return MediationResult::Continue;
    }

    Config m_config;
};

// WS-Addressing headers Synapse keeps outside the envelope; Sluice only models To.
bool isAddressingHeader(const QString &name)
{
    static const QStringList names{QStringLiteral("From"),      QStringLiteral("FaultTo"),
                                   QStringLiteral("ReplyTo"),   QStringLiteral("Action"),
                                   QStringLiteral("MessageID"), QStringLiteral("RelatesTo")};
    return names.contains(name);
}

} // namespace

std::unique_ptr<Mediator> buildHeaderMediator(const XmlNode &element,
                                              const MediatorBuildContext &context)
{
    const int errors = context.diagnostics().errorCount();
    context.checkAttributes(element, {QStringLiteral("name"), QStringLiteral("value"),
                                      QStringLiteral("expression"), QStringLiteral("action"),
                                      QStringLiteral("scope"), QStringLiteral("description")});
    HeaderMediator::Config config;
    const auto action = enumAttribute(element, QStringLiteral("action"),
                                      {QStringLiteral("set"), QStringLiteral("remove")},
                                      QStringLiteral("set"), context);
    config.remove = action && *action == QLatin1String("remove");
    const auto scope = enumAttribute(element, QStringLiteral("scope"),
                                     {QStringLiteral("default"), QStringLiteral("transport")},
                                     QStringLiteral("default"), context);
    config.transport = scope && *scope == QLatin1String("transport");

    const QList<const XmlNode *> blocks = element.childElements();
    const XmlNode *inlineBlock = blocks.isEmpty() ? nullptr : blocks.first();
    for (qsizetype i = 1; i < blocks.size(); ++i) {
        context.error(blocks[i]->location,
                      QStringLiteral("<header> can hold only one XML header block"));
    }
    if (inlineBlock && (config.transport || config.remove)) {
        context.error(inlineBlock->location,
                      QStringLiteral("an inline header block is only allowed for a SOAP header "
                                     "that is set (scope=\"default\", action=\"set\")"));
    }

    const bool hasName = element.hasAttribute(QStringLiteral("name"));
    if (!hasName && !inlineBlock) {
        context.requireAttribute(element, QStringLiteral("name"));
    } else if (hasName) {
        config.name = element.attribute(QStringLiteral("name"));
        const qsizetype colon = config.name.indexOf(QLatin1Char(':'));
        config.localName = colon < 0 ? config.name : config.name.mid(colon + 1);
        if (!config.transport && colon >= 0) {
            config.prefix = config.name.left(colon);
            config.namespaceUri = element.namespacesInScope.value(config.prefix);
            if (config.namespaceUri.isEmpty()) {
                context.error(element.attributeLocation(QStringLiteral("name")),
                              QStringLiteral("header name '%1' uses the undeclared namespace "
                                             "prefix '%2'")
                                  .arg(config.name, config.prefix));
            }
        } else if (!config.transport && isAddressingHeader(config.name)) {
            context.error(element.attributeLocation(QStringLiteral("name")),
                          QStringLiteral("the WS-Addressing header '%1' is not supported (of the "
                                         "WS-Addressing headers only 'To' is)")
                              .arg(config.name));
        }
    } else {
        config.name = inlineBlock->name;
    }

    if (!config.remove) {
        if (inlineBlock && !config.transport) {
            if (element.hasAttribute(QStringLiteral("value")) ||
                element.hasAttribute(QStringLiteral("expression"))) {
                context.error(element.location, QStringLiteral("<header> has both a value and an "
                                                               "inline header block"));
            }
            config.inlineXml = serializeInlineXml(*inlineBlock);
        } else {
            config.value = ValueSource::read(element, context);
        }
    }
    if (hasErrorsSince(context, errors))
        return nullptr;
    return std::make_unique<HeaderMediator>(element.location, std::move(config));
}

} // namespace sluice
