// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "artifacts/diagnostics.h"
#include "artifacts/project.h"
#include "mediation_environment.h"
#include "mediator_registry.h"

#include <memory>

namespace sluice {

// Checks a whole project and builds what the runtime runs: every mediator is built by its
// factory (unknown mediators, attributes and expressions are errors there), then names are
// checked across artifacts: duplicates, missing sequences and endpoints, sequence cycles,
// inbound endpoint parameters, port clashes. Returns nullptr when there is any error, so a
// project with a problem is never half deployed.
std::shared_ptr<MediationEnvironment>
compileProject(const Project &project, Diagnostics &diagnostics,
               const MediatorRegistry &registry = MediatorRegistry::builtIn());

// The name under which an inline sequence of a proxy or API is registered in the environment,
// e.g. "proxy:websocketProxy1:inSequence" or "api:orders:0:inSequence".
QString inlineSequenceName(const QString &kind, const QString &owner, const QString &role);
// The effective name of a SequenceReference (its key, or its inline name).
QString sequenceReferenceName(const SequenceReference &reference, const QString &kind,
                              const QString &owner, const QString &role);

// The fault sequence Synapse runs when a project defines none: log the error, drop.
QByteArray defaultFaultSequenceXml();

} // namespace sluice
