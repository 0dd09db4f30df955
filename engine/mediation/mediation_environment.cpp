// SPDX-License-Identifier: Apache-2.0
#include "mediation_environment.h"

namespace sluice {

const EndpointDefinition *MediationEnvironment::endpoint(const QString &name) const
{
    return m_artifacts.findEndpoint(name);
}

const LocalEntry *MediationEnvironment::localEntry(const QString &key) const
{
    for (const LocalEntry &entry : m_artifacts.localEntries) {
        if (entry.key == key)
            return &entry;
    }
    return nullptr;
}

void MediationEnvironment::addSequence(std::shared_ptr<const CompiledSequence> sequence)
{
    const QString name = sequence->name;
    m_sequences.insert(name, std::move(sequence));
}

void MediationEnvironment::setArtifacts(const ArtifactSet &artifacts, const ProjectConfig &config)
{
    m_artifacts = artifacts;
    m_config = config;
}

} // namespace sluice
