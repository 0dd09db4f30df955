// SPDX-License-Identifier: Apache-2.0
// What the kernel charges the sender for one small WebSocket frame (2-byte header + 64-byte
// payload) on TCP loopback, by the system call it is written with: send(2) of the frame in one
// buffer, sendmsg(2) of one part, sendmsg(2) of two parts (header and payload where they are).
// WsStream picks by this (docs/performance.md, "send(2) for small frames"). A second thread
// reads the other end so that the socket never fills; the figure is the sending thread's CPU
// time per call. The three kinds take turns in every round (rotated, so none always runs
// first); the medians over the rounds are printed.
//   send_call_bench [ROUNDS] [CALLS_PER_ROUND]    e.g. taskset -c 1 send_call_bench 30 200000

#include <algorithm>
#include <array>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <thread>
#include <vector>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

namespace {

double threadCpuNs()
{
    timespec now{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
    return double(now.tv_sec) * 1e9 + double(now.tv_nsec);
}

double median(std::vector<double> values)
{
    std::sort(values.begin(), values.end());
    return values[values.size() / 2];
}

// A connected loopback pair: {sender, receiver}; exits on failure (a benchmark, not a product).
std::array<int, 2> loopbackPair()
{
    const int listener = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    if (listener < 0 || bind(listener, reinterpret_cast<sockaddr *>(&address), length) != 0 ||
        listen(listener, 1) != 0 ||
        getsockname(listener, reinterpret_cast<sockaddr *>(&address), &length) != 0) {
        std::perror("listen");
        std::exit(1);
    }
    const int sender = socket(AF_INET, SOCK_STREAM, 0);
    if (sender < 0 || connect(sender, reinterpret_cast<sockaddr *>(&address), length) != 0) {
        std::perror("connect");
        std::exit(1);
    }
    const int receiver = accept(listener, nullptr, nullptr);
    close(listener);
    if (receiver < 0) {
        std::perror("accept");
        std::exit(1);
    }
    const int on = 1;
    setsockopt(sender, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on); // as Sluice's sockets
    return {sender, receiver};
}

} // namespace

int main(int argc, char **argv)
{
    const int rounds = argc > 1 ? std::atoi(argv[1]) : 30;
    const int calls = argc > 2 ? std::atoi(argv[2]) : 200000;
    if (rounds < 1 || calls < 1) {
        std::fprintf(stderr, "usage: send_call_bench [ROUNDS] [CALLS_PER_ROUND]\n");
        return 2;
    }
    const auto [sender, receiver] = loopbackPair();
    std::thread reader([fd = receiver] {
        std::vector<char> buffer(1 << 16);
        while (recv(fd, buffer.data(), buffer.size(), 0) > 0) {
        }
    });

    char header[2] = {char(0x81), 64};
    char payload[64];
    std::memset(payload, 'x', sizeof payload);
    char frame[sizeof header + sizeof payload];
    std::memcpy(frame, header, sizeof header);
    std::memcpy(frame + sizeof header, payload, sizeof payload);
    iovec whole[1] = {{frame, sizeof frame}};
    iovec parts[2] = {{header, sizeof header}, {payload, sizeof payload}};
    msghdr onePart{};
    onePart.msg_iov = whole;
    onePart.msg_iovlen = 1;
    msghdr twoParts{};
    twoParts.msg_iov = parts;
    twoParts.msg_iovlen = 2;
    constexpr int kFlags = MSG_NOSIGNAL | MSG_DONTWAIT;

    const char *names[3] = {"send(2), one buffer", "sendmsg(2), one part", "sendmsg(2), two parts"};
    std::array<std::vector<double>, 3> nsPerCall;
    long refused = 0; // EAGAIN: the reader fell behind (counted, as the calls still cost)
    for (int round = 0; round < rounds; ++round) {
        for (int turn = 0; turn < 3; ++turn) {
            const int kind = (round + turn) % 3;
            const double start = threadCpuNs();
            for (int i = 0; i < calls; ++i) {
                const ssize_t written = kind == 0   ? send(sender, frame, sizeof frame, kFlags)
                                        : kind == 1 ? sendmsg(sender, &onePart, kFlags)
                                                    : sendmsg(sender, &twoParts, kFlags);
                refused += written < 0;
            }
            nsPerCall[size_t(kind)].push_back((threadCpuNs() - start) / calls);
        }
    }
    shutdown(sender, SHUT_WR);
    reader.join();
    close(sender);
    close(receiver);

    std::printf("66-byte frames on TCP loopback, %d rounds of %d calls each (%ld refused)\n",
                rounds, calls, refused);
    std::printf("| system call | sender CPU ns per call (median) | over send(2) |\n"
                "| --- | ---: | ---: |\n");
    const double base = median(nsPerCall[0]);
    for (size_t kind = 0; kind < 3; ++kind) {
        const double ns = median(nsPerCall[kind]);
        std::printf("| %s | %.0f | %+.0f |\n", names[kind], ns, ns - base);
    }
    return 0;
}
