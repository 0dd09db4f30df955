// SPDX-License-Identifier: Apache-2.0
#include "load_worker.h"

#include <boost/asio/connect.hpp>
#include <boost/asio/post.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/websocket.hpp>

#include <algorithm>
#include <chrono>

namespace sluice_bench {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;

std::uint64_t nowNs()
{
    return static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(
                                          std::chrono::steady_clock::now().time_since_epoch())
                                          .count());
}

void LoadStats::problem(std::uint64_t at, const std::string &what)
{
    if (at < firstProblemAt) {
        firstProblemAt = at;
        firstProblem = what;
    }
}

void LoadStats::merge(const LoadStats &other)
{
    latency.merge(other.latency);
    sentInWindow += other.sentInWindow;
    echoedInWindow += other.echoedInWindow;
    echoed += other.echoed;
    lost += other.lost;
    duplicated += other.duplicated;
    reordered += other.reordered;
    corrupted += other.corrupted;
    wrongType += other.wrongType;
    closed += other.closed;
    connected += other.connected;
    connectFailed += other.connectFailed;
    problem(other.firstProblemAt, other.firstProblem);
}

LoadConnection::LoadConnection(LoadWorker &worker, std::uint32_t id)
    : m_worker(worker)
    , m_ws(worker.io())
    , m_id(id)
{
    // The proxies under test get the same frames whatever the load generator is: whole
    // messages, no compression.
    m_ws.auto_fragment(false);
    m_ws.read_message_max(64 * 1024 * 1024);
    m_ws.binary(worker.plan().options->binary);
}

void LoadConnection::connect()
{
    m_ws.next_layer().async_connect(
        m_worker.plan().endpoint,
        [self = shared_from_this()](beast::error_code ec) { self->onConnected(ec); });
}

void LoadConnection::onConnected(beast::error_code ec)
{
    if (ec) {
        fail("connect", ec);
        return;
    }
    m_ws.next_layer().set_option(asio::ip::tcp::no_delay(true));
    const LoadOptions &options = *m_worker.plan().options;
    m_ws.async_handshake(
        options.host + ":" + options.port, options.path,
        [self = shared_from_this()](beast::error_code e) { self->onHandshake(e); });
}

void LoadConnection::onHandshake(beast::error_code ec)
{
    if (ec) {
        fail("handshake", ec);
        return;
    }
    m_open = true;
    ++m_worker.stats().connected;
    m_worker.m_open.fetch_add(1, std::memory_order_relaxed);
    m_worker.connectFinished(true);
    read();
}

void LoadConnection::fail(const char *what, beast::error_code ec)
{
    LoadStats &stats = m_worker.stats();
    const std::string text =
        "connection " + std::to_string(m_id) + ": " + what + " failed: " + ec.message();
    if (!m_open) {
        ++stats.connectFailed;
        stats.problem(nowNs(), text);
        m_worker.connectFinished(false);
        return;
    }
    m_open = false;
    m_worker.m_open.fetch_sub(1, std::memory_order_relaxed);
    if (m_closing)
        return;
    ++stats.closed;
    stats.problem(nowNs(), text);
}

void LoadConnection::queueSend(std::uint64_t stamp)
{
    m_backlog.push_back(stamp);
    pump();
}

void LoadConnection::pump()
{
    if (m_writing || m_backlog.empty() || !m_open)
        return;
    const RunPlan &plan = m_worker.plan();
    std::uint64_t stamp = m_backlog.front();
    m_backlog.pop_front();
    if (stamp == 0)
        stamp = nowNs();
    plan.payload->build(m_id, m_nextSequence++, m_out);
    m_inFlight.push_back(stamp);
    m_worker.sent();
    if (stamp >= plan.measureStart && stamp < plan.measureEnd)
        ++m_worker.stats().sentInWindow;
    m_writing = true;
    m_ws.async_write(asio::buffer(m_out),
                     [self = shared_from_this()](beast::error_code ec, std::size_t) {
                         self->m_writing = false;
                         if (ec) {
                             self->fail("write", ec);
                             return;
                         }
                         self->pump();
                     });
}

void LoadConnection::read()
{
    m_ws.async_read(
        m_in, [self = shared_from_this()](beast::error_code ec, std::size_t) { self->onRead(ec); });
}

void LoadConnection::onRead(beast::error_code ec)
{
    if (ec) {
        fail("read", ec);
        return;
    }
    const std::uint64_t now = nowNs();
    checkEcho(now);
    m_in.consume(m_in.size());
    const RunPlan &plan = m_worker.plan();
    if (plan.options->mode == LoadOptions::Mode::Closed && now < plan.measureEnd &&
        now >= plan.sendStart)
        queueSend(0);
    read();
}

