// SPDX-License-Identifier: Apache-2.0
#include "json_xml.h"

#include <QJsonArray>
#include <QJsonObject>
#include <libxml/tree.h>

namespace sluice {

namespace {

const xmlChar *xc(const QByteArray &b)
{
    return reinterpret_cast<const xmlChar *>(b.constData());
}

const xmlChar *xc(const char *text)
{
    return reinterpret_cast<const xmlChar *>(text);
}

// Member names that are not XML names get an underscore prefix so the document stays valid.
QByteArray elementName(const QString &key)
{
    QByteArray name = key.toUtf8();
    if (name.isEmpty() || !(std::isalpha(static_cast<unsigned char>(name[0])) || name[0] == '_'))
        name.prepend('_');
    for (char &c : name) {
        const auto u = static_cast<unsigned char>(c);
        if (!(std::isalnum(u) || c == '_' || c == '-' || c == '.' || u >= 0x80))
            c = '_';
    }
    return name;
}

void addValue(xmlNodePtr parent, const QByteArray &name, const QJsonValue &value);

void addMembers(xmlNodePtr node, const QJsonObject &object)
{
    for (auto it = object.begin(); it != object.end(); ++it) {
        const QByteArray name = elementName(it.key());
        if (it.value().isArray()) {
            for (const QJsonValue &item : it.value().toArray())
                addValue(node, name, item);
        } else {
            addValue(node, name, it.value());
        }
    }
}

void addValue(xmlNodePtr parent, const QByteArray &name, const QJsonValue &value)
{
    xmlNodePtr node = xmlNewChild(parent, nullptr, xc(name), nullptr);
    switch (value.type()) {
    case QJsonValue::Object:
        addMembers(node, value.toObject());
        break;
    case QJsonValue::Array:
        for (const QJsonValue &item : value.toArray())
            addValue(node, QByteArrayLiteral("jsonElement"), item);
        break;
    case QJsonValue::Bool:
        xmlNodeAddContent(node, value.toBool() ? xc("true") : xc("false"));
        break;
    case QJsonValue::Double:
        xmlNodeAddContent(
            node,
            xc(QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact).mid(1).chopped(1)));
        break;
    case QJsonValue::String: {
        const QByteArray text = value.toString().toUtf8();
        xmlNodeAddContent(node, xc(text));
        break;
    }
    case QJsonValue::Null:
    case QJsonValue::Undefined:
        break;
    }
}

QJsonValue textValue(const QString &text)
{
    if (text == QLatin1String("true"))
        return true;
    if (text == QLatin1String("false"))
        return false;
    if (text == QLatin1String("null"))
        return QJsonValue::Null;
    bool ok = false;
    const double d = text.toDouble(&ok);
    if (ok && !text.isEmpty() && text.trimmed() == text && !text.startsWith(QLatin1Char('+')))
        return d;
    return text;
}

QJsonValue nodeValue(xmlNodePtr node)
{
    bool hasElements = false;
    for (xmlNodePtr c = node->children; c; c = c->next) {
        if (c->type == XML_ELEMENT_NODE) {
            hasElements = true;
            break;
        }
    }
    if (!hasElements) {
        xmlChar *content = xmlNodeGetContent(node);
        const QString text = QString::fromUtf8(reinterpret_cast<const char *>(content));
        xmlFree(content);
        return textValue(text);
    }
    QJsonObject object;
    QHash<QString, int> counts;
    for (xmlNodePtr c = node->children; c; c = c->next) {
        if (c->type == XML_ELEMENT_NODE)
            counts[QString::fromUtf8(reinterpret_cast<const char *>(c->name))]++;
    }
    for (xmlNodePtr c = node->children; c; c = c->next) {
        if (c->type != XML_ELEMENT_NODE)
            continue;
        const QString name = QString::fromUtf8(reinterpret_cast<const char *>(c->name));
        if (counts.value(name) > 1) {
            QJsonArray array = object.value(name).toArray();
            array.append(nodeValue(c));
            object.insert(name, array);
        } else {
            object.insert(name, nodeValue(c));
        }
    }
    return object;
}

} // namespace

xmlDocPtr jsonToXml(const QJsonDocument &json)
{
    xmlDocPtr doc = xmlNewDoc(xc("1.0"));
    if (json.isArray()) {
        xmlNodePtr root = xmlNewNode(nullptr, xc("jsonArray"));
        xmlDocSetRootElement(doc, root);
        for (const QJsonValue &item : json.array())
            addValue(root, QByteArrayLiteral("jsonElement"), item);
    } else {
        xmlNodePtr root = xmlNewNode(nullptr, xc("jsonObject"));
        xmlDocSetRootElement(doc, root);
        addMembers(root, json.object());
    }
    return doc;
}

QJsonDocument xmlToJson(xmlDocPtr document)
{
    xmlNodePtr root = xmlDocGetRootElement(document);
    if (!root)
        return QJsonDocument(QJsonObject());
    const QString rootName = QString::fromUtf8(reinterpret_cast<const char *>(root->name));
    if (rootName == QLatin1String("jsonArray")) {
        QJsonArray array;
        for (xmlNodePtr c = root->children; c; c = c->next) {
            if (c->type == XML_ELEMENT_NODE)
                array.append(nodeValue(c));
        }
        return QJsonDocument(array);
    }
    const QJsonValue value = nodeValue(root);
    if (rootName == QLatin1String("jsonObject"))
        return QJsonDocument(value.isObject() ? value.toObject() : QJsonObject());
    return QJsonDocument(QJsonObject{{rootName, value}});
}

} // namespace sluice
