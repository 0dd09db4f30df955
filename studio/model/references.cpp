// SPDX-License-Identifier: Apache-2.0
#include "references.h"

#include "artifacts/parameter_spec.h"
#include "xml_tree.h"

namespace sluice::studio {

namespace {

bool isSynapse(const XmlNode &node, const char *name)
{
    return node.isElement() && node.namespaceUri == kSynapseNamespace &&
           node.name == QLatin1String(name);
}

bool isDynamicKey(const QString &value)
{
    const QString key = value.trimmed();
    return key.startsWith(QLatin1Char('{')) && key.endsWith(QLatin1Char('}'));
}

class ReferenceFinder {
public:
    ReferenceFinder(const ArtifactId &from, const XmlNode &root)
        : m_from(from)
        , m_root(root)
    {
    }

    QList<ArtifactReference> run()
    {
        visit(m_root, nullptr, MediatorPath());
        return m_found;
    }

private:
    void add(const XmlNode &element, const MediatorPath &path, const char *attribute,
             ArtifactKind kind)
    {
        const QString name = QLatin1String(attribute);
        const QString value = element.attribute(name).trimmed();
        if (value.isEmpty() || isDynamicKey(value))
            return;
        m_found.append({m_from, path, name, {kind, value}, element.attributeLocation(name)});
    }

    void visitParameter(const XmlNode &element, const MediatorPath &path)
    {
        const QString protocol = m_root.attribute(QStringLiteral("protocol"));
        const ParameterSpec *spec =
            findInboundParameterSpec(protocol, element.attribute(QStringLiteral("name")));
        if (!spec || spec->kind != ParameterSpec::Kind::SequenceReference)
            return;
        const QString value = element.textContent().trimmed();
        if (value.isEmpty() || isDynamicKey(value))
            return;
        m_found.append(
            {m_from, path, QString(), {ArtifactKind::Sequence, value}, element.location});
    }

    void visit(const XmlNode &element, const XmlNode *parent, const MediatorPath &path)
    {
        if (element.namespaceUri != kSynapseNamespace) {
            visitChildren(element, path); // foreign XML (a payload format) may wrap Synapse XML
            return;
        }
        const bool isRoot = parent == nullptr;
        if (isRoot) {
            switch (m_from.kind) {
            case ArtifactKind::Sequence:
                add(element, path, "onError", ArtifactKind::Sequence);
                break;
            case ArtifactKind::InboundEndpoint:
                add(element, path, "sequence", ArtifactKind::Sequence);
                add(element, path, "onError", ArtifactKind::Sequence);
                break;
            case ArtifactKind::Endpoint:
                add(element, path, "key", ArtifactKind::Endpoint);
                break;
            default:
                break;
            }
        } else if (isSynapse(element, "sequence")) {
            add(element, path, "key", ArtifactKind::Sequence);
            add(element, path, "onError", ArtifactKind::Sequence);
        } else if (isSynapse(element, "inSequence") || isSynapse(element, "outSequence") ||
                   isSynapse(element, "faultSequence")) {
            add(element, path, "onError", ArtifactKind::Sequence);
        } else if (isSynapse(element, "send")) {
            add(element, path, "receive", ArtifactKind::Sequence);
        } else if (isSynapse(element, "endpoint")) {
            add(element, path, "key", ArtifactKind::Endpoint);
        } else if (isSynapse(element, "target") && m_from.kind == ArtifactKind::ProxyService &&
                   path.depth() == 1) {
            add(element, path, "inSequence", ArtifactKind::Sequence);
            add(element, path, "outSequence", ArtifactKind::Sequence);
            add(element, path, "faultSequence", ArtifactKind::Sequence);
            add(element, path, "endpoint", ArtifactKind::Endpoint);
        } else if (isSynapse(element, "resource") && m_from.kind == ArtifactKind::Api &&
                   path.depth() == 1) {
            add(element, path, "inSequence", ArtifactKind::Sequence);
            add(element, path, "outSequence", ArtifactKind::Sequence);
            add(element, path, "faultSequence", ArtifactKind::Sequence);
        } else if (isSynapse(element, "format") && isSynapse(*parent, "payloadFactory")) {
            add(element, path, "key", ArtifactKind::LocalEntry);
        } else if (isSynapse(element, "source") && isSynapse(*parent, "enrich")) {
            add(element, path, "key", ArtifactKind::LocalEntry);
        } else if (isSynapse(element, "parameter") && isSynapse(*parent, "parameters") &&
                   m_from.kind == ArtifactKind::InboundEndpoint && path.depth() == 2) {
            visitParameter(element, path);
        }
        visitChildren(element, path);
    }

    void visitChildren(const XmlNode &element, const MediatorPath &path)
    {
        int index = 0;
        for (const XmlNode &child : element.children) {
            if (!child.isElement())
                continue;
            visit(child, &element, path.child(index));
            ++index;
        }
    }

    ArtifactId m_from;
    const XmlNode &m_root;
    QList<ArtifactReference> m_found;
};

} // namespace

QString ArtifactReference::describe() const
{
    const QString what = attribute.isEmpty() ? QStringLiteral("parameter text")
                                             : QStringLiteral("'%1'").arg(attribute);
    return QStringLiteral("%1: %2 at %3")
        .arg(from.toString(), what, path.isRoot() ? QStringLiteral("the root") : path.toString());
}

QList<ArtifactReference> findReferences(const ArtifactId &from, const XmlNode &root)
{
    return ReferenceFinder(from, root).run();
}

int renameReferences(const ArtifactId &from, XmlNode &root, const ArtifactId &oldTarget,
                     const QString &newName)
{
    int changed = 0;
    for (const ArtifactReference &reference : findReferences(from, root)) {
        if (reference.target != oldTarget)
            continue;
        XmlNode *element = elementAt(root, reference.path);
        if (!element)
            continue;
        if (reference.attribute.isEmpty())
            setTextContent(*element, newName);
        else
            element->setAttribute(reference.attribute, newName);
        ++changed;
    }
    return changed;
}

} // namespace sluice::studio