void LoadConnection::checkEcho(std::uint64_t now)
{
    LoadStats &stats = m_worker.stats();
    const RunPlan &plan = m_worker.plan();
    const std::string_view message(static_cast<const char *>(m_in.data().data()), m_in.size());
    // Built only for a problem: the message path allocates nothing.
    const auto where = [this] { return "connection " + std::to_string(m_id) + ": "; };
    if (m_ws.got_text() == plan.options->binary) {
        ++stats.wrongType;
        stats.problem(now, where() + (plan.options->binary ? "binary message echoed as text"
                                                           : "text message echoed as binary"));
    }
    std::string why;
    const auto header = plan.payload->check(message, why);
    if (!header || header->connection != m_id) {
        ++stats.corrupted;
        stats.problem(now, where() + (header ? "received the echo of connection " +
                                                   std::to_string(header->connection)
                                             : why + " in echo"));
        return;
    }
    if (header->sequence >= m_nextSequence) {
        ++stats.corrupted;
        stats.problem(now, where() + "echo of message " + std::to_string(header->sequence) +
                               " that was never sent");
        return;
    }
    if (header->sequence < m_firstPending || m_inFlight[header->sequence - m_firstPending] == 0) {
        ++stats.duplicated;
        stats.problem(now,
                      where() + "message " + std::to_string(header->sequence) + " echoed twice");
        return;
    }
    if (header->sequence != m_firstPending) {
        // An older message is still missing: it was reordered, or lost (then it is counted as
        // lost when the run ends without its echo).
        ++stats.reordered;
        stats.problem(now, where() + "message " + std::to_string(header->sequence) +
                               " echoed before message " + std::to_string(m_firstPending));
    }
    std::uint64_t &slot = m_inFlight[header->sequence - m_firstPending];
    const std::uint64_t stamp = slot;
    slot = 0;
    while (!m_inFlight.empty() && m_inFlight.front() == 0) {
        m_inFlight.pop_front();
        ++m_firstPending;
    }
    m_worker.answered();
    m_worker.echoed();
    ++stats.echoed;
    if (now >= plan.measureStart && now < plan.measureEnd)
        ++stats.echoedInWindow;
    if (stamp >= plan.measureStart && stamp < plan.measureEnd)
        stats.latency.record(now > stamp ? now - stamp : 0);
}

void LoadConnection::close()
{
    m_closing = true;
    m_backlog.clear();
    if (!m_open || m_writing) {
        beast::error_code ignored;
        m_ws.next_layer().close(ignored);
        return;
    }
    m_ws.async_close(websocket::close_code::normal,
                     [self = shared_from_this()](beast::error_code) {});
}

LoadWorker::LoadWorker(const RunPlan &plan, std::uint32_t firstId, int connections)
    : m_plan(plan)
    , m_guard(m_io.get_executor())
    , m_ticker(m_io)
{
    m_connections.reserve(static_cast<std::size_t>(connections));
    for (int i = 0; i < connections; ++i)
        m_connections.push_back(
            std::make_shared<LoadConnection>(*this, firstId + static_cast<std::uint32_t>(i)));
    m_thread = std::thread([this] { m_io.run(); });
}

LoadWorker::~LoadWorker()
{
    join();
}

void LoadWorker::join()
{
    stop();
    if (m_thread.joinable())
        m_thread.join();
}

void LoadWorker::stop()
{
    m_io.stop();
}

void LoadWorker::startConnecting()
{
    asio::post(m_io, [this] {
        const auto limit = static_cast<std::size_t>(
            std::max(1, m_plan.options->connectConcurrency / std::max(1, m_plan.options->threads)));
        for (std::size_t i = 0; i < limit; ++i)
            connectNext();
    });
}

void LoadWorker::connectNext()
{
    if (m_nextToConnect < m_connections.size())
        m_connections[m_nextToConnect++]->connect();
}

void LoadWorker::connectFinished(bool)
{
    m_connectsDone.fetch_add(1, std::memory_order_release);
    connectNext();
}

void LoadWorker::startLoad()
{
    asio::post(m_io, [this] {
        if (m_plan.options->mode == LoadOptions::Mode::Rate) {
            tick();
            return;
        }
        for (auto &connection : m_connections)
            for (int i = 0; i < m_plan.options->inFlight; ++i)
                connection->queueSend(0);
    });
}

// Fixed rate: every 200 µs each connection gets the messages whose scheduled time has come,
// stamped with that time, so a proxy that falls behind shows its queueing in the latency
// (no coordinated omission).
void LoadWorker::tick()
{
    const std::uint64_t now = std::min(nowNs(), m_plan.measureEnd - 1);
    const double perConnection = m_plan.options->rate / m_plan.options->connections;
    const double intervalNs = 1e9 / perConnection;
    for (auto &connection : m_connections) {
        // Message i is scheduled at sendStart + i * interval: all up to now are due.
        const auto due =
            static_cast<std::uint64_t>(static_cast<double>(now - m_plan.sendStart) / intervalNs) +
            1;
        while (connection->scheduled < due) {
            connection->queueSend(m_plan.sendStart +
                                  static_cast<std::uint64_t>(
                                      static_cast<double>(connection->scheduled) * intervalNs));
            ++connection->scheduled;
        }
    }
    if (now + 1 >= m_plan.measureEnd)
        return;
    m_ticker.expires_after(std::chrono::microseconds(200));
    m_ticker.async_wait([this](boost::system::error_code ec) {
        if (!ec)
            tick();
    });
}

void LoadWorker::checkAlive()
{
    asio::post(m_io, [this] {
        for (auto &connection : m_connections)
            if (connection->isOpen())
                connection->queueSend(0);
    });
}

void LoadWorker::closeAll()
{
    asio::post(m_io, [this] {
        m_ticker.cancel();
        for (auto &connection : m_connections)
            connection->close();
    });
}

} // namespace sluice_bench
