// SPDX-License-Identifier: Apache-2.0
// sluice_echo_backend: the one WebSocket backend of bench/compare.py (issue 8), the same for
// every proxy under test. Boost.Beast on Asio (epoll), so thousands of idle connections cost a
// socket and a small buffer each and a busy one costs little CPU.
//
//   sluice_echo_backend [--port P] [--threads N] [--count-only]
//
// Listens on 127.0.0.1 (port P, or one the kernel picks), prints {"port":P} on stdout, then
// echoes every message with its frame type kept (text stays text, binary stays binary), or with
// --count-only only counts them (the HTTP-to-WebSocket workload: nobody reads the replies).
// On SIGUSR1 it prints {"received":N,"connections":C,"accepted":A} and goes on; on SIGTERM or
// SIGINT it prints the same line and exits.

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/websocket.hpp>

#include <sys/resource.h>

#include <atomic>
#include <charconv>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <memory>
#include <string_view>
#include <thread>
#include <vector>

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
using tcp = asio::ip::tcp;

namespace {

struct Counters {
    std::atomic<std::uint64_t> received{0};
    std::atomic<std::int64_t> connections{0};
    std::atomic<std::uint64_t> accepted{0};
};

class EchoSession : public std::enable_shared_from_this<EchoSession> {
public:
    EchoSession(tcp::socket socket, Counters &counters, bool countOnly)
        : m_ws(std::move(socket))
        , m_counters(counters)
        , m_countOnly(countOnly)
    {
        m_ws.auto_fragment(false);
        m_ws.read_message_max(64 * 1024 * 1024);
    }

    void start()
    {
        m_ws.next_layer().set_option(tcp::no_delay(true));
        m_ws.async_accept([self = shared_from_this()](beast::error_code ec) {
            if (ec)
                return;
            self->m_counted = true;
            self->m_counters.connections.fetch_add(1, std::memory_order_relaxed);
            self->m_counters.accepted.fetch_add(1, std::memory_order_relaxed);
            self->read();
        });
    }

    ~EchoSession()
    {
        if (m_counted)
            m_counters.connections.fetch_sub(1, std::memory_order_relaxed);
    }

private:
    void read()
    {
        m_ws.async_read(m_buffer, [self = shared_from_this()](beast::error_code ec, std::size_t) {
            if (ec)
                return; // closed by the peer or failed: the session ends with its last handler
            self->m_counters.received.fetch_add(1, std::memory_order_relaxed);
            if (self->m_countOnly) {
                self->m_buffer.consume(self->m_buffer.size());
                self->read();
                return;
            }
            self->m_ws.text(self->m_ws.got_text());
            self->m_ws.async_write(self->m_buffer.data(), [self](beast::error_code e, std::size_t) {
                if (e)
                    return;
                self->m_buffer.consume(self->m_buffer.size());
                self->read();
            });
        });
    }

    websocket::stream<tcp::socket> m_ws;
    beast::flat_buffer m_buffer;
    Counters &m_counters;
    bool m_countOnly;
    bool m_counted = false;
};

class Listener {
public:
    Listener(asio::io_context &io, unsigned short port, Counters &counters, bool countOnly)
        : m_acceptor(io)
        , m_counters(counters)
        , m_countOnly(countOnly)
    {
        const tcp::endpoint endpoint(asio::ip::make_address("127.0.0.1"), port);
        m_acceptor.open(endpoint.protocol());
        m_acceptor.set_option(asio::socket_base::reuse_address(true));
        m_acceptor.bind(endpoint);
        m_acceptor.listen(asio::socket_base::max_listen_connections);
    }

    unsigned short port() const { return m_acceptor.local_endpoint().port(); }

    // Each accepted socket goes to the next thread's event loop, round robin.
    void accept(std::vector<std::unique_ptr<asio::io_context>> &loops)
    {
        asio::io_context &target = *loops[m_next++ % loops.size()];
        m_acceptor.async_accept(target, [this, &loops](beast::error_code ec, tcp::socket socket) {
            if (!ec)
                std::make_shared<EchoSession>(std::move(socket), m_counters, m_countOnly)->start();
            else if (ec == asio::error::operation_aborted)
                return;
            accept(loops);
        });
    }

private:
    tcp::acceptor m_acceptor;
    Counters &m_counters;
    bool m_countOnly;
    std::size_t m_next = 0;
};

void printCounts(const Counters &counters)
{
    std::printf("{\"received\":%llu,\"connections\":%lld,\"accepted\":%llu}\n",
                static_cast<unsigned long long>(counters.received.load()),
                static_cast<long long>(counters.connections.load()),
                static_cast<unsigned long long>(counters.accepted.load()));
    std::fflush(stdout);
}

} // namespace

int main(int argc, char **argv)
{
    unsigned short port = 0;
    int threads = 1;
    bool countOnly = false;
    for (int i = 1; i < argc; ++i) {
        const std::string_view name = argv[i];
        if (name == "--count-only") {
            countOnly = true;
            continue;
        }
        const std::string_view value = i + 1 < argc ? argv[i + 1] : "";
        bool ok = false;
        if (name == "--port")
            ok = std::from_chars(value.data(), value.data() + value.size(), port).ec == std::errc();
        else if (name == "--threads")
            ok = std::from_chars(value.data(), value.data() + value.size(), threads).ec ==
                     std::errc() &&
                 threads > 0;
        if (!ok) {
            std::fprintf(stderr,
                         "usage: sluice_echo_backend [--port P] [--threads N] [--count-only]\n");
            return 2;
        }
        ++i;
    }
    rlimit limit{};
    if (getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max) {
        limit.rlim_cur = limit.rlim_max;
        setrlimit(RLIMIT_NOFILE, &limit);
    }

    Counters counters;
    std::vector<std::unique_ptr<asio::io_context>> loops;
    for (int t = 0; t < threads; ++t)
        loops.push_back(std::make_unique<asio::io_context>(1));
    asio::io_context &main = *loops.front();
    try {
        Listener listener(main, port, counters, countOnly);
        std::printf("{\"port\":%u}\n", listener.port());
        std::fflush(stdout);
        listener.accept(loops);

        asio::signal_set report(main, SIGUSR1);
        std::function<void()> waitReport = [&] {
            report.async_wait([&](beast::error_code ec, int) {
                if (ec)
                    return;
                printCounts(counters);
                waitReport();
            });
        };
        waitReport();
        asio::signal_set stop(main, SIGTERM, SIGINT);
        stop.async_wait([&](beast::error_code, int) {
            printCounts(counters);
            for (auto &loop : loops)
                loop->stop();
        });

        std::vector<std::thread> others;
        std::vector<asio::executor_work_guard<asio::io_context::executor_type>> guards;
        for (int t = 1; t < threads; ++t) {
            guards.push_back(asio::make_work_guard(*loops[static_cast<std::size_t>(t)]));
            others.emplace_back([&loops, t] { loops[static_cast<std::size_t>(t)]->run(); });
        }
        main.run();
        for (auto &thread : others)
            thread.join();
    } catch (const std::exception &e) {
        std::fprintf(stderr, "sluice_echo_backend: %s\n", e.what());
        return 1;
    }
    // Sessions still open are dropped with their event loops; the count was printed.
    std::quick_exit(0);
}
