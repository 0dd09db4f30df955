# SPDX-License-Identifier: Apache-2.0
"""The WebSocket-to-WebSocket proxy against real peers (python3-websockets client and backend,
a raw RFC 6455 socket): payloads pass byte-identical both ways, each client gets its own
replies, the backend connection follows the client's life, the handshake's details reach
mediation, and /health tells the truth about connections."""
import asyncio
import hashlib
import os
import sys
import time
import re
import unittest

from peers.harness import Proxy, RawWebSocket, health, http_get, run_async, wait_until

MIB = 1024 * 1024


def utf8_text(size):
    """A text of exactly `size` UTF-8 bytes with 1- to 4-byte characters in it."""
    unit = "sluice-\u00e9\u20ac\U0001d11e "  # 7 + 2 + 3 + 4 + 1 = 17 bytes
    text = unit * (size // 17)
    return text + "x" * (size - len(text.encode()))


class EchoThroughProxyTest(unittest.TestCase):
    def test_text_and_binary_arrive_byte_identical_both_ways(self):
        proxy = Proxy(self)
        payloads = ["", "a", utf8_text(MIB), b"", b"\x00", os.urandom(MIB)]
        self.assertEqual(len(payloads[2].encode()), MIB)

        async def exchange():
            async with proxy.connect("/echo") as ws:
                for payload in payloads:
                    await ws.send(payload)
                    echo = await ws.recv()
                    self.assertIs(type(echo), type(payload))
                    self.assertTrue(echo == payload, "echo of %d %s differs"
                                    % (len(payload), type(payload).__name__))
        run_async(exchange())

        records = proxy.backend.wait_events("message", len(payloads))
        for record, payload in zip(records, payloads):
            raw = payload.encode() if isinstance(payload, str) else payload
            self.assertEqual(record["kind"], "text" if isinstance(payload, str) else "binary")
            self.assertEqual(record["size"], len(raw))
            self.assertEqual(record["sha256"], hashlib.sha256(raw).hexdigest())
        # One backend connection for the client, with the content type MI would offer.
        opens = proxy.backend.events("open")
        self.assertEqual(len(opens), 1)
        self.assertEqual(opens[0]["path"], "/websocket")
        headers = {k.lower(): v for k, v in opens[0]["headers"].items()}
        self.assertEqual(headers.get("x-synapse-content-type"), "application/json")

    def test_invalid_utf8_text_frame_is_closed_with_1007(self):
        proxy = Proxy(self)
        raw = RawWebSocket(proxy.port, "/raw")
        try:
            self.assertEqual(raw.status, 101)
            raw.send_text(b"valid \xc3\x28 invalid")
            self.assertEqual(raw.read_close()[0], 1007)
        finally:
            raw.close()
        # The frame never reached mediation, so no backend connection was opened for it.
        self.assertEqual(proxy.backend.events("message"), [])

    def send_fragmented(self, path, fragments):
        """Sends one text message as the given fragments; returns what came back."""
        proxy = Proxy(self)
        raw = RawWebSocket(proxy.port, path)
        try:
            for number, fragment in enumerate(fragments):
                raw.send_frame(0x1 if number == 0 else 0x0, fragment,
                               fin=number == len(fragments) - 1)
            return raw.read_frame(), proxy
        finally:
            raw.close()

    def test_fragmented_message_reaches_the_backend_as_one_message(self):
        message = "fragmented \u00e9 message"
        echo, proxy = self.send_fragmented("/fragments", [
            b"fragmented ", "\u00e9".encode(), b" mess", b"age"])
        self.assertEqual(echo, (0x1, message.encode()))
        self.assertEqual(proxy.backend.wait_event("message")["data"], message)

    def test_fragment_boundary_inside_a_character_is_valid_utf8(self):
        # RFC 6455 5.6 allows a text frame to end inside a UTF-8 sequence (Qt 6.4's QWebSocket
        # refused it with 1007; Sluice's own frame reader validates across fragments).
        echo, _ = self.send_fragmented("/split", [b"split \xc3", b"\xa9 character"])
        self.assertEqual(echo, (0x1, "split \u00e9 character".encode()))

class ManyClientsTest(unittest.TestCase):
    CLIENTS = 100
    MESSAGES = 3

    def test_100_concurrent_clients_each_get_only_their_own_replies(self):
        proxy = Proxy(self)
        timings = {}

        async def scenario():
            start = time.monotonic()
            clients = await asyncio.gather(*(proxy.connect("/many")
                                             for _ in range(self.CLIENTS)))
            timings["connect"] = time.monotonic() - start
            try:
                async def talk(index, ws):
                    sent = ["client %d message %d" % (index, n) for n in range(self.MESSAGES)]
                    for text in sent:
                        await ws.send(text)
                    received = [await ws.recv() for _ in sent]
                    self.assertEqual(received, sent, "client %d" % index)

                start = time.monotonic()
                await asyncio.gather(*(talk(i, ws) for i, ws in enumerate(clients)))
                timings["exchange"] = time.monotonic() - start

                # Everything misrouted would have arrived by now: each client's next message
                # must be the answer to its own last word.
                async def last_word(index, ws):
                    await ws.send("client %d done" % index)
                    self.assertEqual(await ws.recv(), "client %d done" % index)
                await asyncio.gather(*(last_word(i, ws) for i, ws in enumerate(clients)))
                self.assertEqual(health(proxy.port)["connections"], self.CLIENTS)
            finally:
                start = time.monotonic()
                await asyncio.gather(*(ws.close() for ws in clients))
                timings["close"] = time.monotonic() - start

        start = time.monotonic()
        run_async(scenario(), timeout=90)
        sys.stderr.write("\n  %d clients x %d messages: connect %.2f s, exchange %.2f s, close "
                         "%.2f s, total %.2f s\n"
                         % (self.CLIENTS, self.MESSAGES + 1, timings["connect"],
                            timings["exchange"], timings["close"], time.monotonic() - start))
        self.assertEqual(len(proxy.backend.wait_events("open", self.CLIENTS)), self.CLIENTS)
        wait_until(lambda: health(proxy.port)["connections"] == 0, 10,
                   "the endpoint's connection count to go back to 0")


class BackendConnectionLifeTest(unittest.TestCase):
    def test_client_close_closes_the_backend_connection_with_the_clients_code(self):
        proxy = Proxy(self)

        async def talk_then_close(code, reason):
            async with proxy.connect("/bye") as ws:
                await ws.send("hello before %d" % code)
                self.assertEqual(await ws.recv(), "hello before %d" % code)
                await ws.close(code=code, reason=reason)

        for number, (code, reason) in enumerate([(1000, ""), (4001, "client says bye")], 1):
            run_async(talk_then_close(code, reason))
            closed = proxy.backend.wait_event("close", id=number)
            self.assertEqual((closed["code"], closed["reason"]), (code, reason))

    def test_client_vanishing_without_close_frame_closes_the_backend_as_going_away(self):
        proxy = Proxy(self)
        raw = RawWebSocket(proxy.port, "/vanish")
        raw.send_text("hello")
        self.assertEqual(raw.read_frame(), (0x1, b"hello"))
        raw.close()  # TCP gone, no close frame
        closed = proxy.backend.wait_event("close")
        self.assertEqual(closed["code"], 1001)
        proxy.sluice.wait_stderr(r"closed \(1006\)")

    def test_messages_sent_during_a_slow_backend_handshake_use_one_connection_in_order(self):
        proxy = Proxy(self, backend_args=("--handshake-delay", "1"))
        sent = ["early %d" % n for n in range(8)] + [b"\x01\x02 binary too"]

        async def scenario():
            async with proxy.connect("/early") as ws:
                for message in sent:
                    await ws.send(message)
                received = [await ws.recv() for _ in sent]
                self.assertEqual(received, sent)
        run_async(scenario())

        records = proxy.backend.wait_events("message", len(sent))
        self.assertEqual([r["index"] for r in records], list(range(1, len(sent) + 1)))
        self.assertEqual([r["data"] for r in records[:-1]], sent[:-1])
        self.assertEqual(len(proxy.backend.events("open")), 1)
        self.assertEqual(len(proxy.backend.events("handshake-delayed")), 1)


class SlowClientTest(unittest.TestCase):
    """A client that sends thousands of frames before it reads any answer, with a receive
    buffer of 4 KiB: the echoes fill its socket and Sluice's (4 MiB at most here), so the
    kernel refuses Sluice's writes to it, or takes part of one, and the rest waits in Sluice's
    queue. Then the client reads: every frame whole, in order, text as text and binary as
    binary."""

    def send_then_read(self, sizes, count):
        proxy = Proxy(self)
        raw = RawWebSocket(proxy.port, "/late-reader", timeout=30, rcvbuf=4096)
        sent = []
        for n in range(count):
            size = sizes[n % len(sizes)]
            payload = (b"%06d:" % n + bytes([65 + n % 26]) * size)[:size]
            opcode = 0x2 if n % 3 == 0 else 0x1
            raw.send_frame(opcode, payload)
            sent.append((opcode, payload))
        proxy.backend.wait_events("message", len(sent), timeout=60)
        for number, expected in enumerate(sent):
            self.assertEqual(raw.read_frame(), expected, "frame %d" % number)
        raw.close()

    def test_small_frames_built_on_the_stack_survive_a_full_socket(self):
        # All up to 1 KiB (copied behind their header and sent in one piece): about 6.5 MiB.
        self.send_then_read([125, 126, 1000, 1017, 1024, 1024, 1000, 64, 0, 1], 12000)

    def test_small_and_large_frames_interleaved_survive_a_full_socket(self):
        # Up to 1 KiB built on the stack, larger ones sent from the payload: about 6.7 MiB.
        self.send_then_read([0, 1, 64, 125, 126, 1000, 1017, 1024, 1025, 4000], 8000)


class HandshakeAndHealthTest(unittest.TestCase):
    def test_health_reports_websocket_connections_as_they_come_and_go(self):
        proxy = Proxy(self)
        status, headers, _ = http_get(proxy.port, "/health")
        self.assertEqual(status, 200)
        self.assertEqual(headers["content-type"], "application/json")
        self.assertEqual(health(proxy.port),
                         {"status": "UP", "endpoint": "websocket", "connections": 0})
        status, headers, _ = http_get(proxy.port, "/")
        self.assertEqual((status, headers.get("upgrade")), (426, "websocket"))

        async def scenario():
            clients = [await proxy.connect("/h%d" % n) for n in range(3)]
            wait_until(lambda: health(proxy.port)["connections"] == 3, 5, "3 connections")
            await clients[0].close()
            await asyncio.to_thread(wait_until, lambda: health(proxy.port)["connections"] == 2,
                                    5, "2 connections")
            for ws in clients[1:]:
                await ws.close()
        run_async(scenario())
        # Plain HTTP requests (the health checks themselves) never count.
        wait_until(lambda: health(proxy.port)["connections"] == 0, 5, "0 connections")

    def test_synapse_subprotocol_is_echoed_and_handshake_headers_reach_the_first_message(self):
        dispatch_log = """<log level="custom">
        <property name="TRACE" expression="$trp:X-Trace-Id"/>
        <property name="SUBPROTOCOL" expression="get-property('websocket.subprotocol')"/>
        <property name="CHANNEL"
                  expression="get-property('websocket.source.channel.identifier')"/>
    </log>"""
        proxy = Proxy(self, dispatch_extra=dispatch_log)
        subprotocol = "synapse(contentType='application/json')"
        raw = RawWebSocket(proxy.port, "/json", {"Sec-WebSocket-Protocol": subprotocol,
                                                 "X-Trace-Id": "e2e-trace-42"})
        try:
            self.assertEqual(raw.status, 101, raw.status_line)
            self.assertEqual(raw.headers.get("sec-websocket-protocol"), subprotocol)
            raw.send_text('{"first": true}')
            self.assertEqual(raw.read_frame(), (0x1, b'{"first": true}'))
            raw.send_text('{"second": true}')
            self.assertEqual(raw.read_frame(), (0x1, b'{"second": true}'))
        finally:
            raw.close()
        lines = proxy.sluice.wait_stderr_lines("TRACE = ", 2)
        self.assertIn("TRACE = e2e-trace-42, SUBPROTOCOL = " + subprotocol, lines[0])
        # The handshake's headers travel with the first message only, as in MI.
        self.assertIn("TRACE = , SUBPROTOCOL = " + subprotocol, lines[1])
        # The connection's own properties reach every message: the same channel identifier.
        channels = [re.search(r"CHANNEL = (\S+)", line).group(1) for line in lines[:2]]
        self.assertRegex(channels[0], r"^websocket-\d+$")  # the endpoint's name, a number
        self.assertEqual(channels[0], channels[1])

if __name__ == "__main__":
    unittest.main()
