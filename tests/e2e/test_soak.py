# SPDX-License-Identifier: Apache-2.0
"""Soak: connection churn and traffic through the seed's WebSocket proxy and its HTTP-to-WebSocket
proxy service for a while, with sluice's resident memory, open file descriptors and thread count
sampled every 10 s: all three must stay flat, and nothing may be lost.

The suite runs 2 minutes (SLUICE_SOAK_SECONDS, default 120); scripts/soak runs 30 minutes and
plots the samples. The load: 20 clients always connected, each sending and checking its echoes;
new clients that connect, exchange 3 messages and leave, one after another; and an HTTP client
posting with keep-alive (a new connection every 50 posts), every post answered 202 and
delivered to the python3-websockets backend.

The samples go to SLUICE_SOAK_CSV when set (scripts/soak plots them).
"""
import asyncio
import http.client
import os
import threading
import time
import unittest

import websockets

from peers.harness import NS, Workdir, free_port, proxy_project, run_async, ws_connect

SAMPLE_SECONDS = 10
WARM_UP_SECONDS = 20  # allocator pools and Qt's caches fill during the first seconds
STEADY_CLIENTS = 20

HTTP_PROXY = """<?xml version="1.0" encoding="UTF-8"?>
<proxy {ns} name="soakProxy" transports="http" startOnLoad="true">
    <target inSequence="dispatchSeq" faultSequence="outFaultSeq"/>
</proxy>
"""
HTTP_REPLIES = """<?xml version="1.0" encoding="UTF-8"?>
<sequence name="httpReplies" {ns}>
    <drop/>
</sequence>
"""


def proc_status(pid):
    fields = {}
    with open("/proc/%d/status" % pid) as status:
        for line in status:
            name, _, value = line.partition(":")
            fields[name] = value.split()
    return {"rss_kib": int(fields["VmRSS"][0]), "threads": int(fields["Threads"][0]),
            "fds": len(os.listdir("/proc/%d/fd" % pid))}


def median(values):
    ordered = sorted(values)
    return ordered[len(ordered) // 2]


class SoakTest(unittest.TestCase):
    def setUp(self):
        self.seconds = int(os.environ.get("SLUICE_SOAK_SECONDS", "120"))
        self.work = Workdir(self)
        self.backend = self.work.backend("--count-only", lifetime=self.seconds + 120)
        self.ws_port = free_port()
        self.http_port = free_port()
        project = proxy_project(self.work.path, self.ws_port, self.backend.url,
                                sequences={"httpReplies": HTTP_REPLIES.format(ns=NS)})
        folder = os.path.join(project, "src", "main", "synapse-config", "proxy-services")
        os.makedirs(folder, exist_ok=True)
        with open(os.path.join(folder, "soakProxy.xml"), "w") as f:
            f.write(HTTP_PROXY.format(ns=NS))
        with open(os.path.join(project, "deployment.toml"), "w") as f:
            f.write("[server]\nhttp_listener_port = %d\n\n[transport.ws]\nsender.enable = true\n"
                    "sender.outflow_dispatch_sequence = \"httpReplies\"\n" % self.http_port)
        self.sluice = self.work.sluice(project, lifetime=self.seconds + 120)
        self.stop = threading.Event()
        self.errors = []
        self.counts = {"ws": 0, "churned": 0, "http": 0}

    async def steady_client(self, n):
        async with ws_connect(self.ws_port, "/steady/%d" % n) as ws:
            sequence = 0
            while not self.stop.is_set():
                text = "steady %d %d" % (n, sequence)
                await ws.send(text)
                echo = await asyncio.wait_for(ws.recv(), 10)
                if echo != text:
                    self.errors.append("client %d got %r for %r" % (n, echo, text))
                    return
                sequence += 1
                self.counts["ws"] += 1
                await asyncio.sleep(0.01)

    async def churn(self):
        n = 0
        while not self.stop.is_set():
            async with ws_connect(self.ws_port, "/churn") as ws:
                for i in range(3):
                    text = "churn %d %d" % (n, i)
                    await ws.send(text)
                    if await asyncio.wait_for(ws.recv(), 10) != text:
                        self.errors.append("churn %d: wrong echo" % n)
                        return
            self.counts["churned"] += 1
            n += 1
            await asyncio.sleep(0.02)

    def http_poster(self):
        posted = 0
        while not self.stop.is_set():
            connection = http.client.HTTPConnection("127.0.0.1", self.http_port, timeout=10)
            for _ in range(50):
                if self.stop.is_set():
                    break
                body = '{"post": %d}' % posted
                connection.request("POST", "/services/soakProxy", body,
                                   {"Content-Type": "application/json"})
                response = connection.getresponse()
                response.read()
                if response.status != 202:
                    self.errors.append("post %d answered %d" % (posted, response.status))
                    return
                posted += 1
                self.counts["http"] = posted
                time.sleep(0.005)
            connection.close()

    def test_memory_descriptors_and_threads_stay_flat(self):
        pid = self.sluice.pid
        idle = proc_status(pid)
        samples = []
        csv_path = os.environ.get("SLUICE_SOAK_CSV")

        def sampler():
            started = time.monotonic()
            while not self.stop.wait(SAMPLE_SECONDS):
                sample = dict(proc_status(pid), seconds=round(time.monotonic() - started))
                samples.append(sample)
                if csv_path:
                    with open(csv_path, "a") as f:
                        f.write("%(seconds)d %(rss_kib)d %(fds)d %(threads)d\n" % sample)

        async def load():
            tasks = [asyncio.create_task(self.steady_client(n)) for n in range(STEADY_CLIENTS)]
            tasks.append(asyncio.create_task(self.churn()))
            await asyncio.to_thread(self.stop.wait, self.seconds)
            self.stop.set()
            await asyncio.gather(*tasks)

        threads = [threading.Thread(target=sampler), threading.Thread(target=self.http_poster)]
        for thread in threads:
            thread.start()
        try:
            run_async(load(), timeout=self.seconds + 60)
        finally:
            self.stop.set()
            for thread in threads:
                thread.join(30)
        self.assertEqual(self.errors, [])
        # Every message and every post reached the backend (it counts what it receives).
        expected = self.counts["ws"] + 3 * self.counts["churned"] + self.counts["http"]
        self.backend.records.wait_for(
            lambda r: r.get("event") == "count" and r["messages"] >= expected, 30,
            "the backend to count %d messages" % expected)
        time.sleep(3)  # the last clients' connections close
        after = proc_status(pid)
        steady = [s for s in samples if s["seconds"] >= WARM_UP_SECONDS]
        self.assertGreaterEqual(len(steady), 4, samples)
        third = max(1, len(steady) // 3)
        first, last = steady[:third], steady[-third:]
        report = "samples %r; idle %r; after %r; counts %r" % (samples, idle, after, self.counts)
        # Memory: the last third within 10 % (+ 4 MiB) of the first third, after the warm-up.
        self.assertLessEqual(median([s["rss_kib"] for s in last]),
                             median([s["rss_kib"] for s in first]) * 1.10 + 4096, report)
        # Descriptors and threads: what the load held, then back where they were.
        self.assertLessEqual(max(s["fds"] for s in last), max(s["fds"] for s in first) + 4,
                             report)
        self.assertLessEqual(after["fds"], idle["fds"] + 2, report)
        self.assertEqual(len({s["threads"] for s in steady} | {after["threads"]}), 1, report)
        print("\nsoak: %d s, %d steady echoes, %d churned clients, %d posts; %s"
              % (self.seconds, self.counts["ws"], self.counts["churned"], self.counts["http"],
                 report))


if __name__ == "__main__":
    unittest.main()
