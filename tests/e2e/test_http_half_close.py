# SPDX-License-Identifier: Apache-2.0
"""HTTP half-close: a client that sends complete requests and then shuts down its sending side
(socket.shutdown(SHUT_WR), which HTTP/1.1 allows) still gets every answer, in order, and then
the connection closes. The client is a raw Python socket; the requests go through an API
resource that calls a real HTTP backend (Python's http.server, peers/http_echo_backend.py) and
responds with its answer, so each answer waits for mediation and the backend."""
import json
import os
import socket
import unittest

from peers.harness import NS, Workdir, free_port
from peers.http_echo_backend import EchoBackend

CONFIG = os.path.join("src", "main", "synapse-config")
API = """<api {ns} name="EchoAPI" context="/echo">
    <resource methods="POST" uri-template="/{{id}}">
        <inSequence>
            <call><endpoint><address uri="{backend}/seen"/></endpoint></call>
            <respond/>
        </inSequence>
    </resource>
</api>"""


def request(index, close=False):
    body = json.dumps({"n": index}).encode()
    head = ("POST /echo/%d HTTP/1.1\r\nHost: sluice\r\nContent-Type: application/json\r\n"
            "Content-Length: %d\r\n%s\r\n" % (index, len(body),
                                                "Connection: close\r\n" if close else ""))
    return head.encode() + body


def read_answers(data):
    """Splits what the server sent into (status, headers, body) by Content-Length."""
    answers = []
    while data:
        head, separator, rest = data.partition(b"\r\n\r\n")
        if not separator:
            raise AssertionError("incomplete answer: %r" % data[:200])
        lines = head.decode("latin-1").split("\r\n")
        headers = {l.split(":", 1)[0].lower(): l.split(":", 1)[1].strip() for l in lines[1:]}
        length = int(headers.get("content-length", "0"))
        answers.append((int(lines[0].split()[1]), headers, rest[:length]))
        data = rest[length:]
    return answers


class HttpHalfCloseTest(unittest.TestCase):
    def setUp(self):
        self.work = Workdir(self)
        self.backend = EchoBackend(self)
        self.port = free_port()
        project = os.path.join(self.work.path, "project")
        os.makedirs(os.path.join(project, CONFIG, "api"))
        with open(os.path.join(project, CONFIG, "api", "EchoAPI.xml"), "w") as f:
            f.write(API.format(ns=NS, backend=self.backend.url))
        with open(os.path.join(project, "deployment.toml"), "w") as f:
            f.write("[server]\nhttp_listener_port = %d\n" % self.port)
        self.sluice = self.work.sluice(project)

    def exchange(self, payload):
        """Sends `payload`, shuts down the sending side, reads until the server closes."""
        with socket.create_connection(("127.0.0.1", self.port), timeout=10) as s:
            s.sendall(payload)
            s.shutdown(socket.SHUT_WR)
            received = b""
            while True:
                chunk = s.recv(65536)  # a timeout here fails the test: no hang
                if not chunk:
                    return received
                received += chunk

    def assert_answered(self, answers, indexes):
        self.assertEqual([status for status, _, _ in answers], [201] * len(indexes))
        self.assertEqual([json.loads(body)["body"] for _, _, body in answers],
                         [json.dumps({"n": i}) for i in indexes])
        self.assertEqual([json.loads(body)["path"] for _, _, body in answers],
                         ["/seen/%d" % i for i in indexes])
        # The last answer says the connection ends; the ones before keep it open.
        self.assertEqual(answers[-1][1].get("connection"), "close")
        self.assertTrue(all("connection" not in headers for _, headers, _ in answers[:-1]))

    def test_one_request_then_half_close_is_answered(self):
        answers = read_answers(self.exchange(request(1)))
        self.assert_answered(answers, [1])
        self.assertEqual(len(self.backend.requests), 1)

    def test_pipelined_requests_then_half_close_are_all_answered_in_order(self):
        indexes = list(range(1, 9))
        answers = read_answers(self.exchange(b"".join(request(i) for i in indexes)))
        self.assert_answered(answers, indexes)
        self.assertEqual(sorted(json.loads(r["body"])["n"] for r in self.backend.requests),
                         indexes)

    def test_connection_close_request_then_half_close_is_answered(self):
        answers = read_answers(self.exchange(request(1) + request(2, close=True)))
        self.assert_answered(answers, [1, 2])

    def test_a_request_cut_short_by_the_half_close_is_dropped_the_rest_answered(self):
        partial = request(3)[:-5]
        answers = read_answers(self.exchange(request(1) + request(2) + partial))
        self.assert_answered(answers, [1, 2])
        self.assertEqual(len(self.backend.requests), 2)

    def test_half_close_without_a_request_closes_quietly(self):
        self.assertEqual(self.exchange(b""), b"")
        self.assertEqual(self.exchange(b"POST /echo/1 HTTP/1.1\r\nHost: x"), b"")
        self.assertEqual(self.backend.requests, [])
        # The listener still serves.
        self.assert_answered(read_answers(self.exchange(request(4))), [4])


if __name__ == "__main__":
    unittest.main()
