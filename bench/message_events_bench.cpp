// SPDX-License-Identifier: Apache-2.0
// Message events on the hot path: runs N messages through a compiled seed-like sequence
// (property + send to a no-op sender, no network) with events off, on but unwatched (recorded
// into the ring buffer) and watched by a subscriber, on 1 and on 2 threads, and prints ns per
// message, the overheads and whether recording stays within the 3 % budget of issue 5.
//   message_events_bench [messages] [rounds]

#include "artifacts/artifact_io.h"
#include "mediation/executor.h"
#include "mediation/message_context.h"
#include "mediation/project_compiler.h"
#include "runtime/event_lock.h"
#include "runtime/message_events.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QTextStream>
#include <algorithm>
#include <atomic>
#include <thread>
#include <vector>

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
            hub->emitFrame(MessageEventKind::FrameOut, EventPeer::Backend, message->channelId(),
                           message->messageId(), message->artifactName(), EventOpcode::Text,
                           message->payload(), m_url);
        }
        sent.fetch_add(1, std::memory_order_relaxed);
    }
    std::atomic<quint64> sent{0};

private:
    const QString m_url = QStringLiteral("ws://127.0.0.1:9/echo");
};

// One frame from a client, as WsClientConnection::dispatch handles it.
void dispatch(const std::shared_ptr<const MediationEnvironment> &environment,
              const std::shared_ptr<const CompiledSequence> &sequence, const QByteArray &payload,
              const QString &connection, const QString &artifact)
{
    auto message = std::make_shared<MessageContext>(environment);
    if (MessageEventHub *hub = MessageEventHub::active(*environment)) {
        hub->emitFrame(MessageEventKind::FrameIn, EventPeer::Client, connection,
                       message->messageId(), artifact, EventOpcode::Text, payload);
    }
    message->setReceivedPayload(payload, QStringLiteral("application/json"), FrameKind::Text);
    message->setChannelId(connection);
    message->setArtifactName(artifact);
    Executor::start(message, sequence, QString());
}

// Each thread plays one client connection; the figure is the wall time per message of the
// slower thread, so with 2 threads it shows what the threads cost each other through the hub.
double nsPerMessage(const std::shared_ptr<const MediationEnvironment> &environment,
                    const std::shared_ptr<const CompiledSequence> &sequence, int messages,
                    int threads)
{
    const QByteArray payload =
        QByteArrayLiteral("{\"symbol\":\"ACME\",\"price\":42.5,\"qty\":100}");
    const QString artifact = QStringLiteral("websocket");
    std::atomic<int> ready{0};
    std::atomic<bool> go{false};
    std::vector<qint64> elapsed(size_t(threads), 0);
    const auto run = [&](int index) {
        const QString connection = QStringLiteral("ws-%1").arg(index + 1);
        ready.fetch_add(1);
        while (!go.load())
            std::this_thread::yield();
        QElapsedTimer timer;
        timer.start();
        for (int i = 0; i < messages; ++i)
            dispatch(environment, sequence, payload, connection, artifact);
        elapsed[size_t(index)] = timer.nsecsElapsed();
    };
    std::vector<std::thread> others;
    for (int t = 1; t < threads; ++t)
        others.emplace_back(run, t);
    while (ready.load() < threads - 1)
        std::this_thread::yield();
    go.store(true);
    run(0);
    for (std::thread &other : others)
        other.join();
    return double(*std::max_element(elapsed.begin(), elapsed.end())) / messages;
}

struct Figures {
    double none = 1e18;      // no hub in the environment at all
    double off = 1e18;       // hub present, recording off, nobody watching
    double recording = 1e18; // recorded into the ring, nobody watching
    double watched = 1e18;   // recorded and handed to a subscriber
};

// Best of `rounds` for each mode, interleaved so that a noisy neighbour hurts all modes alike.
Figures measure(const std::shared_ptr<MediationEnvironment> &environment, MessageEventHub &hub,
                int messages, int rounds, int threads)
{
    const auto sequence = environment->sequence(QStringLiteral("dispatchSeq"));
    Figures figures;
    std::atomic<quint64> seen{0};
    nsPerMessage(environment, sequence, messages / 10 + 1, threads); // warm up
    for (int round = 0; round < rounds; ++round) {
        environment->setObserver(nullptr);
        environment->setEventHub(nullptr);
        figures.none =
            std::min(figures.none, nsPerMessage(environment, sequence, messages, threads));
        environment->setObserver(&hub);
        environment->setEventHub(&hub);
        hub.setRecording(false);
        figures.off = std::min(figures.off, nsPerMessage(environment, sequence, messages, threads));
        hub.setRecording(true);
        figures.recording =
            std::min(figures.recording, nsPerMessage(environment, sequence, messages, threads));
        const int subscription = hub.subscribe(
            [&seen](const MessageEvent &) { seen.fetch_add(1, std::memory_order_relaxed); });
        figures.watched =
            std::min(figures.watched, nsPerMessage(environment, sequence, messages, threads));
        hub.unsubscribe(subscription);
    }
    return figures;
}

void print(QTextStream &out, const QString &title, const Figures &figures, double budget)
{
    const auto overhead = [&figures](double value) {
        return (value - figures.off) / figures.off * 100.0;
    };
    out << title << '\n';
    out << QStringLiteral("  no hub at all:        %1 ns/message (%2 %)\n")
               .arg(figures.none, 7, 'f', 1)
               .arg(overhead(figures.none), 0, 'f', 1);
    out << QStringLiteral("  events off:           %1 ns/message\n").arg(figures.off, 7, 'f', 1);
    out << QStringLiteral("  on, unwatched (ring): %1 ns/message (%2 %) -> %3\n")
               .arg(figures.recording, 7, 'f', 1)
               .arg(overhead(figures.recording), 0, 'f', 1)
               .arg(overhead(figures.recording) <= budget
                        ? QStringLiteral("within the %1 % budget").arg(budget)
                        : QStringLiteral("OVER the %1 % budget").arg(budget));
    out << QStringLiteral("  on, watched:          %1 ns/message (%2 %)\n")
               .arg(figures.watched, 7, 'f', 1)
               .arg(overhead(figures.watched), 0, 'f', 1);
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    const int messages = args.size() > 1 ? args.at(1).toInt() : 200000;
    const int rounds = args.size() > 2 ? args.at(2).toInt() : 7;
    constexpr double kBudgetPercent = 3.0; // issue 5: recording unwatched vs events off
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
    out << "messages per run and thread: " << messages << ", best of " << rounds
        << " rounds, events per message: 5 (frame in, 2 mediators, properties set, frame out)"
        << ", timestamps: " << (EventClock().usesTsc() ? "TSC" : "steady clock")
        << ", segment lock: "
        << (EventReaderGate().asymmetric() ? "asymmetric (membarrier)" : "exchange") << '\n';
    const Figures one = measure(environment, hub, messages, rounds, 1);
    print(out, QStringLiteral("1 thread:"), one, kBudgetPercent);
    const Figures two = measure(environment, hub, messages, rounds, 2);
    print(out, QStringLiteral("2 threads (one connection each, one hub):"), two, kBudgetPercent);
    out << "sent: " << sender->sent.load() << ", dropped from the ring: " << hub.droppedCount()
        << ", last id: " << hub.lastId() << Qt::endl;
    const bool met = (one.recording - one.off) / one.off * 100.0 <= kBudgetPercent;
    out << (met ? "budget met" : "budget NOT met") << " (1 thread, recording unwatched vs off)"
        << Qt::endl;
    return 0;
}
