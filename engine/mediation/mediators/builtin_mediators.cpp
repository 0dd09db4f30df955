// SPDX-License-Identifier: Apache-2.0
#include "mediator_factories.h"

namespace sluice {

void registerBuiltInMediators(MediatorRegistry &registry)
{
    registry.add(QStringLiteral("call"), buildCallMediator);
    registry.add(QStringLiteral("drop"), buildDropMediator);
    registry.add(QStringLiteral("enrich"), buildEnrichMediator);
    registry.add(QStringLiteral("filter"), buildFilterMediator);
    registry.add(QStringLiteral("header"), buildHeaderMediator);
    registry.add(QStringLiteral("log"), buildLogMediator);
    registry.add(QStringLiteral("loopback"), buildLoopbackMediator);
    registry.add(QStringLiteral("makefault"), buildMakefaultMediator);
    registry.add(QStringLiteral("payloadFactory"), buildPayloadFactoryMediator);
    registry.add(QStringLiteral("property"), buildPropertyMediator);
    registry.add(QStringLiteral("respond"), buildRespondMediator);
    registry.add(QStringLiteral("send"), buildSendMediator);
    registry.add(QStringLiteral("sequence"), buildSequenceMediator);
    registry.add(QStringLiteral("switch"), buildSwitchMediator);
}

} // namespace sluice
