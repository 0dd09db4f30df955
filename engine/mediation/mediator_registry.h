// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "artifacts/diagnostics.h"
#include "artifacts/xml_node.h"
#include "mediator.h"

#include <QHash>
#include <QSet>
#include <QStringList>
#include <functional>
#include <memory>

namespace sluice {

class MediatorRegistry;

// What a mediator factory may ask while it builds: where to report problems, how to build
// child mediators, and which names the project defines (for reference checks).
class MediatorBuildContext {
public:
    MediatorBuildContext(const MediatorRegistry &registry, Diagnostics &diagnostics)
        : m_registry(registry)
        , m_diagnostics(diagnostics)
    {
    }

    Diagnostics &diagnostics() const { return m_diagnostics; }
    const MediatorRegistry &registry() const { return m_registry; }

    // Builds every child element of `parent` (or of the given list) as a mediator.
    MediatorList buildChildren(const XmlNode &parent) const;
    MediatorList buildList(const std::vector<XmlNode> &elements) const;
    std::unique_ptr<Mediator> build(const XmlNode &element) const;

    // Reports attributes of `element` not in `allowed` as errors ("unknown attribute").
    void checkAttributes(const XmlNode &element, const QStringList &allowed) const;
    // Reports a missing required attribute; returns its value (empty when missing).
    QString requireAttribute(const XmlNode &element, const QString &name) const;
    void error(const SourceLocation &where, const QString &message) const
    {
        m_diagnostics.error(where, message);
    }

    // Names a referenced sequence (<sequence key>, onError) or endpoint (<endpoint key>);
    // the validator checks them against the project after building.
    void referenceSequence(const QString &name, const SourceLocation &where) const;
    void referenceEndpoint(const QString &name, const SourceLocation &where) const;
    struct Reference {
        QString name;
        SourceLocation location;
    };
    const QList<Reference> &sequenceReferences() const { return m_sequenceRefs; }
    const QList<Reference> &endpointReferences() const { return m_endpointRefs; }

private:
    const MediatorRegistry &m_registry;
    Diagnostics &m_diagnostics;
    mutable QList<Reference> m_sequenceRefs;
    mutable QList<Reference> m_endpointRefs;
};

using MediatorFactory =
    std::function<std::unique_ptr<Mediator>(const XmlNode &, const MediatorBuildContext &)>;

// Element name -> factory. The default registry knows every built-in mediator.
class MediatorRegistry {
public:
    void add(const QString &elementName, MediatorFactory factory);
    bool contains(const QString &elementName) const { return m_factories.contains(elementName); }
    QStringList elementNames() const;
    const MediatorFactory *factory(const QString &elementName) const;

    static const MediatorRegistry &builtIn();

private:
    QHash<QString, MediatorFactory> m_factories;
};

// Defined in mediators/builtin_mediators.cpp: registers every built-in mediator.
void registerBuiltInMediators(MediatorRegistry &registry);

} // namespace sluice
