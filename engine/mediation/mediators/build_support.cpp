// SPDX-License-Identifier: Apache-2.0
#include "build_support.h"

namespace sluice {

QString tagOf(const XmlNode &element)
{
    return QLatin1Char('<') + element.name + QLatin1Char('>');
}

void checkChildElements(const XmlNode &element, const MediatorBuildContext &context,
                        const QStringList &allowed, bool textAllowed)
{
    bool textReported = false;
    for (const XmlNode &child : element.children) {
        if (child.isElement()) {
            if (child.namespaceUri != kSynapseNamespace || !allowed.contains(child.name)) {
                context.error(
                    child.location,
                    QStringLiteral("unknown element <%1> in %2").arg(child.name, tagOf(element)));
            }
        } else if ((child.kind == XmlNode::Kind::Text || child.kind == XmlNode::Kind::CData) &&
                   !textAllowed && !textReported && !child.text.trimmed().isEmpty()) {
            // Text has no location of its own: the element's is the closest.
            context.error(element.location,
                          QStringLiteral("unexpected text '%1' in %2")
                              .arg(child.text.trimmed().left(40), tagOf(element)));
            textReported = true;
        }
    }
}

const XmlNode *singleChild(const XmlNode &element, const QString &name,
                           const MediatorBuildContext &context)
{
    const QList<const XmlNode *> found = element.childElements(name);
    for (qsizetype i = 1; i < found.size(); ++i) {
        context.error(found[i]->location,
                      QStringLiteral("%1 has more than one <%2>").arg(tagOf(element), name));
    }
    return found.isEmpty() ? nullptr : found.first();
}

std::optional<QString> enumAttribute(const XmlNode &element, const QString &name,
                                     const QStringList &allowed, const QString &fallback,
                                     const MediatorBuildContext &context)
{
    if (!element.hasAttribute(name))
        return fallback;
    const QString value = element.attribute(name);
    if (allowed.contains(value))
        return value;
    context.error(element.attributeLocation(name),
                  QStringLiteral("invalid value '%1' for '%2' on %3; allowed: %4")
                      .arg(value, name, tagOf(element), allowed.join(QStringLiteral(", "))));
    return std::nullopt;
}

bool boolAttribute(const XmlNode &element, const QString &name, bool fallback,
                   const MediatorBuildContext &context)
{
    const auto value =
        enumAttribute(element, name, {QStringLiteral("true"), QStringLiteral("false")},
                      fallback ? QStringLiteral("true") : QStringLiteral("false"), context);
    return value ? *value == QLatin1String("true") : fallback;
}

std::unique_ptr<Expression> compileExpressionText(const QString &text, const XmlNode &element,
                                                  const QString &attribute,
                                                  const MediatorBuildContext &context)
{
    QString error;
    auto expression = Expression::compile(text, element.namespacesInScope, &error);
    if (!expression) {
        context.error(
            element.attributeLocation(attribute),
            QStringLiteral("invalid expression in '%1': %2")
                .arg(attribute, error.isEmpty() ? QStringLiteral("syntax error") : error));
    }
    return expression;
}

std::unique_ptr<Expression> compileExpression(const XmlNode &element, const QString &attribute,
                                              const MediatorBuildContext &context)
{
    return compileExpressionText(element.attribute(attribute), element, attribute, context);
}

std::unique_ptr<Expression> requireExpression(const XmlNode &element, const QString &attribute,
                                              const MediatorBuildContext &context)
{
    if (!element.hasAttribute(attribute)) {
        context.requireAttribute(element, attribute);
        return nullptr;
    }
    return compileExpression(element, attribute, context);
}

std::optional<QRegularExpression> compileRegex(const XmlNode &element, const QString &attribute,
                                               bool wholeMatch, const MediatorBuildContext &context)
{
    const QString pattern = element.attribute(attribute);
    // Checked as written, so that the message and offset speak of the user's pattern rather than
    // of the anchoring around it.
    const QRegularExpression written(pattern);
    if (!written.isValid()) {
        context.error(element.attributeLocation(attribute),
                      QStringLiteral("invalid regular expression in '%1': %2 (at offset %3)")
                          .arg(attribute, written.errorString())
                          .arg(written.patternErrorOffset()));
        return std::nullopt;
    }
    QRegularExpression regex(wholeMatch ? QRegularExpression::anchoredPattern(pattern) : pattern);
    regex.optimize(); // compiled now, so matching never writes to the shared mediator
    return regex;
}

QString serializeInlineXml(const XmlNode &element)
{
    if (!element.namespaceUri.isEmpty())
        return serializeXmlFragment(element);
    XmlNode unqualified = element;
    unqualified.namespacesInScope.remove(QString());
    unqualified.namespaceDeclarations.removeIf(
        [](const XmlNamespaceDeclaration &d) { return d.prefix.isEmpty(); });
    return serializeXmlFragment(unqualified);
}

bool hasErrorsSince(const MediatorBuildContext &context, int errorCountBefore)
{
    return context.diagnostics().errorCount() > errorCountBefore;
}

} // namespace sluice
