// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "artifacts/project.h"
#include "ascii_text.h"
#include "log_line.h"
#include "mediator.h"
#include "message_sender.h"

#include <QHash>
#include <memory>

namespace sluice {

class MessageContext;
class MessageEventHub;
struct MediatorTrail;

// How an observer looks at a flow the transports may forward by plan (forward_plan.h).
enum class PlanObservation {
    None,          // it observes nothing now: forward bare
    HopRecords,    // it notes a hop as one record (the message event hub: recordPlannedHop)
    DeferredSteps, // mediators one by one, log lines unbuilt (Executor::enterPlanned)
    Immediate,     // log lines built at once: through the executor
};

// Hooks for whoever watches mediation (message events, the studio). Null when nobody does, so
// the hot path pays one pointer test.
class MediationObserver {
public:
    virtual ~MediationObserver() = default;
    virtual void mediatorEntered(const MessageContext &message, const Mediator &mediator) = 0;
    // After mediate() returned (whatever the result), for a mediator that sets properties
    // (Mediator::propertiesSet() not empty); by default nothing.
    virtual void mediatorFinished(const MessageContext &message, const Mediator &mediator)
    {
        Q_UNUSED(message);
        Q_UNUSED(mediator);
    }
    // The executor's run over `message` is returning (suspended at a send, or finished). An
    // observer that keeps events of the run back (the message event hub batches the mediators
    // entered) writes them now, while the message is certainly alive.
    virtual void runEnded(const MessageContext &message) { Q_UNUSED(message); }
    // The calling thread's trail, when the observer lets the executor keep the mediators a run
    // enters itself (MediatorTrail); null otherwise. Asked once per run.
    virtual MediatorTrail *mediatorTrail() { return nullptr; }
    // Whether mediatorEntered / mediatorFinished are wanted now. Asked once per run: an
    // observer that is off (message events with nobody recording or watching) then costs the
    // run one call instead of one or two per mediator.
    virtual bool observesMediators() const { return true; }
    virtual void faultRaised(const MessageContext &message, const QString &reason) = 0;
    virtual void logged(const MessageContext &message, const QString &category,
                        const QString &line) = 0;
    // Whether logged() wants lines now: a log mediator whose level the logger hides builds
    // its line only when this is true (building it is the costly part).
    virtual bool wantsLogLines() const { return true; }
    // Whether a line the logger hides may be handed over unbuilt (loggedDeferred) rather than
    // built now; `format` (the log mediator) outlives what the observer keeps of it as long as
    // the message's environment does.
    virtual bool defersLogLines() const { return false; }
    virtual void loggedDeferred(const MessageContext &message, const QString &category,
                                const Mediator &mediator, const LogLineFormat &format)
    {
        Q_UNUSED(message);
        Q_UNUSED(category);
        Q_UNUSED(mediator);
        Q_UNUSED(format);
    }
    // Asked once per planned message: one call instead of the three above.
    virtual PlanObservation planObservation() const
    {
        if (!observesMediators())
            return wantsLogLines() ? PlanObservation::Immediate : PlanObservation::None;
        return defersLogLines() ? PlanObservation::DeferredSteps : PlanObservation::Immediate;
    }
};

// One deployed project, compiled: the sequences, endpoints and local entries that mediators
// look up by name at run time, plus the senders. Immutable once messages flow (a redeploy builds
// a new one; messages in flight keep theirs alive through shared_ptr).
class MediationEnvironment {
public:
    MediationEnvironment() = default;

    std::shared_ptr<const CompiledSequence> sequence(const QString &name) const
    {
        return m_sequences.value(name);
    }
    // The global fault sequence: the project's "fault" sequence, or the built-in one that logs
    // the error.
    std::shared_ptr<const CompiledSequence> faultSequence() const { return m_faultSequence; }
    const EndpointDefinition *endpoint(const QString &name) const;
    const LocalEntry *localEntry(const QString &key) const;
    const ProjectConfig &config() const { return m_config; }
    const ArtifactSet &artifacts() const { return m_artifacts; }

    // The sender of a URI scheme, in any case ("ws", "WS"); null when there is none.
    MessageSender *sender(QStringView scheme) const
    {
        for (const auto &[name, sender] : m_senders) {
            if (equalsAsciiNoCase(scheme, name))
                return sender.get();
        }
        return nullptr;
    }
    MediationObserver *observer() const { return m_observer; }
    // Where transports emit connection and frame events; null when nobody collects them.
    MessageEventHub *eventHub() const { return m_eventHub; }

    // Set up before the first message (by the compiler and the runtime).
    void addSequence(std::shared_ptr<const CompiledSequence> sequence);
    void setFaultSequence(std::shared_ptr<const CompiledSequence> sequence)
    {
        m_faultSequence = std::move(sequence);
    }
    void setArtifacts(const ArtifactSet &artifacts, const ProjectConfig &config);
    // `scheme` in lower case, as URI schemes are compared.
    void setSender(const QString &scheme, std::shared_ptr<MessageSender> sender)
    {
        for (auto &[name, existing] : m_senders) {
            if (name == scheme) {
                existing = std::move(sender);
                return;
            }
        }
        m_senders.emplace_back(scheme, std::move(sender));
    }
    void setObserver(MediationObserver *observer) { m_observer = observer; }
    void setEventHub(MessageEventHub *hub) { m_eventHub = hub; }

private:
    QHash<QString, std::shared_ptr<const CompiledSequence>> m_sequences;
    std::shared_ptr<const CompiledSequence> m_faultSequence;
    ArtifactSet m_artifacts;
    ProjectConfig m_config;
    // A handful of schemes, searched for every message sent: a short list compared in place
    // costs less than hashing the scheme (and needs no lower-cased copy of it).
    std::vector<std::pair<QString, std::shared_ptr<MessageSender>>> m_senders;
    MediationObserver *m_observer = nullptr;
    MessageEventHub *m_eventHub = nullptr;
};

} // namespace sluice
