# SPDX-License-Identifier: Apache-2.0
"""Who gets in, and peers that misbehave without closing: the Origin allow-list
(ws.allowed.origins), connections per client address (ws.max.connections.per.address),
keep-alive pings that find dead clients and backends (ws.ping.interval / ws.ping.timeout), and
slow readers on either side (ws.max.write.buffer.size), against python3-websockets peers and a
raw socket client."""
import asyncio
import time
import unittest

import websockets

from peers.harness import Proxy, RawWebSocket, closed_with, health, run_async, wait_until


def vm_rss_kib(pid):
    with open("/proc/%d/status" % pid) as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise AssertionError("no VmRSS for %d" % pid)


class OriginAndAddressTest(unittest.TestCase):
    def test_only_allowed_origins_and_clients_without_origin_get_in(self):
        proxy = Proxy(self, params={
            "ws.allowed.origins": "https://app.example.com, https://admin.example.com"})

        async def scenario():
            async with proxy.connect("/o", origin="https://admin.example.com") as allowed:
                await allowed.send("from an allowed page")
                self.assertEqual(await allowed.recv(), "from an allowed page")
            # Not a browser: no Origin header, nothing to hijack.
            async with proxy.connect("/o") as tool:
                await tool.send("from a tool")
                self.assertEqual(await tool.recv(), "from a tool")
            with self.assertRaises(websockets.InvalidStatusCode) as refused:
                async with proxy.connect("/o", origin="https://evil.example.net"):
                    pass
            return refused.exception.status_code
        self.assertEqual(run_async(scenario()), 403)
        proxy.sluice.wait_stderr(r"origin https://evil\.example\.net refused with 403")
        self.assertEqual(len(proxy.backend.events("open")), 2)
        self.assertEqual(health(proxy.port)["connections"], 0)

    def test_one_address_holds_at_most_its_share_of_connections(self):
        proxy = Proxy(self, params={"ws.max.connections.per.address": "2"})

        def connections():
            return health(proxy.port)["connections"]

        async def scenario():
            first = await proxy.connect("/a")
            second = await proxy.connect("/a")
            with self.assertRaises(websockets.InvalidStatusCode) as refused:
                extra = await proxy.connect("/a")
                await extra.close()
            self.assertEqual(refused.exception.status_code, 429)
            await first.close()
            await asyncio.to_thread(wait_until, lambda: connections() == 1, 5,
                                    "the first client's slot to be freed")
            again = await proxy.connect("/a")
            await again.send("a freed slot")
            self.assertEqual(await again.recv(), "a freed slot")
            await again.close()
            await second.close()
        run_async(scenario())
        proxy.sluice.wait_stderr(
            r"refused, already 2 connections from this address "
            r"\(ws\.max\.connections\.per\.address\)")


class DeadPeersTest(unittest.TestCase):
    def test_a_client_that_stops_answering_pings_is_dropped(self):
        proxy = Proxy(self, params={"ws.ping.interval": "1", "ws.ping.timeout": "1"})

        async def live_client():
            # python3-websockets answers pings: it stays connected through several rounds.
            async with proxy.connect("/live") as live:
                await asyncio.sleep(3.5)
                await live.send("still here")
                return await live.recv()

        # A raw client that completes the handshake and then never reads nor answers.
        dead = RawWebSocket(proxy.port, "/dead", timeout=10)
        self.assertEqual(dead.status, 101)
        start = time.monotonic()
        self.assertEqual(run_async(live_client()), "still here")
        wait_until(lambda: health(proxy.port)["connections"] == 0, 10,
                   "the silent client to be dropped")
        # Dropped within interval + timeout (and some scheduling), not at once.
        self.assertLess(time.monotonic() - start, 8)
        proxy.sluice.wait_stderr(r"no answer to a keep-alive ping within 1 s \(ws\.ping\.timeout\)")
        # The server is gone from the socket: reading ends (pings were sent before that).
        dead.sock.settimeout(5)
        with self.assertRaises((ConnectionError, OSError)):
            while True:
                dead.read_frame()
        dead.close()

    def test_a_backend_that_hangs_is_found_and_the_client_told_1014(self):
        proxy = Proxy(self, backend_args=("--mode", "stall"),
                      params={"ws.ping.interval": "1", "ws.ping.timeout": "1"})

        async def scenario():
            async with proxy.connect("/hang") as ws:
                await ws.send("into the void")
                return await closed_with(ws, timeout=10)
        code, reason = run_async(scenario())
        self.assertEqual((code, reason), (1014, "Backend unavailable"))
        proxy.sluice.wait_stderr(r"backend ws://[^ ]+ for [^:]+: no answer to a keep-alive ping")
        proxy.sluice.wait_stderr(r"FAULT = [^\n]*dropped the connection")


