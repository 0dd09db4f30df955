# SPDX-License-Identifier: Apache-2.0
"""The inbound endpoint's limits against a python3-websockets client: ws.max.message.size,
ws.dispatch.idleTime, ws.outflow.dispatch.idleTime and ws.max.connections (whose count must go
down as clients leave)."""
import asyncio
import socket
import time
import unittest

import websockets

from peers.harness import Proxy, closed_with, health, run_async, wait_until


class LimitsTest(unittest.TestCase):
    def test_message_over_max_size_closes_the_client_with_1009(self):
        proxy = Proxy(self, params={"ws.max.message.size": "1024"})

        async def scenario():
            async with proxy.connect("/big") as ws:
                await ws.send("x" * 1024)  # exactly the limit passes
                self.assertEqual(len(await ws.recv()), 1024)
                await ws.send(b"y" * 1025)
                return await closed_with(ws)
        code, _ = run_async(scenario())
        self.assertEqual(code, 1009)
        self.assertEqual([r["size"] for r in proxy.backend.wait_events("message", 1)], [1024])

    def test_idle_client_is_closed_and_a_busy_one_is_not(self):
        proxy = Proxy(self, params={"ws.dispatch.idleTime": "1"})

        async def scenario():
            async with proxy.connect("/idle") as idle, proxy.connect("/busy") as busy:
                start = time.monotonic()
                # The busy client talks more often than once a second, for longer than one.
                for n in range(5):
                    await busy.send("still here %d" % n)
                    self.assertEqual(await busy.recv(), "still here %d" % n)
                    await asyncio.sleep(0.3)
                self.assertIsNone(busy.close_code)
                code, reason = await closed_with(idle, timeout=5)
                return code, reason, time.monotonic() - start
        code, reason, elapsed = run_async(scenario())
        self.assertEqual((code, reason), (1001, "Idle timeout"))
        self.assertGreater(elapsed, 0.9)

    def test_idle_backend_connection_is_closed_and_the_client_stays(self):
        proxy = Proxy(self, params={"ws.outflow.dispatch.idleTime": "1"})

        async def scenario():
            async with proxy.connect("/quiet") as ws:
                start = time.monotonic()
                await ws.send("once")
                self.assertEqual(await ws.recv(), "once")
                closed = await asyncio.to_thread(proxy.backend.wait_event, "close", 5)
                elapsed = time.monotonic() - start
                # The client keeps its connection; its next message opens a new backend one.
                await ws.send("again")
                self.assertEqual(await ws.recv(), "again")
                return closed, elapsed
        closed, elapsed = run_async(scenario())
        self.assertEqual((closed["code"], closed["reason"]), (1000, "Idle timeout"))
        self.assertGreater(elapsed, 0.9)
        self.assertEqual(len(proxy.backend.wait_events("open", 2)), 2)

    def test_max_connections_refuses_extra_clients_and_frees_slots_when_clients_leave(self):
        proxy = Proxy(self, params={"ws.max.connections": "2"})

        def connections():
            return health(proxy.port)["connections"]

        async def scenario():
            first = await proxy.connect("/limit")
            second = await proxy.connect("/limit")
            with self.assertRaises(websockets.InvalidStatusCode) as refused:
                extra = await proxy.connect("/limit")
                await extra.close()
            self.assertEqual(refused.exception.status_code, 503)
            # /health still answers when the clients are at the limit.
            self.assertEqual(connections(), 2)
            await first.close()
            await asyncio.to_thread(wait_until, lambda: connections() == 1, 5,
                                    "the closed client's slot to be freed")
            # Again and again: a slot freed by a leaving client is a slot again.
            for n in range(3):
                again = await proxy.connect("/limit")
                await again.send("round %d" % n)
                self.assertEqual(await again.recv(), "round %d" % n)
                await again.close()
                await asyncio.to_thread(wait_until, lambda: connections() == 1, 5,
                                        "the slot of round %d to be freed" % n)
            await second.close()
        run_async(scenario())
        proxy.sluice.wait_stderr(r"refused, already 2 connections \(ws\.max\.connections\)")
    def test_silent_socket_is_dropped_after_the_handshake_timeout(self):
        proxy = Proxy(self, params={"ws.handshake.timeout": "1"})
        start = time.monotonic()
        with socket.create_connection(("127.0.0.1", proxy.port), timeout=5) as silent:
            self.assertEqual(silent.recv(1), b"")  # closed by the server, nothing said
        self.assertGreater(time.monotonic() - start, 0.9)
        self.assertEqual(health(proxy.port)["connections"], 0)


if __name__ == "__main__":
    unittest.main()
