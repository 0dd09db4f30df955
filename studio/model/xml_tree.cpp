// SPDX-License-Identifier: Apache-2.0
#include "xml_tree.h"

#include "artifacts/artifact_io.h"

#include <algorithm>

namespace sluice::studio {

namespace {

// Position in parent.children of child element number `index`; children.size() when index is
// the element count.
size_t childPosition(const XmlNode &parent, int index)
{
    int seen = 0;
    for (size_t i = 0; i < parent.children.size(); ++i) {
        if (!parent.children[i].isElement())
            continue;
        if (seen == index)
            return i;
        ++seen;
    }
    return parent.children.size();
}

template <typename Node> Node *walk(Node &root, const MediatorPath &path)
{
    Node *node = &root;
    for (int index : path.indices) {
        if (index < 0)
            return nullptr;
        const size_t position = childPosition(*node, index);
        if (position >= node->children.size())
            return nullptr;
        node = &node->children[position];
    }
    return node;
}

bool isBlankText(const XmlNode &node)
{
    return node.kind == XmlNode::Kind::Text && node.text.trimmed().isEmpty();
}

void adoptScopeBelow(XmlNode &node, const QHash<QString, QString> &parentScope)
{
    if (!node.isElement())
        return;
    QHash<QString, QString> scope = parentScope;
    for (const XmlNamespaceDeclaration &declaration : node.namespaceDeclarations)
        scope.insert(declaration.prefix, declaration.uri);
    node.namespacesInScope = scope;
    for (XmlNode &child : node.children)
        adoptScopeBelow(child, scope);
}

} // namespace

void adoptNamespaceScope(XmlNode &node, const QHash<QString, QString> &parentScope)
{
    adoptScopeBelow(node, parentScope);
}

const XmlNode *elementAt(const XmlNode &root, const MediatorPath &path)
{
    return walk(root, path);
}

XmlNode *elementAt(XmlNode &root, const MediatorPath &path)
{
    return walk(root, path);
}

int elementCount(const XmlNode &parent)
{
    return int(std::count_if(parent.children.begin(), parent.children.end(),
                             [](const XmlNode &child) { return child.isElement(); }));
}

void insertElement(XmlNode &parent, int index, XmlNode element)
{
    const bool onlyBlankText =
        std::all_of(parent.children.begin(), parent.children.end(), [](const XmlNode &child) {
            return child.kind != XmlNode::Kind::Text && child.kind != XmlNode::Kind::CData
                       ? true
                       : isBlankText(child);
        });
    if (onlyBlankText)
        std::erase_if(parent.children, isBlankText);
    if (element.prefix.isEmpty() && element.namespaceUri != parent.namespacesInScope.value({})) {
        const bool declared =
            std::any_of(element.namespaceDeclarations.begin(), element.namespaceDeclarations.end(),
                        [](const XmlNamespaceDeclaration &declaration) {
                            return declaration.prefix.isEmpty();
                        });
        if (!declared)
            element.namespaceDeclarations.prepend({QString(), element.namespaceUri});
    }
    adoptScopeBelow(element, parent.namespacesInScope);
    const size_t position = childPosition(parent, std::clamp(index, 0, elementCount(parent)));
    parent.children.insert(parent.children.begin() + qsizetype(position), std::move(element));
}

XmlNode takeElement(XmlNode &parent, int index)
{
    const size_t position = childPosition(parent, index);
    if (position >= parent.children.size())
        return XmlNode();
    XmlNode taken = std::move(parent.children[position]);
    parent.children.erase(parent.children.begin() + qsizetype(position));
    return taken;
}

void setTextContent(XmlNode &element, const QString &text)
{
    auto isText = [](const XmlNode &child) {
        return child.kind == XmlNode::Kind::Text || child.kind == XmlNode::Kind::CData;
    };
    const auto first = std::find_if(element.children.begin(), element.children.end(), isText);
    const size_t position = first == element.children.end()
                                ? element.children.size()
                                : size_t(std::distance(element.children.begin(), first));
    std::erase_if(element.children, isText);
    if (!text.isEmpty()) {
        element.children.insert(element.children.begin() + qsizetype(position),
                                XmlNode::textNode(text));
    }
}

void clearLocations(XmlNode &node)
{
    node.location = {};
    for (XmlAttribute &attribute : node.attributes)
        attribute.location = {};
    for (XmlNode &child : node.children)
        clearLocations(child);
}

QString elementLabel(const XmlNode &element)
{
    for (const char *attribute : {"name", "key", "regex"}) {
        const QString value = element.attribute(QLatin1String(attribute));
        if (!value.isEmpty())
            return element.name + QLatin1Char(' ') + value;
    }
    return element.name;
}

QByteArray canonicalXml(const XmlNode &root)
{
    return writeArtifact(root);
}

QString prologOf(const QString &text, const XmlNode &root)
{
    if (root.location.line <= 0)
        return QString();
    qsizetype offset = 0;
    for (int line = 1; line < root.location.line && offset >= 0; ++line) {
        offset = text.indexOf(QLatin1Char('\n'), offset);
        if (offset >= 0)
            ++offset;
    }
    if (offset < 0)
        return QString();
    offset += root.location.column - 1;
    QString prolog = text.left(offset);
    if (prolog.startsWith(QLatin1String("<?xml"))) {
        const qsizetype end = prolog.indexOf(QLatin1String("?>"));
        prolog = end < 0 ? QString() : prolog.mid(end + 2);
    }
    return prolog.trimmed();
}

QByteArray withProlog(const QByteArray &written, const QString &prolog)
{
    if (prolog.isEmpty())
        return written;
    const qsizetype declarationEnd = written.startsWith("<?xml") ? written.indexOf('\n') + 1 : 0;
    return written.left(declarationEnd) + prolog.toUtf8() + '\n' + written.mid(declarationEnd);
}

} // namespace sluice::studio
