# SPDX-License-Identifier: Apache-2.0
"""Bad opening handshakes and slow clients, on raw sockets: a WebSocket inbound endpoint and the
HTTP listener must answer a broken request with a 4xx status or a close, never 101 and never a
hang, and must cut off a client that sends its request one byte per second (slowloris) once the
handshake timeout (ws.handshake.timeout) or the header timeout ([transport.http]
header_timeout_ms) has passed."""
import os
import socket
import time
import unittest

from peers.harness import FAULT_SEQ, NS, Workdir, free_port, inbound_xml, write_project

HANDSHAKE_TIMEOUT = 2  # seconds, for the slowloris cases
ECHO_SEQ = '<sequence name="echoSeq" %s><respond/></sequence>' % NS
PROXY = """<proxy %s name="echo" transports="http">
  <target><inSequence><respond/></inSequence></target>
</proxy>""" % NS


def read_answer(sock, limit=10.0):
    """Everything the server sends until it closes (or `limit` seconds pass: then None)."""
    sock.settimeout(limit)
    data = b""
    deadline = time.monotonic() + limit
    try:
        while time.monotonic() < deadline:
            chunk = sock.recv(65536)
            if not chunk:
                return data
            data += chunk
            if b"\r\n\r\n" in data and data.startswith(b"HTTP/1.1 101"):
                return data  # upgraded: the connection stays open
            if b"\r\n\r\n" in data:
                # An error answer: read what follows of it, the server may keep the socket.
                sock.settimeout(0.5)
    except socket.timeout:
        return data if data else None
    except ConnectionResetError:
        return data
    return None


def status_of(answer):
    if not answer:
        return None
    return int(answer.split(b"\r\n", 1)[0].split()[1])


def upgrade(port, **changes):
    headers = {"Host": "127.0.0.1:%d" % port, "Upgrade": "websocket", "Connection": "Upgrade",
               "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==", "Sec-WebSocket-Version": "13"}
    method = changes.pop("method", "GET")
    for name, value in changes.items():
        name = name.replace("_", "-")
        if value is None:
            headers.pop(name, None)
        else:
            headers[name] = value
    return ("%s /abuse HTTP/1.1\r\n" % method + "".join(
        "%s: %s\r\n" % item for item in headers.items()) + "\r\n").encode("latin-1")


class HandshakeAbuseTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.holder = unittest.TestCase()
        work = Workdir(cls.holder)
        cls.ws_port, cls.http_port = free_port(), free_port()
        project = write_project(work.path, {"echoSeq": ECHO_SEQ, "fault": FAULT_SEQ.format(ns=NS)},
                                {"abuse": inbound_xml("abuse", cls.ws_port, "echoSeq", {
                                    "ws.handshake.timeout": str(HANDSHAKE_TIMEOUT)})})
        os.makedirs(os.path.join(project, "src/main/synapse-config/proxy-services"))
        with open(os.path.join(project, "src/main/synapse-config/proxy-services/echo.xml"),
                  "w") as f:
            f.write(PROXY)
        with open(os.path.join(project, "deployment.toml"), "a") as f:
            f.write("[server]\nhttp_listener_port = %d\n[transport.http]\nheader_timeout_ms = %d\n"
                    % (cls.http_port, HANDSHAKE_TIMEOUT * 1000))
        cls.sluice = work.sluice(project, listeners=2)

    @classmethod
    def tearDownClass(cls):
        cls.holder.doCleanups()

    def answer(self, port, request):
        with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
            sock.sendall(request)
            answer = read_answer(sock)
        self.assertIsNotNone(answer, "no answer and no close within 10 s: %r" % request[:200])
        return answer

    def test_valid_handshake_is_accepted(self):
        # The control case: the requests below differ from this one in one point each.
        self.assertEqual(status_of(self.answer(self.ws_port, upgrade(self.ws_port))), 101)

    def test_bad_handshakes_are_refused_with_4xx(self):
        p = self.ws_port
        bad = {
            "missing Sec-WebSocket-Key": upgrade(p, Sec_WebSocket_Key=None),
            "Sec-WebSocket-Version 8": upgrade(p, Sec_WebSocket_Version="8"),
            "Sec-WebSocket-Version missing": upgrade(p, Sec_WebSocket_Version=None),
            "Upgrade: h2c": upgrade(p, Upgrade="h2c"),
            "Connection: keep-alive": upgrade(p, Connection="keep-alive"),
            "POST": upgrade(p, method="POST"),
            "HTTP/1.0": upgrade(p).replace(b"HTTP/1.1\r\n", b"HTTP/1.0\r\n", 1),
            "not HTTP": b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03" + b"\0" * 64 + b"\r\n\r\n",
        }
        for what, request in bad.items():
            with self.subTest(what):
                answer = self.answer(p, request)
                status = status_of(answer)
                # A close without an answer is acceptable; 101 never is.
                if status is not None:
                    self.assertTrue(400 <= status < 500, "%s: %r" % (what, answer[:200]))

    def test_key_that_is_not_16_bytes_of_base64_is_refused(self):
        # RFC 6455 4.2.1: the key must decode to 16 bytes, else 400 (Qt's QWebSocketServer 6.4
        # upgraded any key; Sluice's own handshake checks it).
        answer = self.answer(self.ws_port, upgrade(self.ws_port, Sec_WebSocket_Key="short"))
        self.assertEqual(status_of(answer) // 100, 4, answer[:200])

    def test_oversized_headers_are_refused(self):
        for port in (self.ws_port, self.http_port):
            with self.subTest(port=port):
                huge = upgrade(port).replace(b"\r\n\r\n", b"\r\nX-Filler: %s\r\n\r\n"
                                             % (b"a" * 256 * 1024))
                answer = self.answer(port, huge)
                status = status_of(answer)
                if status is not None:
                    self.assertIn(status, (400, 413, 431), answer[:200])

    def test_many_headers_are_refused(self):
        for port in (self.ws_port, self.http_port):
            with self.subTest(port=port):
                many = upgrade(port).replace(b"\r\n\r\n", b"\r\n" + b"".join(
                    b"X-H%d: v\r\n" % i for i in range(20000)) + b"\r\n")
                status = status_of(self.answer(port, many))
                if status is not None:
                    self.assertIn(status, (400, 413, 431))

    def slowloris(self, port, request):
        """Sends `request` one byte per second; returns (seconds until the server cut the client
        off, bytes sent, what it answered)."""
        start = time.monotonic()
        with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
            sent = 0
            for byte in request:
                try:
                    sock.sendall(bytes([byte]))
                except OSError:
                    break
                sent += 1
                sock.settimeout(1.0)
                try:
                    chunk = sock.recv(65536)
                except socket.timeout:
                    if time.monotonic() - start > HANDSHAKE_TIMEOUT + 10:
                        self.fail("still connected after %d s" % (time.monotonic() - start))
                    continue
                except ConnectionResetError:
                    chunk = b""
                answer = chunk + (read_answer(sock, 2) or b"") if chunk else b""
                return time.monotonic() - start, sent, answer
        return time.monotonic() - start, sent, b""

    def test_slowloris_on_the_websocket_handshake_is_cut_off(self):
        elapsed, sent, _ = self.slowloris(self.ws_port, upgrade(self.ws_port))
        self.assertLess(sent, len(upgrade(self.ws_port)))
        self.assertGreaterEqual(elapsed, HANDSHAKE_TIMEOUT - 0.5)
        self.assertLess(elapsed, HANDSHAKE_TIMEOUT + 2.5)

    def test_slowloris_on_the_http_listener_is_cut_off(self):
        request = b"POST /services/echo HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\nhi"
        elapsed, sent, answer = self.slowloris(self.http_port, request)
        self.assertLess(sent, len(request))
        self.assertLess(elapsed, HANDSHAKE_TIMEOUT + 2.5)
        if answer:
            self.assertEqual(status_of(answer), 408, answer[:200])

    def test_still_serving_after_the_abuse(self):
        self.assertTrue(self.sluice.alive())
        self.assertEqual(status_of(self.answer(self.ws_port, upgrade(self.ws_port))), 101)


if __name__ == "__main__":
    unittest.main()
