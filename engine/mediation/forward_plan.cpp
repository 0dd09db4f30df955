// SPDX-License-Identifier: Apache-2.0
#include "forward_plan.h"

#include "log_line.h"
#include "mediation_environment.h"
#include "message_context.h"
#include "runtime/logger.h"

#include <algorithm>
#include <atomic>

namespace sluice {

namespace {

std::atomic<quint64> g_nextSerial{1};

// The properties the sending path reads on its way out (message_formatter.cpp's
// requestedContentType, ws_backend_pool.cpp's terminateRequested): a flow that sets one of them
// changes what the forward does, so it is not planned.
bool readWhenForwarding(const QString &name)
{
    return name == QLatin1String("messageType") || name == QLatin1String("ContentType") ||
           name == QLatin1String("connection.terminate");
}

// SLUICE_FORWARD_PLANS=off runs every sequence through the executor: a switch to tell whether a
// behaviour comes from the plans (with it, a planned flow must look exactly the same from outside,
// message events included: tests/e2e/test_forward_plans.py).
bool plansEnabled()
{
    static const bool enabled = qgetenv("SLUICE_FORWARD_PLANS") != "off";
    return enabled;
}

bool onlyConstantsNobodyReads(const Mediator &mediator)
{
    for (const auto &[name, scope] : mediator.propertiesSet()) {
        Q_UNUSED(scope);
        if (readWhenForwarding(name))
            return false;
    }
    return true;
}

} // namespace

std::shared_ptr<const ForwardPlan> ForwardPlan::of(const MediatorList &mediators)
{
    if (mediators.empty() || !plansEnabled())
        return nullptr;
    auto plan = std::make_shared<ForwardPlan>();
    for (size_t i = 0; i + 1 < mediators.size(); ++i) {
        const Mediator &step = *mediators[i];
        switch (step.forwardStep().kind) {
        case ForwardStep::Kind::SetsConstants:
            if (!onlyConstantsNobodyReads(step))
                return nullptr;
            break;
        case ForwardStep::Kind::Logs:
            plan->logLevels.push_back(step.forwardStep().logLevel);
            if (step.forwardStep().logLevel != int(LogLevel::Off))
                plan->loudestLogLevel =
                    std::max(plan->loudestLogLevel, step.forwardStep().logLevel);
            break;
        default:
            return nullptr; // anything else, or a forward before the last step
        }
    }
    const ForwardStep &last = mediators.back()->forwardStep();
    if (last.kind == ForwardStep::Kind::Sends) {
        plan->ending = Ending::Send;
        plan->endpoint = last.endpoint;
    } else if (last.kind == ForwardStep::Kind::Responds) {
        plan->ending = Ending::Respond;
    } else {
        return nullptr;
    }
    bool beforeLogs = true;
    for (const std::unique_ptr<Mediator> &step : mediators) {
        const ForwardStep::Kind kind = step->forwardStep().kind;
        const MediatorTrail::Entry entry =
            MediatorTrail::entry(step.get()) |
            (kind == ForwardStep::Kind::SetsConstants ? MediatorTrail::kConstants : 0) |
            (kind == ForwardStep::Kind::Logs ? MediatorTrail::kLogLine : 0);
        beforeLogs = beforeLogs && kind != ForwardStep::Kind::Logs;
        if (beforeLogs)
            plan->trailHead.push_back(entry);
        plan->hopTrail.push_back(entry);
        plan->hopEvents += MediatorTrail::events(entry);
        if (kind == ForwardStep::Kind::Logs) {
            const auto *format = dynamic_cast<const LogLineFormat *>(step.get());
            plan->logsShowPayload = plan->logsShowPayload || !format || format->showsPayload();
        }
    }
    plan->hopEvents += 2; // the frames in and out
    // A hop is one record, whose event count is a byte (a flow of a hundred steps and more is
    // no forwarding flow worth a plan).
    if (plan->hopEvents > kMaxHopEvents)
        return nullptr;
    plan->serial = g_nextSerial.fetch_add(1, std::memory_order_relaxed);
    return plan;
}

ForwardPlan::Mode ForwardPlan::modeIn(const MediationEnvironment &environment) const
{
    if (loudestLogLevel >= 0 && Logger::instance().isEnabled(LogLevel(loudestLogLevel)))
        return Mode::Executor;
    MediationObserver *observer = environment.observer();
    if (!observer)
        return Mode::Bare;
    switch (observer->planObservation()) {
    case PlanObservation::None:
        return Mode::Bare;
    case PlanObservation::HopRecords:
        return Mode::Recorded;
    case PlanObservation::DeferredSteps:
        return Mode::Observed;
    case PlanObservation::Immediate:
        break;
    }
    // Whoever wants lines built at once (a subscriber) gets the executor's path.
    return Mode::Executor;
}

} // namespace sluice
