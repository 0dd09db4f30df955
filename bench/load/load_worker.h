// SPDX-License-Identifier: Apache-2.0
// One load thread: an Asio event loop driving many WebSocket client connections (Boost.Beast),
// each sending checked messages and checking every echo: its order, its content, its frame type.
// Nothing is shared between threads on the message path; each thread keeps its own statistics
// and the main thread merges them once the threads have stopped.
#pragma once

#include "checked_payload.h"
#include "latency_histogram.h"
#include "load_options.h"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/websocket/stream.hpp>

#include <atomic>
#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <thread>
#include <vector>

namespace sluice_bench {

std::uint64_t nowNs();

// The run's timetable (steady clock, ns) and fixed inputs, written by the main thread before
// the load starts and only read afterwards.
struct RunPlan {
    const LoadOptions *options = nullptr;
    const CheckedPayload *payload = nullptr;
    boost::asio::ip::tcp::endpoint endpoint;
    std::uint64_t sendStart = 0;    // warm-up begins
    std::uint64_t measureStart = 0; // measured window [measureStart, measureEnd)
    std::uint64_t measureEnd = 0;   // and no new message is sent from then on
};

struct LoadStats {
    LatencyHistogram latency; // of messages sent (or scheduled) in the measured window
    std::uint64_t sentInWindow = 0;
    std::uint64_t echoedInWindow = 0; // echoes received in the measured window
    std::uint64_t echoed = 0;
    std::uint64_t lost = 0;       // never echoed by the end of the drain (set by the caller)
    std::uint64_t duplicated = 0; // a sequence number echoed twice
    std::uint64_t reordered = 0;  // echoed before an older message of the same connection
    std::uint64_t corrupted = 0;
    std::uint64_t wrongType = 0; // text echoed as binary or the reverse
    std::uint64_t closed = 0;    // connections closed or failed while in use
    std::uint64_t connected = 0;
    std::uint64_t connectFailed = 0;
    std::uint64_t firstProblemAt = UINT64_MAX;
    std::string firstProblem;

    void problem(std::uint64_t at, const std::string &what);
    void merge(const LoadStats &other);
};

class LoadWorker;

class LoadConnection : public std::enable_shared_from_this<LoadConnection> {
public:
    LoadConnection(LoadWorker &worker, std::uint32_t id);

    void connect();
    // One more message to send; `stamp` is its scheduled time (fixed rate), or 0: stamped when
    // it is written (closed loop).
    void queueSend(std::uint64_t stamp);
    void close();
    bool isOpen() const { return m_open; }
    std::uint64_t scheduled = 0; // fixed rate: messages scheduled so far

private:
    void onConnected(boost::beast::error_code ec);
    void onHandshake(boost::beast::error_code ec);
    void pump();
    void read();
    void onRead(boost::beast::error_code ec);
    void checkEcho(std::uint64_t now);
    void fail(const char *what, boost::beast::error_code ec);

    LoadWorker &m_worker;
    boost::beast::websocket::stream<boost::asio::ip::tcp::socket> m_ws;
    std::uint32_t m_id;
    std::uint64_t m_nextSequence = 0;
    std::uint64_t m_firstPending = 0;    // sequence number of m_inFlight.front()
    std::deque<std::uint64_t> m_backlog; // stamps of messages waiting for the writer
    // Stamps of the messages written from m_firstPending on, 0 once echoed: an echo that
    // overtakes an older one is found in place, and the front moves past echoed ones only.
    std::deque<std::uint64_t> m_inFlight;
    std::string m_out;
    boost::beast::flat_buffer m_in;
    bool m_writing = false;
    bool m_open = false;
    bool m_closing = false;
};

class LoadWorker {
public:
    LoadWorker(const RunPlan &plan, std::uint32_t firstId, int connections);
    ~LoadWorker();

    // Each of these runs on the worker's own thread (posted); the main thread polls the
    // atomics below to follow progress.
    void startConnecting();
    void startLoad();  // closed loop: K messages per connection; fixed rate: the ticker
    void checkAlive(); // connect mode: one message on every open connection
    void closeAll();
    void stop();
    void join(); // stops the event loop and waits for the thread: stats() is final after

    const RunPlan &plan() const { return m_plan; }
    LoadStats &stats() { return m_stats; }
    boost::asio::io_context &io() { return m_io; }

    void connectFinished(bool ok);
    void echoed() { m_echoes.fetch_add(1, std::memory_order_relaxed); }
    void sent() { m_outstanding.fetch_add(1, std::memory_order_relaxed); }
    void answered() { m_outstanding.fetch_sub(1, std::memory_order_relaxed); }

    alignas(64) std::atomic<std::uint64_t> m_echoes{0};
    std::atomic<std::int64_t> m_outstanding{0};
    std::atomic<int> m_connectsDone{0};
    std::atomic<int> m_open{0};

private:
    void connectNext();
    void tick();

    const RunPlan &m_plan;
    boost::asio::io_context m_io{1};
    boost::asio::executor_work_guard<boost::asio::io_context::executor_type> m_guard;
    boost::asio::steady_timer m_ticker;
    std::vector<std::shared_ptr<LoadConnection>> m_connections;
    std::size_t m_nextToConnect = 0;
    LoadStats m_stats;
    std::thread m_thread;
};

} // namespace sluice_bench
