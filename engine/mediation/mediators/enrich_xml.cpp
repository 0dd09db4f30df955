// SPDX-License-Identifier: Apache-2.0
#include "build_support.h"
#include "enrich_config.h"
#include "mediation/executor.h"
#include "mediation/json_xml.h"
#include "mediation/mediation_environment.h"
#include "mediation/message_context.h"
#include "run_support.h"
#include "synapse_text.h"
#include "xml_support.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <libxml/tree.h>

namespace sluice {

namespace {

// The source, copied into a document of its own: the children of its <fragment> root are what
// gets inserted, so a source may be elements, text, or both, and never aliases the target.
class Fragment {
public:
    Fragment()
        : m_doc(xmlNewDoc(xmlString("1.0")))
    {
        xmlDocSetRootElement(m_doc.get(),
                             xmlNewDocNode(m_doc.get(), nullptr, xmlString("fragment"), nullptr));
    }
    xmlNodePtr root() const { return xmlDocGetRootElement(m_doc.get()); }
    void addCopy(xmlNodePtr node)
    {
        if (node->type == XML_ATTRIBUTE_NODE)
            addText(xmlNodeText(node));
        else
            xmlAddChild(root(), xmlDocCopyNode(node, m_doc.get(), 1));
    }
    void addText(const QString &text)
    {
        xmlAddChild(root(), xmlNewDocText(m_doc.get(), xmlString(text.toUtf8())));
    }
    bool addXmlText(const QString &xml, QString *error)
    {
        XmlDocHolder parsed = parseXmlText(xml.toUtf8(), error);
        if (!parsed)
            return false;
        addCopy(xmlDocGetRootElement(parsed.get()));
        return true;
    }
    void addJson(const QJsonValue &value)
    {
        if (!value.isObject() && !value.isArray()) {
            addText(jsonScalarText(value));
            return;
        }
        XmlDocHolder xml(jsonToXml(value.isObject() ? QJsonDocument(value.toObject())
                                                    : QJsonDocument(value.toArray())));
        for (xmlNodePtr child : childElements(xmlDocGetRootElement(xml.get())))
            addCopy(child);
    }
    std::vector<xmlNodePtr> nodes() const
    {
        std::vector<xmlNodePtr> result;
        for (xmlNodePtr n = root()->children; n; n = n->next)
            result.push_back(n);
        return result;
    }
    std::vector<xmlNodePtr> elements() const { return childElements(root()); }
    QString text() const { return xmlNodeText(root()); }
    // What a property receives: XML markup when there are elements, else the text.
    QString markup() const
    {
        if (elements().empty())
            return text();
        QByteArray out;
        for (xmlNodePtr n : nodes())
            out += serializeXmlNode(n);
        return QString::fromUtf8(out);
    }

private:
    XmlDocHolder m_doc;
};

bool fillSource(MessageContext &message, const EnrichConfig &config, Fragment &fragment,
                QString *error)
{
    using Type = EnrichConfig::SourceType;
    switch (config.sourceType) {
    case Type::Custom: {
        const Expression &path = *config.sourcePath;
        if (path.language() == Expression::Language::JsonPath) {
            const auto json = path.evaluateJson(message, error);
            if (!json)
                return false;
            fragment.addJson(*json);
            return true;
        }
        const auto nodes = path.evaluateNodes(message, error);
        if (!nodes)
            return false;
        if (nodes->empty()) {
            *error = QStringLiteral("the source '%1' selects nothing").arg(path.text());
            return false;
        }
        for (xmlNodePtr node : *nodes)
            fragment.addCopy(node);
        if (!config.clone) {
            // clone="false" moves the source: it leaves the payload.
            for (xmlNodePtr node : *nodes) {
                if (node->type != XML_ATTRIBUTE_NODE && node->parent &&
                    node->parent->type != XML_DOCUMENT_NODE) {
                    xmlUnlinkNode(node);
                    xmlFreeNode(node);
                }
            }
            message.markXmlChanged();
        }
        return true;
    }
    case Type::Envelope:
    case Type::Body: {
        xmlDocPtr doc = message.xmlDocument(error);
        if (!doc)
            return false;
        xmlNodePtr body = soapBody(doc);
        if (config.sourceType == Type::Envelope || !body) {
            fragment.addCopy(xmlDocGetRootElement(doc));
        } else {
            for (xmlNodePtr child : childElements(body))
                fragment.addCopy(child);
        }
        return true;
    }
    case Type::Property: {
        const QVariant value = message.property(config.sourceProperty);
        if (!value.isValid()) {
            *error = QStringLiteral("the property '%1' is not set").arg(config.sourceProperty);
            return false;
        }
        if (value.metaType().id() == QMetaType::QJsonValue) {
            fragment.addJson(value.toJsonValue());
            return true;
        }
        const QString text = MessageContext::propertyText(value);
        if (isXmlElementText(text))
            return fragment.addXmlText(text.trimmed(), error);
        fragment.addText(text);
        return true;
    }
    case Type::Inline:
        if (!config.inlineXml.isEmpty())
            return fragment.addXmlText(config.inlineXml, error);
        if (config.inlineKey.isEmpty()) {
            fragment.addText(config.inlineText);
            return true;
        }
        if (const LocalEntry *entry = message.environment().localEntry(config.inlineKey)) {
            if (entry->xmlValue)
                return fragment.addXmlText(serializeInlineXml(*entry->xmlValue), error);
            fragment.addText(entry->text.trimmed());
            return true;
        }
        *error = QStringLiteral("the local entry '%1' does not exist").arg(config.inlineKey);
        return false;
    }
    return false;
}

// Copies of the fragment's nodes for `doc`, in order.
std::vector<xmlNodePtr> copiesFor(const Fragment &fragment, xmlDocPtr doc)
{
    std::vector<xmlNodePtr> copies;
    for (xmlNodePtr node : fragment.nodes())
        copies.push_back(xmlDocCopyNode(node, doc, 1));
    return copies;
}

void removeChildren(xmlNodePtr parent)
{
    for (xmlNodePtr child = parent->children; child;) {
        xmlNodePtr next = child->next;
        xmlUnlinkNode(child);
        xmlFreeNode(child);
        child = next;
    }
}

void appendChildren(xmlNodePtr parent, const Fragment &fragment)
{
    for (xmlNodePtr copy : copiesFor(fragment, parent->doc))
        xmlAddChild(parent, copy);
}

// Replaces `target` with the source: an element by the source nodes; the text of an element,
// attribute or text node by the source text when the source is text.
bool replaceNode(xmlDocPtr doc, xmlNodePtr target, const Fragment &fragment, QString *error)
{
    const bool sourceIsText = fragment.elements().empty();
    if (target->type == XML_ATTRIBUTE_NODE) {
        const QByteArray text = fragment.text().toUtf8();
        xmlSetNsProp(target->parent, target->ns, target->name, xmlString(text));
        return true;
    }
    if (target->type == XML_TEXT_NODE || target->type == XML_CDATA_SECTION_NODE) {
        if (!sourceIsText) {
            *error = QStringLiteral("a text node can only be replaced by text");
            return false;
        }
        xmlNodeSetContent(target, xmlString(fragment.text().toUtf8()));
        return true;
    }
    if (sourceIsText) {
        removeChildren(target);
        xmlNodeAddContent(target, xmlString(fragment.text().toUtf8()));
        return true;
    }
    if (target == xmlDocGetRootElement(doc)) {
        const std::vector<xmlNodePtr> elements = fragment.elements();
        if (elements.size() != 1) {
            *error = QStringLiteral("the document root can only be replaced by one element");
            return false;
        }
        xmlNodePtr old = xmlDocSetRootElement(doc, xmlDocCopyNode(elements.front(), doc, 1));
        xmlFreeNode(old);
        return true;
    }
    for (xmlNodePtr copy : copiesFor(fragment, doc))
        xmlAddPrevSibling(target, copy);
    xmlUnlinkNode(target);
    xmlFreeNode(target);
    return true;
}

bool enrichNode(xmlDocPtr doc, xmlNodePtr target, EnrichConfig::Action action,
                const Fragment &fragment, QString *error)
{
    switch (action) {
    case EnrichConfig::Action::Replace:
        return replaceNode(doc, target, fragment, error);
    case EnrichConfig::Action::Child:
        if (target->type != XML_ELEMENT_NODE) {
            *error = QStringLiteral("only an element can receive a child");
            return false;
        }
        appendChildren(target, fragment);
        return true;
    case EnrichConfig::Action::Sibling: {
        if (target == xmlDocGetRootElement(doc) || target->type == XML_ATTRIBUTE_NODE) {
            *error = QStringLiteral("the document root and attributes cannot have siblings");
            return false;
        }
        xmlNodePtr after = target;
        for (xmlNodePtr copy : copiesFor(fragment, doc))
            after = xmlAddNextSibling(after, copy);
        return true;
    }
    }
    return false;
}

bool writeTarget(MessageContext &message, const EnrichConfig &config, const Fragment &fragment,
                 QString *error)
{
    using Type = EnrichConfig::TargetType;
    if (config.targetType == Type::Property) {
        message.setProperty(config.targetProperty, fragment.markup());
        return true;
    }
    xmlDocPtr doc = message.xmlDocument(error);
    if (!doc)
        return false;
    switch (config.targetType) {
    case Type::Envelope: {
        const std::vector<xmlNodePtr> elements = fragment.elements();
        if (elements.size() != 1) {
            *error = QStringLiteral("the envelope can only be replaced by one element");
            return false;
        }
        xmlDocPtr fresh = xmlNewDoc(xmlString("1.0"));
        xmlDocSetRootElement(fresh, xmlDocCopyNode(elements.front(), fresh, 1));
        message.setXmlDocument(fresh);
        return true;
    }
    case Type::Body: {
        xmlNodePtr body = soapBody(doc);
        if (!body) {
            // A plain XML (or JSON) payload has no Body: its root element is the body.
            if (config.action == EnrichConfig::Action::Child) {
                appendChildren(xmlDocGetRootElement(doc), fragment);
                break;
            }
            if (!replaceNode(doc, xmlDocGetRootElement(doc), fragment, error))
                return false;
            break;
        }
        if (config.action == EnrichConfig::Action::Replace)
            removeChildren(body);
        appendChildren(body, fragment);
        break;
    }
    case Type::Custom: {
        const auto nodes = config.targetPath->evaluateNodes(message, error);
        if (!nodes)
            return false;
        if (nodes->empty()) {
            *error =
                QStringLiteral("the target '%1' selects nothing").arg(config.targetPath->text());
            return false;
        }
        if (!enrichNode(doc, nodes->front(), config.action, fragment, error))
            return false;
        break;
    }
    case Type::Property:
        break;
    }
    message.markXmlChanged();
    return true;
}

} // namespace

MediationResult enrichXml(MessageContext &message, const EnrichConfig &config)
{
    QString error;
    Fragment fragment;
    if (!fillSource(message, config, fragment, &error) ||
        !writeTarget(message, config, fragment, &error)) {
        return failWith(message, ErrorCodes::kMediationFailure,
                        QStringLiteral("enrich: %1").arg(error));
    }
    return MediationResult::Continue;
}

} // namespace sluice
