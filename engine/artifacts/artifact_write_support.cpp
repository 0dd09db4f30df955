// SPDX-License-Identifier: Apache-2.0
#include "artifact_write_support.h"

#include <algorithm>

namespace sluice {

namespace {

using Scope = QHash<QString, QString>; // prefix -> namespace, as the written file declares them

// Whether the element itself (its name, attributes or text) may use the prefix: expressions
// such as "//ns:order" are only text, so a "ns:" anywhere counts.
bool usesPrefix(const XmlNode &node, const QString &prefix)
{
    const QString qualified = prefix + QLatin1Char(':');
    if (node.prefix == prefix)
        return true;
    for (const XmlAttribute &attribute : node.attributes) {
        if (attribute.name.startsWith(qualified) || attribute.value.contains(qualified))
            return true;
    }
    return std::any_of(node.children.begin(), node.children.end(), [&](const XmlNode &child) {
        return !child.isElement() && child.text.contains(qualified);
    });
}

void collect(const XmlNode &node, Scope scope, Scope &missing)
{
    if (!node.isElement())
        return;
    for (const XmlNamespaceDeclaration &declaration : node.namespaceDeclarations)
        scope.insert(declaration.prefix, declaration.uri);
    for (auto it = node.namespacesInScope.cbegin(); it != node.namespacesInScope.cend(); ++it) {
        const QString &prefix = it.key();
        if (!prefix.isEmpty() && !scope.contains(prefix) && !missing.contains(prefix) &&
            usesPrefix(node, prefix))
            missing.insert(prefix, it.value());
    }
    for (const XmlNode &child : node.children)
        collect(child, scope, missing);
}

} // namespace

void declareNamespacesInScope(XmlNode &root)
{
    Scope scope;
    scope.insert(root.prefix, root.namespaceUri); // writeXml declares the root's own namespace
    for (const XmlNamespaceDeclaration &declaration : root.namespaceDeclarations)
        scope.insert(declaration.prefix, declaration.uri);
    Scope missing;
    for (const XmlNode &child : root.children)
        collect(child, scope, missing);
    if (missing.isEmpty())
        return;
    const bool declaresOwn =
        std::any_of(root.namespaceDeclarations.cbegin(), root.namespaceDeclarations.cend(),
                    [&](const XmlNamespaceDeclaration &declaration) {
                        return declaration.prefix == root.prefix;
                    });
    if (!declaresOwn && !root.namespaceUri.isEmpty())
        root.namespaceDeclarations.append({root.prefix, root.namespaceUri});
    QStringList prefixes = missing.keys();
    prefixes.sort();
    for (const QString &prefix : prefixes)
        root.namespaceDeclarations.append({prefix, missing.value(prefix)});
}

} // namespace sluice