class SlowReadersTest(unittest.TestCase):
    LIMIT = 256 * 1024
    CHUNK = 64 * 1024
    CHUNKS = 400

    def test_a_client_that_does_not_read_is_closed_with_1008_and_memory_stays_bounded(self):
        # One request, 400 answers of 64 KiB (25 MiB: more than the loopback's socket buffers
        # hold) that the client does not read.
        proxy = Proxy(self, backend_args=("--mode", "burst", "--arg", str(self.CHUNKS)),
                      params={"ws.max.write.buffer.size": str(self.LIMIT)})
        pid = proxy.sluice.pid
        before = vm_rss_kib(pid)

        async def scenario():
            # max_queue=1: the client library stops reading its socket once one message waits.
            async with proxy.connect("/slow", max_queue=1) as ws:
                await ws.send(b"s" * self.CHUNK)
                await asyncio.to_thread(
                    proxy.sluice.wait_stderr, r"the client is not reading: \d+ bytes wait")
                # A slow reader, not a dead one: it reads again within the grace period.
                return await closed_with(ws, timeout=20)
        code, reason = run_async(scenario(), timeout=90)
        self.assertEqual((code, reason), (1008, "Client is not reading fast enough"))
        proxy.sluice.wait_stderr(r"the client is not reading: \d+ bytes wait to be written "
                                 r"\(ws\.max\.write\.buffer\.size 262144\); closed with 1008")
        grown_mib = (vm_rss_kib(pid) - before) / 1024
        self.assertLess(grown_mib, 16, "Sluice grew by %.0f MiB" % grown_mib)
        # The backend sent them all: Sluice took them and let the excess go with the client.
        self.assertLess(proxy.backend.wait_event("close")["code"], 1009)

    def flood(self, proxy, path):
        """Sends up to 100 MiB as fast as the proxy takes it; (frames sent, close code, reason)."""
        async def scenario():
            async with proxy.connect(path) as ws:
                sent = 0
                try:
                    for n in range(4 * self.CHUNKS):  # 100 MiB if nothing stopped it
                        await ws.send(bytes([n % 256]) * self.CHUNK)
                        sent += 1
                except websockets.ConnectionClosed:
                    pass
                code, reason = await closed_with(ws, timeout=20)
                return sent, code, reason
        return run_async(scenario(), timeout=90)

    def assertClosedForTheBackend(self, sent, code, reason):
        # The close frame says 1008, but a client still writing when it comes may see its
        # connection reset instead: Sluice drops a peer that sends more than 1 MiB after its
        # close frame, and a socket closed with unread data is reset by the kernel
        # (docs/websocket.md). The log line is what tells the operator.
        self.assertIn((code, reason), [(1008, "Backend is not reading fast enough"), (1006, "")])
        self.assertLess(sent, 4 * self.CHUNKS)

    def test_a_backend_that_does_not_read_gets_its_client_closed_with_1008(self):
        proxy = Proxy(self, backend_args=("--mode", "stall"),
                      params={"ws.max.write.buffer.size": str(self.LIMIT)})
        pid = proxy.sluice.pid
        before = vm_rss_kib(pid)
        self.assertClosedForTheBackend(*self.flood(proxy, "/flood"))
        proxy.sluice.wait_stderr(r"the backend is not reading: \d+ bytes wait to be written")
        grown_mib = (vm_rss_kib(pid) - before) / 1024
        self.assertLess(grown_mib, 64, "Sluice grew by %.0f MiB" % grown_mib)

    def test_frames_waiting_for_the_backend_handshake_count_against_the_limit(self):
        # The backend answers the opening handshake only after 30 s; the client floods at once.
        # Sluice keeps the frames until the handshake is done, within the same limit (it once
        # kept all of them: 68 MiB in a CI run where the handshake took 0.7 s).
        proxy = Proxy(self, backend_args=("--handshake-delay", "30"),
                      params={"ws.max.write.buffer.size": str(self.LIMIT)})
        pid = proxy.sluice.pid
        before = vm_rss_kib(pid)
        self.assertClosedForTheBackend(*self.flood(proxy, "/early"))
        proxy.sluice.wait_stderr(r"the backend is not reading: \d+ bytes wait to be written, "
                                 r"its opening handshake is not done \(ws\.max\.write\.buffer"
                                 r"\.size 262144\); client closed with 1008")
        grown_mib = (vm_rss_kib(pid) - before) / 1024
        self.assertLess(grown_mib, 16, "Sluice grew by %.0f MiB" % grown_mib)

if __name__ == "__main__":
    unittest.main()
