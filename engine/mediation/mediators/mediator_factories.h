// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "mediation/mediator_registry.h"

#include <memory>

namespace sluice {

// One factory per built-in mediator, each defined in the mediator's own file. A factory checks
// the whole element (attributes, children, expressions) and reports every problem through the
// context; it returns nullptr only when nothing runnable could be built.
std::unique_ptr<Mediator> buildCallMediator(const XmlNode &, const MediatorBuildContext &);
std::unique_ptr<Mediator> buildDropMediator(const XmlNode &, const MediatorBuildContext &);
std::unique_ptr<Mediator> buildEnrichMediator(const XmlNode &, const MediatorBuildContext &);
std::unique_ptr<Mediator> buildFilterMediator(const XmlNode &, const MediatorBuildContext &);
std::unique_ptr<Mediator> buildHeaderMediator(const XmlNode &, const MediatorBuildContext &);
std::unique_ptr<Mediator> buildLogMediator(const XmlNode &, const MediatorBuildContext &);
std::unique_ptr<Mediator> buildLoopbackMediator(const XmlNode &, const MediatorBuildContext &);
std::unique_ptr<Mediator> buildMakefaultMediator(const XmlNode &, const MediatorBuildContext &);
std::unique_ptr<Mediator> buildPayloadFactoryMediator(const XmlNode &,
                                                      const MediatorBuildContext &);
std::unique_ptr<Mediator> buildPropertyMediator(const XmlNode &, const MediatorBuildContext &);
std::unique_ptr<Mediator> buildRespondMediator(const XmlNode &, const MediatorBuildContext &);
std::unique_ptr<Mediator> buildSendMediator(const XmlNode &, const MediatorBuildContext &);
std::unique_ptr<Mediator> buildSequenceMediator(const XmlNode &, const MediatorBuildContext &);
std::unique_ptr<Mediator> buildSwitchMediator(const XmlNode &, const MediatorBuildContext &);

} // namespace sluice
