// SPDX-License-Identifier: Apache-2.0
#include "mediator_registry.h"

#include <algorithm>

namespace sluice {

MediatorList MediatorBuildContext::buildChildren(const XmlNode &parent) const
{
    MediatorList result;
    for (const XmlNode &child : parent.children) {
        if (!child.isElement())
            continue;
        if (auto mediator = build(child))
            result.push_back(std::move(mediator));
    }
    return result;
}

MediatorList MediatorBuildContext::buildList(const std::vector<XmlNode> &elements) const
{
    MediatorList result;
    for (const XmlNode &element : elements) {
        if (!element.isElement())
            continue;
        if (auto mediator = build(element))
            result.push_back(std::move(mediator));
    }
    return result;
}

std::unique_ptr<Mediator> MediatorBuildContext::build(const XmlNode &element) const
{
    if (element.namespaceUri != kSynapseNamespace) {
        error(element.location,
              QStringLiteral("mediator <%1> is not in the Synapse namespace (%2); found '%3'")
                  .arg(element.name, kSynapseNamespace, element.namespaceUri));
        return nullptr;
    }
    const MediatorFactory *factory = m_registry.factory(element.name);
    if (!factory) {
        error(element.location, QStringLiteral("unknown mediator <%1>").arg(element.name));
        return nullptr;
    }
    return (*factory)(element, *this);
}

void MediatorBuildContext::checkAttributes(const XmlNode &element, const QStringList &allowed) const
{
    for (const XmlAttribute &a : element.attributes) {
        // Foreign-namespace attributes (e.g. design-tool hints) are not Synapse's to judge.
        if (!a.namespaceUri.isEmpty())
            continue;
        if (!allowed.contains(a.name)) {
            error(a.location, QStringLiteral("unknown attribute '%1' on <%2>; allowed: %3")
                                  .arg(a.name, element.name,
                                       allowed.isEmpty() ? QStringLiteral("none")
                                                         : allowed.join(QStringLiteral(", "))));
        }
    }
}

QString MediatorBuildContext::requireAttribute(const XmlNode &element, const QString &name) const
{
    if (!element.hasAttribute(name)) {
        error(element.location,
              QStringLiteral("<%1> needs the attribute '%2'").arg(element.name, name));
        return QString();
    }
    return element.attribute(name);
}

void MediatorBuildContext::referenceSequence(const QString &name, const SourceLocation &where) const
{
    m_sequenceRefs.append({name, where});
}

void MediatorBuildContext::referenceEndpoint(const QString &name, const SourceLocation &where) const
{
    m_endpointRefs.append({name, where});
}

void MediatorRegistry::add(const QString &elementName, MediatorFactory factory)
{
    m_factories.insert(elementName, std::move(factory));
}

QStringList MediatorRegistry::elementNames() const
{
    QStringList names = m_factories.keys();
    std::sort(names.begin(), names.end());
    return names;
}

const MediatorFactory *MediatorRegistry::factory(const QString &elementName) const
{
    auto it = m_factories.constFind(elementName);
    return it == m_factories.constEnd() ? nullptr : &it.value();
}

const MediatorRegistry &MediatorRegistry::builtIn()
{
    static const MediatorRegistry registry = [] {
        MediatorRegistry r;
        registerBuiltInMediators(r);
        return r;
    }();
    return registry;
}

} // namespace sluice
