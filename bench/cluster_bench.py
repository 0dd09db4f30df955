#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Cross-node broadcast against local broadcast (docs/cluster.md): redis-server and two `sluice
run` nodes with [cluster], python3-websockets clients.

  local : the sender and the receivers on node A (delivered by A's own fan-out)
  cross : the sender on node A, the receivers on node B (A -> Redis PUBLISH -> B)

For each: throughput (a burst of --messages broadcasts, every receiver must get every one:
deliveries per second from the first send to the last delivery) and latency (--paced messages
one every 2 ms, send to delivery, p50 / p90 / p99 / max). The same clients and the same process
measure both, so the difference is what the cluster adds.

    /usr/bin/python3 bench/cluster_bench.py --build-dir build/h [--receivers 4] [--messages 5000]
"""
import argparse
import asyncio
import os
import statistics
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tests", "e2e"))

import websockets  # noqa: E402

from bench_support import process_cpu_seconds  # noqa: E402


class _Cleanups:
    """Stands in for a unittest.TestCase for Workdir: runs the cleanups at the end."""

    def __init__(self):
        self._cleanups = []

    def addCleanup(self, fn, *args):
        self._cleanups.append((fn, args))

    def id(self):
        return "cluster_bench"

    def run_cleanups(self):
        for fn, args in reversed(self._cleanups):
            fn(*args)


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100.0 * (len(ordered) - 1))))]


def cpu(pids):
    return {name: process_cpu_seconds(pid) for name, pid in pids.items()}


async def measure(sender_url, receiver_urls, messages, paced, size, pids):
    sender = await websockets.connect(sender_url, max_size=None)
    receivers = [await websockets.connect(u, max_size=None) for u in receiver_urls]
    await asyncio.sleep(0.5)  # presence and subscriptions settled
    filler = "x" * max(0, size - 24)

    async def collect(ws, count, arrivals):
        for _ in range(count):
            text = await ws.recv()
            arrivals.append((int(text.split(" ", 2)[1]), time.perf_counter_ns()))

    # The sender gets its own broadcasts too (level 1): drained apart, in both modes.
    async def drain(ws, count):
        for _ in range(count):
            await ws.recv()

    # Throughput: a burst.
    arrivals = [[] for _ in receivers]
    tasks = [asyncio.create_task(collect(ws, messages, a)) for ws, a in zip(receivers, arrivals)]
    own = asyncio.create_task(drain(sender, messages))  # level 1: the sender gets its own
    cpu_before = cpu(pids)
    start = time.perf_counter_ns()
    for i in range(messages):
        await sender.send("m %d %s" % (i, filler))
    await asyncio.wait_for(asyncio.gather(*tasks), 120)
    end = max(a[-1][1] for a in arrivals)
    await asyncio.wait_for(own, 60)
    cpu_after = cpu(pids)
    # CPU microseconds per broadcast, per process, during the burst.
    cpu_cost = {name: (cpu_after[name] - cpu_before[name]) * 1e6 / messages for name in pids}
    throughput = messages * len(receivers) / ((end - start) / 1e9)
    for a in arrivals:
        assert [seq for seq, _ in a] == list(range(messages)), "lost or reordered"

    # Latency: paced.
    sent = {}
    arrivals = [[] for _ in receivers]
    tasks = [asyncio.create_task(collect(ws, paced, a)) for ws, a in zip(receivers, arrivals)]
    own = asyncio.create_task(drain(sender, paced))
    for i in range(paced):
        sent[i] = time.perf_counter_ns()
        await sender.send("p %d %s" % (i, filler))
        await asyncio.sleep(0.002)
    await asyncio.wait_for(asyncio.gather(*tasks), 60)
    await asyncio.wait_for(own, 60)
    latencies = [(t - sent[seq]) / 1e6 for a in arrivals for seq, t in a]
    for ws in receivers + [sender]:
        await ws.close()
    return throughput, latencies, cpu_cost


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--build-dir", default=os.path.join(HERE, "..", "build", "h"))
    parser.add_argument("--receivers", type=int, default=4)
    parser.add_argument("--messages", type=int, default=5000)
    parser.add_argument("--paced", type=int, default=1000)
    parser.add_argument("--size", type=int, default=64, help="payload bytes")
    args = parser.parse_args()
    os.environ.setdefault("SLUICE_BIN", os.path.join(args.build_dir, "engine", "sluice"))
    os.environ.setdefault("SLUICE_SOURCE_DIR", os.path.join(HERE, ".."))
    from peers.cluster_peers import Node, Redis
    from peers.harness import Workdir

    owner = _Cleanups()
    try:
        work = Workdir(owner)
        redis = Redis(work)
        a = Node(work, "a", redis.port, heartbeat_ms=1000)
        b = Node(work, "b", redis.port, heartbeat_ms=1000)
        rows = []
        costs = []
        pids = {"node a": a.child.pid, "node b": b.child.pid, "redis": redis.child.pid}
        for name, receiver_node in (("local", a), ("cross", b)):
            urls = [receiver_node.url("/ws/bench")] * args.receivers
            throughput, latencies, cost = asyncio.run(
                measure(a.url("/ws/bench"), urls, args.messages, args.paced, args.size, pids))
            rows.append((name, throughput, percentile(latencies, 50), percentile(latencies, 90),
                         percentile(latencies, 99), max(latencies)))
            costs.append((name, cost))
        print("cluster broadcast, %d receivers, %d-byte text, %d burst / %d paced messages"
              % (args.receivers, args.size, args.messages, args.paced))
        print("%-6s %16s %9s %9s %9s %9s" % ("mode", "deliveries/s", "p50 ms", "p90 ms",
                                            "p99 ms", "max ms"))
        for row in rows:
            print("%-6s %16.0f %9.2f %9.2f %9.2f %9.2f" % row)
        print("CPU per broadcast during the burst (us): " + "; ".join(
            "%s: %s" % (name, ", ".join("%s %.1f" % item for item in cost.items()))
            for name, cost in costs))
        print("cross/local throughput: %.2f; p50 latency added by Redis: %.2f ms"
              % (rows[1][1] / rows[0][1], rows[1][2] - rows[0][2]))
        print("node a: %s" % a.cluster()["relayed"], "relayed; node b:",
              b.cluster()["received"], "received")
    finally:
        owner.run_cleanups()


if __name__ == "__main__":
    main()
