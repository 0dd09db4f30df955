// SPDX-License-Identifier: Apache-2.0
// sluice_loadgen: the WebSocket load generator of bench/compare.py (issue 8). Boost.Beast, not
// QWebSocket, so that the load is never the bottleneck (Qt 6.4 masks client frames byte by byte
// and copies every payload). Several connections per thread; every message carries its
// connection id, sequence number and a checksum, and every echo is checked: a lost, duplicated,
// reordered or corrupted message, or a connection dropped, makes the run INVALID with the first
// problem named. Progress lines {"phase":...} on stdout (when the measured window starts and
// ends, when connect mode holds), then one JSON line of results.
//
//   sluice_loadgen --url ws://127.0.0.1:PORT/PATH [--mode closed|rate|connect]
//       [--threads N] [--connections C] [--in-flight K] [--rate MSGS_PER_S] [--size BYTES]
//       [--binary] [--warmup S] [--duration S] [--drain S]
//       [--connect-concurrency P] [--hold S] [--checks N]
//
// closed:  C connections, K messages in flight on each, a new one sent as each echo arrives.
// rate:    open loop, MSGS_PER_S spread evenly over the connections; latency is measured from
//          each message's scheduled send time, so a stalled proxy cannot hide its queue.
// connect: opens C connections as fast as the target accepts them (P handshakes at a time),
//          sends one message on each and waits for the echoes (a proxy may open its backend
//          connection only then), prints {"phase":"holding",...}, holds them idle for S seconds
//          with N more alive checks (one echoed message per connection), then reports.

#include "load_worker.h"

#include <boost/asio/ip/tcp.hpp>

#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cinttypes>
#include <cstdio>
#include <memory>
#include <thread>
#include <vector>

using namespace sluice_bench;

