// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "mediator.h"
#include "mediator_trail.h"

#include <QtGlobal>
#include <memory>
#include <vector>

namespace sluice {

class MediationEnvironment;

// What a sequence amounts to when it only sets constant properties, logs, and then forwards the
// message as it came: to one WebSocket address (the seed's dispatch sequence: property, property,
// property, send) or back to its client (the seed's outflow sequence: log, respond). Found when
// the project is compiled, so that the WebSocket transport can forward such a message without a
// message object, the executor or the sender's lookups, and nothing can tell the difference:
//
// - The constants are stored for nobody. The flow ends at the forward, and neither the WebSocket
//   sender on an open backend connection nor `respond` reads a property; the few names the
//   sending path does read (messageType and ContentType choose the format the message leaves
//   in, connection.terminate closes the backend connection) keep a flow off the plan.
// - A log line is built only when the logger shows its level or somebody observes mediation.
//
// How a transport runs a planned flow depends on who is looking (modeIn()): with nobody, bare
// (no message object at all); with message events recorded and nobody watching, bare too, the
// whole hop noted as one record that stands for its events (MessageEventHub::recordPlannedHop,
// expanded from hopTrail when read); with another observer that takes deferred lines, through a
// message object the transport keeps for it and Executor::enterPlanned(), which reports to the
// observer exactly what the executor would; otherwise, and whenever anything else is in play (a
// client's first message carries the handshake's headers, a backend connection is not open yet),
// through the executor. docs/performance.md, "A compiled path for forwarding flows", and
// docs/events.md, "One record for a planned hop".
struct ForwardPlan {
    enum class Ending { Send, Respond };

    Ending ending = Ending::Send;
    // Send: the send mediator's endpoint, alive as long as the plan's sequence.
    const EndpointDefinition *endpoint = nullptr;
    // The levels (LogLevel) of the log steps.
    std::vector<int> logLevels;
    // The highest of them that can print (Off prints nothing), or -1: one comparison per message
    // tells whether the logger shows any log step.
    int loudestLogLevel = -1;
    // What an observer's trail holds after the steps up to the first log step (the forward
    // included when there is none): each mediator entered, its constants noted. Appended in
    // one go (Executor::enterPlanned).
    std::vector<MediatorTrail::Entry> trailHead;
    // Every step as an observer's trail holds it once the flow ran, the forward included: each
    // mediator entered, its constants noted, its log line marked (inflow: a hop from a backend
    // adds MediatorTrail::kLogOutflow to the log steps). What a hop's record stands for.
    std::vector<MediatorTrail::Entry> hopTrail;
    // The events of one hop: the frame in, the steps' (hopTrail) and the frame out.
    int hopEvents = 0;
    static constexpr int kMaxHopEvents = 255;
    // Whether a log step prints the payload (its line is then built from the payload a frame
    // event captured, which must be all of it).
    bool logsShowPayload = false;
    // Unique across the plans of every deployment: what a transport remembers for one plan (the
    // backend connection it forwards to) is never used for another, a redeploy's.
    quint64 serial = 0;

    // The plan of `mediators`, or null when they are not such a flow.
    static std::shared_ptr<const ForwardPlan> of(const MediatorList &mediators);
    enum class Mode {
        Executor, // the logger shows a log step's level, or somebody watches: run it as usual
        Bare,     // nobody observes mediation: no message object
        Observed, // mediators are observed and log lines deferred, one by one
        Recorded, // the observer notes a hop as one record (events recorded, unwatched)
    };
    Mode modeIn(const MediationEnvironment &environment) const;
};

} // namespace sluice
