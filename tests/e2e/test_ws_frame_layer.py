# SPDX-License-Identifier: Apache-2.0
"""Sluice's own WebSocket frame layer (transports/ws_stream.*, ws_frame_*) on both sides of the
proxy, against WebSocket implementations this project did not write: python3-websockets and
Node's `ws` as clients, python3-websockets as the backend (which refuses unmasked client frames,
so Sluice's masking towards it is checked by every message). Autobahn-style edge cases these
clients can produce: fragmented messages, a ping between fragments, the 7-bit / 16-bit / 64-bit
length encodings at their edges, a close code with a reason, a message over the size
limit. The Python cases run twice: on the workers' epoll dispatcher, which tells the stream
directly when its socket is readable, and on Qt's own dispatcher (SLUICE_EVENT_DISPATCHER=qt),
where the stream follows the socket's readyRead."""
import asyncio
import base64
import hashlib
import os
import unittest

import websockets

from peers.harness import Proxy, closed_with, node_available, run_async

LIMIT = 256 * 1024


def proxy_for(test, **kwargs):
    return Proxy(test, params={"ws.max.message.size": str(LIMIT)},
                 env=getattr(test, "ENV", None), **kwargs)


class PythonPeersTest(unittest.TestCase):
    def test_every_length_encoding_arrives_byte_identical_both_ways(self):
        proxy = proxy_for(self)
        sizes = [0, 125, 126, 127, 65535, 65536, LIMIT]

        async def scenario():
            async with proxy.connect("/lengths") as ws:
                for size in sizes:
                    data = bytes((i * 31 + size) % 256 for i in range(size))
                    await ws.send(data)
                    self.assertEqual(await ws.recv(), data, "binary of %d bytes" % size)
                    text = ("\u00e9" * (size // 2))[: size // 2]
                    await ws.send(text)
                    self.assertEqual(await ws.recv(), text, "text of %d characters" % len(text))
        run_async(scenario())
        records = proxy.backend.wait_events("message", 2 * len(sizes))
        self.assertEqual([r["size"] for r in records[0::2]], sizes)

    def test_fragmented_message_with_a_ping_between_fragments(self):
        proxy = proxy_for(self)

        async def scenario():
            async with proxy.connect("/fragments") as ws:
                pong = None

                async def fragments():
                    nonlocal pong
                    yield "frag"
                    # A control frame between two fragments of one message (RFC 6455 5.4).
                    pong = await ws.ping(b"between")
                    yield "mented \u00e9"
                    yield " message"
                await ws.send(fragments())
                await asyncio.wait_for(pong, 5)
                self.assertEqual(await ws.recv(), "fragmented \u00e9 message")
                await ws.send([b"\x00\x01", b"", b"\x02"])
                self.assertEqual(await ws.recv(), b"\x00\x01\x02")
        run_async(scenario())
        # The backend got each as one message.
        records = proxy.backend.wait_events("message", 2)
        self.assertEqual(records[0]["data"], "fragmented \u00e9 message")
        self.assertEqual((records[1]["kind"], records[1]["size"]), ("binary", 3))

    def test_client_close_code_and_reason_reach_the_backend(self):
        proxy = proxy_for(self)

        async def client_closes():
            async with proxy.connect("/bye") as ws:
                await ws.send("hello")
                await ws.recv()
                await ws.close(4001, "client leaves \u00e9")
        run_async(client_closes())
        closed = proxy.backend.wait_event("close")
        self.assertEqual((closed["code"], closed["reason"]), (4001, "client leaves \u00e9"))
        # The backend's close code and reason reaching the client: test_ws_faults.py.

    def test_message_over_the_size_limit_is_closed_with_1009(self):
        proxy = proxy_for(self)

        async def scenario():
            async with proxy.connect("/big") as ws:
                await ws.send(b"x" * (LIMIT + 1))
                return await closed_with(ws)
        code, reason = run_async(scenario())
        self.assertEqual(code, 1009)
        self.assertIn("larger than %d bytes" % LIMIT, reason)
        # Nothing of it reached the backend.
        self.assertEqual(proxy.backend.events("message"), [])


class QtDispatcherPythonPeersTest(PythonPeersTest):
    """The same cases with Sluice's worker threads on Qt's own event dispatcher."""
    ENV = dict(os.environ, SLUICE_EVENT_DISPATCHER="qt")


class NodePeerTest(unittest.TestCase):
    def setUp(self):
        reason = node_available()
        if reason:
            self.skipTest(reason)

    def test_fragments_ping_close_and_oversize_from_node(self):
        proxy = proxy_for(self)
        node = proxy.work.node(proxy.url + "/node")
        node.command(send="text", data="node ", fin=False)
        node.command(ping="mid-message")
        node.command(send="text", data="frag", fin=False)
        node.command(send="text", data="ment \u20ac", fin=True)
        data = bytes(range(256)) * 300  # 76,800 bytes: the 64-bit length
        node.send_binary(data)
        echoes = node.wait_messages(2)
        self.assertEqual((echoes[0]["kind"], echoes[0]["data"]), ("text", "node fragment \u20ac"))
        self.assertEqual(base64.b64decode(echoes[1]["data"]), data)
        pong = node.events.wait_for(lambda e: e.get("event") == "pong", 10, "pong")
        self.assertEqual(pong["data"], "mid-message")
        records = proxy.backend.wait_events("message", 2)
        self.assertEqual(records[1]["sha256"], hashlib.sha256(data).hexdigest())
        node.command(close=4005, reason="node \u00e9 done")
        node.events.wait_for(lambda e: e.get("event") == "close", 10, "node close")
        closed = proxy.backend.wait_event("close")
        self.assertEqual((closed["code"], closed["reason"]), (4005, "node \u00e9 done"))

        big = proxy.work.node(proxy.url + "/node-big", name="node-big")
        big.send_binary(b"y" * (LIMIT + 1))
        closed = big.events.wait_for(lambda e: e.get("event") == "close", 10, "oversize close")
        self.assertEqual(closed["code"], 1009)


if __name__ == "__main__":
    unittest.main()