namespace {

void raiseFileLimit()
{
    // Thousands of sockets: take the hard limit (the caller raises it when it can).
    rlimit limit{};
    if (getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max) {
        limit.rlim_cur = limit.rlim_max;
        setrlimit(RLIMIT_NOFILE, &limit);
    }
}

void sleepUntil(std::uint64_t deadlineNs)
{
    const std::uint64_t now = nowNs();
    if (deadlineNs > now)
        std::this_thread::sleep_for(std::chrono::nanoseconds(deadlineNs - now));
}

template <typename Predicate> bool waitFor(Predicate done, double seconds)
{
    const std::uint64_t deadline = nowNs() + static_cast<std::uint64_t>(seconds * 1e9);
    while (!done()) {
        if (nowNs() >= deadline)
            return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    return true;
}

std::string jsonString(const std::string &text)
{
    std::string out = "\"";
    for (const char c : text) {
        if (c == '"' || c == '\\')
            out += '\\';
        if (static_cast<unsigned char>(c) >= 0x20)
            out += c;
    }
    return out + "\"";
}

struct Workers {
    std::vector<std::unique_ptr<LoadWorker>> list;

    template <typename Sum> std::int64_t sum(Sum field) const
    {
        std::int64_t total = 0;
        for (const auto &worker : list)
            total += field(*worker);
        return total;
    }
    std::int64_t outstanding() const
    {
        return sum([](const LoadWorker &w) { return w.m_outstanding.load(); });
    }
    std::int64_t echoes() const
    {
        return sum(
            [](const LoadWorker &w) { return static_cast<std::int64_t>(w.m_echoes.load()); });
    }
    std::int64_t connectsDone() const
    {
        return sum([](const LoadWorker &w) { return w.m_connectsDone.load(); });
    }
    std::int64_t open() const
    {
        return sum([](const LoadWorker &w) { return w.m_open.load(); });
    }
};

double ms(std::uint64_t ns)
{
    return static_cast<double>(ns) / 1e6;
}

} // namespace

int main(int argc, char **argv)
{
    LoadOptions options;
    std::string error;
    if (!options.parse(argc, argv, error)) {
        std::fprintf(stderr, "sluice_loadgen: %s\n", error.c_str());
        return 2;
    }
    raiseFileLimit();
    const CheckedPayload payload(options.size, options.binary);

    RunPlan plan;
    plan.options = &options;
    plan.payload = &payload;
    try {
        boost::asio::io_context resolverIo;
        boost::asio::ip::tcp::resolver resolver(resolverIo);
        plan.endpoint = resolver.resolve(options.host, options.port)->endpoint();
    } catch (const std::exception &e) {
        std::fprintf(stderr, "sluice_loadgen: cannot resolve %s:%s: %s\n", options.host.c_str(),
                     options.port.c_str(), e.what());
        return 2;
    }
    // Nothing is sent before the timetable is set; connect mode never sends in a window.
    plan.sendStart = plan.measureStart = plan.measureEnd = UINT64_MAX;

    Workers workers;
    std::uint32_t nextId = 0;
    for (int t = 0; t < options.threads; ++t) {
        const int count = options.connections / options.threads +
                          (t < options.connections % options.threads ? 1 : 0);
        workers.list.push_back(std::make_unique<LoadWorker>(plan, nextId, count));
        nextId += static_cast<std::uint32_t>(count);
    }

    const std::uint64_t connectStart = nowNs();
    for (auto &worker : workers.list)
        worker->startConnecting();
    // A target that stops answering handshakes must not hang the run: 60 s, then report.
    waitFor([&] { return workers.connectsDone() >= options.connections; },
            60 + options.connections / 500.0);
    const std::uint64_t connectEnd = nowNs();
    const std::int64_t connectedNow = workers.open();

    std::int64_t aliveAtFirstCheck = -1;
    std::int64_t aliveAtLastCheck = -1;
    bool drained = true;
    if (options.mode == LoadOptions::Mode::Connect) {
        // One message on every open connection; alive = the echoes that came back.
        const auto checkAll = [&] {
            const std::int64_t before = workers.echoes();
            const std::int64_t open = workers.open();
            for (auto &worker : workers.list)
                worker->checkAlive();
            drained =
                waitFor([&] { return workers.echoes() - before >= open; }, options.drainSeconds) &&
                drained;
            return workers.echoes() - before;
        };
        // A proxy may open its backend connection on the first message only (Sluice does):
        // one echo on every connection first, so that every pair exists while it is held.
        aliveAtFirstCheck = checkAll();
        const std::uint64_t pairedEnd = nowNs();
        std::printf("{\"phase\":\"holding\",\"connected\":%" PRId64 ",\"paired\":%" PRId64
                    ",\"connect_s\":%.3f,\"pair_s\":%.3f}\n",
                    connectedNow, aliveAtFirstCheck,
                    static_cast<double>(connectEnd - connectStart) / 1e9,
                    static_cast<double>(pairedEnd - connectEnd) / 1e9);
        std::fflush(stdout);
        const std::uint64_t holdEnd =
            pairedEnd + static_cast<std::uint64_t>(options.holdSeconds * 1e9);
        for (int check = 1; check <= options.checks; ++check) {
            sleepUntil(pairedEnd + static_cast<std::uint64_t>(options.holdSeconds * 1e9 * check /
                                                              (options.checks + 1)));
            aliveAtLastCheck = checkAll();
        }
        sleepUntil(holdEnd);
    } else if (connectedNow > 0) {
        plan.sendStart = nowNs();
        plan.measureStart =
            plan.sendStart + static_cast<std::uint64_t>(options.warmupSeconds * 1e9);
        plan.measureEnd =
            plan.measureStart + static_cast<std::uint64_t>(options.durationSeconds * 1e9);
        for (auto &worker : workers.list)
            worker->startLoad();
        // The caller samples the target's CPU time on these two lines.
        sleepUntil(plan.measureStart);
        std::printf("{\"phase\":\"measuring\"}\n");
        std::fflush(stdout);
        sleepUntil(plan.measureEnd);
        std::printf("{\"phase\":\"measured\"}\n");
        std::fflush(stdout);
        drained = waitFor([&] { return workers.outstanding() == 0; }, options.drainSeconds);
    }
    const std::int64_t unanswered = workers.outstanding();
    const std::int64_t openAtEnd = workers.open();

    for (auto &worker : workers.list)
        worker->closeAll();
    waitFor([&] { return workers.open() == 0; }, 2);
    LoadStats total;
    for (auto &worker : workers.list) {
        worker->join();
        total.merge(worker->stats());
    }
    if (unanswered > 0) {
        total.lost += static_cast<std::uint64_t>(unanswered);
        total.problem(UINT64_MAX - 1, std::to_string(unanswered) + " messages not echoed within " +
                                          std::to_string(options.drainSeconds) +
                                          " s after the last send");
    }
    std::uint64_t dropped = total.closed;
    if (options.mode == LoadOptions::Mode::Connect && aliveAtFirstCheck < connectedNow) {
        dropped = std::max<std::uint64_t>(
            dropped, static_cast<std::uint64_t>(connectedNow - aliveAtFirstCheck));
        total.problem(UINT64_MAX - 2, std::to_string(connectedNow - aliveAtFirstCheck) +
                                          " connections did not echo their first message");
    }
    if (options.mode == LoadOptions::Mode::Connect && aliveAtLastCheck >= 0 &&
        aliveAtLastCheck < connectedNow) {
        dropped = std::max<std::uint64_t>(
            dropped, static_cast<std::uint64_t>(connectedNow - aliveAtLastCheck));
        total.problem(UINT64_MAX - 1, std::to_string(connectedNow - aliveAtLastCheck) +
                                          " connections did not echo the alive check");
    }
    if (total.connectFailed > 0 || connectedNow < options.connections)
        total.problem(UINT64_MAX - 1, std::to_string(options.connections - connectedNow) + " of " +
                                          std::to_string(options.connections) +
                                          " connections not established");
    const bool valid = total.firstProblem.empty();
    const double window = options.mode == LoadOptions::Mode::Connect ? 0 : options.durationSeconds;
    const LatencyHistogram &h = total.latency;
    const double connectSeconds = static_cast<double>(connectEnd - connectStart) / 1e9;

    std::printf("{\"mode\":\"%s\",\"threads\":%d,\"connections\":%d,\"in_flight\":%d,\"rate\":%.0f,"
                "\"size\":%zu,\"binary\":%s,\"warmup_s\":%.3f,\"duration_s\":%.3f,"
                "\"sent_in_window\":%" PRIu64 ",\"echoed_in_window\":%" PRIu64
                ",\"echoed\":%" PRIu64 ",\"msgs_per_s\":%.1f,"
                "\"latency_ms\":{\"count\":%" PRIu64 ",\"min\":%.4f,\"p50\":%.4f,\"p90\":%.4f,"
                "\"p99\":%.4f,\"p999\":%.4f,\"max\":%.4f},"
                "\"lost\":%" PRIu64 ",\"duplicated\":%" PRIu64 ",\"reordered\":%" PRIu64
                ",\"corrupted\":%" PRIu64 ",\"wrong_type\":%" PRIu64 ",\"closed\":%" PRIu64
                ",\"drained\":%s,"
                "\"connected\":%" PRId64 ",\"connect_failed\":%" PRIu64 ",\"connect_s\":%.3f,"
                "\"connects_per_s\":%.1f,\"alive_at_first_check\":%" PRId64
                ",\"alive_at_last_check\":%" PRId64 ",\"open_at_end\":%" PRId64
                ",\"dropped\":%" PRIu64 ",\"valid\":%s,\"first_problem\":%s}\n",
                options.mode == LoadOptions::Mode::Closed ? "closed"
                : options.mode == LoadOptions::Mode::Rate ? "rate"
                                                          : "connect",
                options.threads, options.connections, options.inFlight, options.rate,
                payload.size(), options.binary ? "true" : "false", options.warmupSeconds, window,
                total.sentInWindow, total.echoedInWindow, total.echoed,
                window > 0 ? static_cast<double>(total.echoedInWindow) / window : 0.0, h.count(),
                ms(h.min()), ms(h.percentile(0.5)), ms(h.percentile(0.9)), ms(h.percentile(0.99)),
                ms(h.percentile(0.999)), ms(h.max()), total.lost, total.duplicated, total.reordered,
                total.corrupted, total.wrongType, total.closed, drained ? "true" : "false",
                connectedNow, total.connectFailed, connectSeconds,
                connectSeconds > 0 ? static_cast<double>(connectedNow) / connectSeconds : 0.0,
                aliveAtFirstCheck, aliveAtLastCheck, openAtEnd, dropped, valid ? "true" : "false",
                valid ? "null" : jsonString(total.firstProblem).c_str());
    std::fflush(stdout);
    workers.list.clear();
    return valid ? 0 : 1;
}
