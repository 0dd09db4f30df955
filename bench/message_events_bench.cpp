// SPDX-License-Identifier: Apache-2.0
// Message events on the hot path: runs N messages through a compiled seed-like sequence
// (property + send to a no-op sender, no network) with events off, on but unwatched (recorded
// into the ring buffer) and watched by a subscriber, and prints ns per message and overheads.
//   message_events_bench [messages] [rounds]

#include "artifacts/artifact_io.h"
#include "mediation/executor.h"
#include "mediation/message_context.h"
#include "mediation/project_compiler.h"
#include "runtime/message_events.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QTextStream>
#include <algorithm>
#include <atomic>

using namespace sluice;

namespace {

const char *const kSequence =
    R"(<sequence xmlns="http://ws.apache.org/ns/synapse" name="dispatchSeq">
  <property name="backend" value="echo" scope="default" type="STRING"/>
  <send><endpoint><address uri="ws://127.0.0.1:9/echo"/></endpoint></send>
</sequence>
)";

// Stands in for the WebSocket sender: emits the frame-out event a backend connection would.
class NoopSender : public MessageSender {
public:
    void send(const std::shared_ptr<MessageContext> &message, const EndpointDefinition &,
              Mode) override
    {
        if (MessageEventHub *hub = MessageEventHub::active(message->environment())) {
            MessageEvent event;
            event.kind = MessageEventKind::FrameOut;
            event.peer = EventPeer::Backend;
            event.connectionId = message->channelId();
            event.messageId = message->messageId();
            event.artifact = message->artifactName();
            event.opcode = EventOpcode::Text;
            event.size = message->payload().size();
            event.payload = hub->capturePayload(message->payload());
            hub->emitEvent(std::move(event));
        }
        ++sent;
    }
    quint64 sent = 0;
};

// One frame from a client, as WsClientConnection::dispatch handles it.
void dispatch(const std::shared_ptr<const MediationEnvironment> &environment,
              const std::shared_ptr<const CompiledSequence> &sequence, const QByteArray &payload,
              const QString &connection, const QString &artifact)
{
    auto message = std::make_shared<MessageContext>(environment);
    if (MessageEventHub *hub = MessageEventHub::active(*environment)) {
        MessageEvent event;
        event.kind = MessageEventKind::FrameIn;
        event.peer = EventPeer::Client;
        event.connectionId = connection;
        event.messageId = message->messageId();
        event.artifact = artifact;
        event.opcode = EventOpcode::Text;
        event.size = payload.size();
        event.payload = hub->capturePayload(payload);
        hub->emitEvent(std::move(event));
    }
    message->setReceivedPayload(payload, QStringLiteral("application/json"), FrameKind::Text);
    message->setChannelId(connection);
    message->setArtifactName(artifact);
    Executor::start(message, sequence, QString());
}

double nsPerMessage(const std::shared_ptr<const MediationEnvironment> &environment,
                    const std::shared_ptr<const CompiledSequence> &sequence, int messages)
{
    const QByteArray payload =
        QByteArrayLiteral("{\"symbol\":\"ACME\",\"price\":42.5,\"qty\":100}");
    const QString connection = QStringLiteral("ws-1");
    const QString artifact = QStringLiteral("websocket");
    QElapsedTimer timer;
    timer.start();
    for (int i = 0; i < messages; ++i)
        dispatch(environment, sequence, payload, connection, artifact);
    return double(timer.nsecsElapsed()) / messages;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    const int messages = args.size() > 1 ? args.at(1).toInt() : 200000;
    const int rounds = args.size() > 2 ? args.at(2).toInt() : 7;
    QTextStream out(stdout);

    Diagnostics diagnostics;
    Project project;
    project.rootPath = QStringLiteral("bench");
    project.config.ws.enabled = true;
    project.artifacts.append(
        readArtifactData(QByteArray(kSequence), QStringLiteral("dispatchSeq.xml"), diagnostics));
    std::shared_ptr<MediationEnvironment> environment = compileProject(project, diagnostics);
    if (!environment || diagnostics.hasErrors()) {
        out << "cannot compile the bench sequence: " << diagnostics.toString() << Qt::endl;
        return 1;
    }
    auto sender = std::make_shared<NoopSender>();
    environment->setSender(QStringLiteral("ws"), sender);
    MessageEventHub hub;
    environment->setObserver(&hub);
    environment->setEventHub(&hub);
    const auto sequence = environment->sequence(QStringLiteral("dispatchSeq"));

    // Warm up, then take the best of `rounds` for each mode, interleaved.
    nsPerMessage(environment, sequence, messages / 10 + 1);
    double off = 1e18;
    double recording = 1e18;
    double watched = 1e18;
    std::atomic<quint64> seen{0};
    for (int round = 0; round < rounds; ++round) {
        hub.setRecording(false);
        off = std::min(off, nsPerMessage(environment, sequence, messages));
        hub.setRecording(true);
        recording = std::min(recording, nsPerMessage(environment, sequence, messages));
        const int subscription = hub.subscribe(
            [&seen](const MessageEvent &) { seen.fetch_add(1, std::memory_order_relaxed); });
        watched = std::min(watched, nsPerMessage(environment, sequence, messages));
        hub.unsubscribe(subscription);
    }
    // What an environment without any hub costs, for reference.
    environment->setObserver(nullptr);
    environment->setEventHub(nullptr);
    double none = 1e18;
    for (int round = 0; round < rounds; ++round)
        none = std::min(none, nsPerMessage(environment, sequence, messages));

    const auto overhead = [off](double value) { return (value - off) / off * 100.0; };
    out << "messages per run: " << messages << ", rounds: " << rounds
        << ", events per message: 5 (frame in, 2 mediators, properties set, frame out)\n";
    out << QStringLiteral("no hub at all:          %1 ns/message (%2 %)\n")
               .arg(none, 0, 'f', 1)
               .arg(overhead(none), 0, 'f', 1);
    out << QStringLiteral("events off:             %1 ns/message\n").arg(off, 0, 'f', 1);
    out << QStringLiteral("on, unwatched (ring):   %1 ns/message (+%2 %)\n")
               .arg(recording, 0, 'f', 1)
               .arg(overhead(recording), 0, 'f', 1);
    out << QStringLiteral("on, watched:            %1 ns/message (+%2 %)\n")
               .arg(watched, 0, 'f', 1)
               .arg(overhead(watched), 0, 'f', 1);
    out << "sent: " << sender->sent << ", events seen by the subscriber: " << seen.load()
        << ", dropped from the ring: " << hub.droppedCount() << Qt::endl;
    return 0;
}
