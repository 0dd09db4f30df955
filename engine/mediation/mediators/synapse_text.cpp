// SPDX-License-Identifier: Apache-2.0
#include "synapse_text.h"

#include "xml_support.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <libxml/tree.h>

namespace sluice {

namespace {

// Axiom's OMElement.getText(): the element's own text children, not its descendants'.
QString ownText(xmlNodePtr element)
{
    QString text;
    for (xmlNodePtr child = element->children; child; child = child->next) {
        if (child->type == XML_TEXT_NODE || child->type == XML_CDATA_SECTION_NODE)
            text += fromXmlString(child->content);
    }
    return text;
}

} // namespace

std::optional<QString> synapseStringValue(const Expression &expression, MessageContext &message,
                                          QString *error)
{
    if (expression.language() == Expression::Language::XPath) {
        QString nodesError;
        if (const auto nodes = expression.evaluateNodes(message, &nodesError)) {
            QString text;
            for (xmlNodePtr node : *nodes) {
                if (node->type == XML_ELEMENT_NODE) {
                    const QString own = ownText(node);
                    text +=
                        own.trimmed().isEmpty() ? QString::fromUtf8(serializeXmlNode(node)) : own;
                } else {
                    text += xmlNodeText(node);
                }
            }
            return text;
        }
        // Not a node-set (a string, a number, get-property()): its plain string value.
    }
    return expression.evaluateString(message, error);
}

QString escapeJsonText(const QString &text)
{
    QString out;
    out.reserve(text.size() + 8);
    for (const QChar c : text) {
        switch (c.unicode()) {
        case '\\':
            out += QLatin1String("\\\\");
            break;
        case '"':
            out += QLatin1String("\\\"");
            break;
        case '\b':
            out += QLatin1String("\\b");
            break;
        case '\f':
            out += QLatin1String("\\f");
            break;
        case '\n':
            out += QLatin1String("\\n");
            break;
        case '\r':
            out += QLatin1String("\\r");
            break;
        case '\t':
            out += QLatin1String("\\t");
            break;
        default:
            if (c.unicode() < 0x20)
                out += QStringLiteral("\\u%1").arg(c.unicode(), 4, 16, QLatin1Char('0'));
            else
                out += c;
        }
    }
    return out;
}

bool jsonStringStateAfter(QStringView segment, bool inString)
{
    for (qsizetype i = 0; i < segment.size(); ++i) {
        const QChar c = segment.at(i);
        if (inString && c == QLatin1Char('\\'))
            ++i; // the escaped character cannot end the string
        else if (c == QLatin1Char('"'))
            inString = !inString;
    }
    return inString;
}

QString jsonScalarText(const QJsonValue &value)
{
    if (value.isNull() || value.isUndefined())
        return QStringLiteral("null");
    if (value.isBool())
        return value.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    if (value.isString())
        return value.toString();
    const QByteArray array = QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact);
    return QString::fromUtf8(array.mid(1, array.size() - 2));
}

} // namespace sluice
