# SPDX-License-Identifier: Apache-2.0
"""The HTTP sender: `sluice run` on a temporary project whose proxies `send` / `call` to real HTTP
servers this project did not write (Python's http.server: `python3 -m http.server` serving
files, and an http.server-based echo in peers/http_echo_backend.py), with curl as the client.
Covers the request/response round trip through an outSequence, call + respond, a backend that
is down (502, fault sequence), a timeout (504) and keep-alive reuse of backend connections."""
import json
import os
import subprocess
import time
import unittest

from peers.harness import PYTHON, Workdir, free_port, port_is_listening, wait_until
from peers.http_echo_backend import EchoBackend

CONFIG = os.path.join("src", "main", "synapse-config")
NS = 'xmlns="http://ws.apache.org/ns/synapse"'
PROXY = """<?xml version="1.0" encoding="UTF-8"?>
<proxy {ns} name="{name}" transports="http" startOnLoad="true">
    <target>
        <inSequence>
{body}
        </inSequence>
{out}
        <faultSequence>
            <log level="custom"><property name="PROXY_FAULT" expression="get-property('ERROR_CODE')"/></log>
        </faultSequence>
    </target>
</proxy>
"""


def curl(*args):
    """Runs curl; returns (status, headers as a lower-case dict, body) of the transfer."""
    result = subprocess.run(["curl", "-sS", "--max-time", "15", "-D", "-", *args],
                            capture_output=True, timeout=30)
    head, _, body = result.stdout.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1]) if lines[0].startswith("HTTP/") else 0
    headers = {l.split(":", 1)[0].lower(): l.split(":", 1)[1].strip()
               for l in lines[1:] if ":" in l}
    return status, headers, body


class HttpSenderTest(unittest.TestCase):
    def setUp(self):
        self.work = Workdir(self)

    def start(self, proxies, sequences=None):
        """Runs sluice on a project with `proxies` ({name: (inSequence body, outSequence body or
        None)}) and named `sequences` ({name: body}); returns the base URL of its proxies."""
        port = free_port()
        project = os.path.join(self.work.path, "project")
        folder = os.path.join(project, CONFIG, "proxy-services")
        os.makedirs(folder)
        if sequences:
            os.makedirs(os.path.join(project, CONFIG, "sequences"))
        for name, body in (sequences or {}).items():
            with open(os.path.join(project, CONFIG, "sequences", name + ".xml"), "w") as f:
                f.write('<sequence %s name="%s">%s</sequence>' % (NS, name, body))
        for name, (body, out) in proxies.items():
            out_xml = "<outSequence>%s</outSequence>" % out if out is not None else ""
            with open(os.path.join(folder, name + ".xml"), "w") as f:
                f.write(PROXY.format(ns=NS, name=name, body=body, out=out_xml))
        with open(os.path.join(project, "deployment.toml"), "w") as f:
            f.write("[server]\nhttp_listener_port = %d\n" % port)
        self.sluice = self.work.sluice(project)
        return "http://127.0.0.1:%d/services/" % port

    def test_api_resource_waits_for_the_http_backend(self):
        """An API resource that sends to an HTTP backend answers with the backend's reply (not an
        early 502 for a flow that ended without respond)."""
        backend = EchoBackend(self)
        port = free_port()
        project = os.path.join(self.work.path, "project")
        os.makedirs(os.path.join(project, CONFIG, "api"))
        with open(os.path.join(project, CONFIG, "api", "OrdersAPI.xml"), "w") as f:
            f.write("""<api %s name="OrdersAPI" context="/orders">
    <resource methods="POST" uri-template="/{id}">
        <inSequence>
            <send><endpoint><address uri="%s/echo"/></endpoint></send>
        </inSequence>
        <outSequence><send/></outSequence>
    </resource>
</api>""" % (NS, backend.url))
        with open(os.path.join(project, "deployment.toml"), "w") as f:
            f.write("[server]\nhttp_listener_port = %d\n" % port)
        self.sluice = self.work.sluice(project)
        status, _, body = curl("-H", "Content-Type: application/json", "--data-binary",
                               '{"id":9}', "http://127.0.0.1:%d/orders/9" % port)
        self.assertEqual(status, 201, body)
        seen = json.loads(body)
        self.assertEqual(seen["body"], '{"id":9}')
        self.assertEqual(seen["path"], "/echo/9")  # REST_URL_POSTFIX appended, as MI does

    def test_send_round_trip_through_the_out_sequence(self):
        backend = EchoBackend(self)
        base = self.start({"orders": ("""
            <send><endpoint><address uri="%s/echo"/></endpoint></send>""" % backend.url,
                                      """
            <header name="X-Out" value="seen" scope="transport"/>
            <send/>""")})
        status, headers, body = curl("-H", "Content-Type: application/json", "-H",
                                     "X-In: from-client", "--data-binary", '{"id":7}',
                                     base + "orders/items?x=1")
        self.assertEqual(status, 201, body)
        echoed = json.loads(body)
        self.assertEqual(echoed["method"], "POST")
        # MI appends REST_URL_POSTFIX to an address endpoint.
        self.assertEqual(echoed["path"], "/echo/items?x=1")
        self.assertEqual(echoed["body"], '{"id":7}')
        self.assertEqual(echoed["headers"]["content-type"], "application/json")
        self.assertEqual(echoed["headers"]["x-in"], "from-client")
        # The backend's headers come back; the outSequence ran on the answer.
        self.assertEqual(headers.get("x-backend"), "echo")
        self.assertEqual(headers.get("x-out"), "seen")
        self.assertEqual(headers.get("content-type"), "application/json")

    def test_get_through_python_http_server_without_out_sequence(self):
        files = os.path.join(self.work.path, "files")
        os.makedirs(files)
        with open(os.path.join(files, "hello.txt"), "w") as f:
            f.write("hello from http.server\n")
        file_port = free_port()
        self.work.child([PYTHON, "-m", "http.server", "--bind", "127.0.0.1", "--directory",
                         files, str(file_port)], 60, "http-server")
        wait_until(lambda: port_is_listening(file_port), 10, "python3 -m http.server")
        base = self.start({"files": ("""
            <send><endpoint><address uri="http://127.0.0.1:%d/"/></endpoint></send>""" % file_port,
                                     None)})
        status, _, body = curl(base + "files/hello.txt")
        self.assertEqual((status, body), (200, b"hello from http.server\n"))
        # The backend's status passes through as HTTP_SC.
        status, _, _ = curl(base + "files/missing.txt")
        self.assertEqual(status, 404)

    def test_call_continues_with_the_answer_then_respond(self):
        backend = EchoBackend(self)
        base = self.start({"caller": ("""
            <property name="uri.var.id" value="42"/>
            <call><endpoint><http method="post" uri-template="%s/echo/{uri.var.id}"/></endpoint></call>
            <log level="custom"><property name="CALL_SC" expression="get-property('axis2', 'HTTP_SC')"/></log>
            <header name="X-After" value="call" scope="transport"/>
            <respond/>""" % backend.url, None)})
        status, headers, body = curl("-H", "Content-Type: text/plain", "--data-binary", "ping",
                                     base + "caller")
        self.assertEqual(status, 201, body)
        echoed = json.loads(body)
        self.assertEqual((echoed["method"], echoed["path"], echoed["body"]),
                         ("POST", "/echo/42", "ping"))
        self.assertEqual(headers.get("x-after"), "call")
        self.sluice.wait_stderr(r"CALL_SC = 201")

    def test_backend_down_runs_the_fault_sequence_and_answers_502(self):
        down = free_port()
        base = self.start({"down": ("""
            <send><endpoint><address uri="http://127.0.0.1:%d/x"/></endpoint></send>""" % down,
                                    None)})
        status, headers, body = curl("--data-binary", "{}", base + "down")
        self.assertEqual(status, 502, body)
        self.assertEqual(headers.get("content-type"), "application/json")
        self.assertEqual(json.loads(body)["code"], 101503)
        self.sluice.wait_stderr(r"PROXY_FAULT = 101503")

    def test_timeout_answers_504_after_the_endpoint_duration(self):
        backend = EchoBackend(self, slow_seconds=5)
        base = self.start({"slow": ("""
            <call><endpoint><address uri="%s/slow"><timeout><duration>300</duration></timeout></address></endpoint></call>
            <respond/>""" % backend.url, None)})
        started = time.monotonic()
        status, _, body = curl(base + "slow")
        elapsed = time.monotonic() - started
        self.assertEqual(status, 504, body)
        self.assertEqual(json.loads(body)["code"], 101504)
        self.assertLess(elapsed, 4, "the 300 ms timeout did not cut the 5 s backend short")
        self.sluice.wait_stderr(r"PROXY_FAULT = 101504")

    def test_backend_connection_is_kept_alive_across_requests(self):
        backend = EchoBackend(self)
        base = self.start({"pooled": ("""
            <send><endpoint><address uri="%s/echo"/></endpoint></send>""" % backend.url, None)})
        # One curl, one client connection: every request is served by the same worker thread,
        # whose connection pool should reuse one backend connection.
        count = 5
        transfers = ["-o", "/dev/null", base + "pooled"] * count
        result = subprocess.run(["curl", "-sS", "--max-time", "15", "-w", "%{http_code}\n",
                                 "--data-binary", "x"] + transfers,
                                capture_output=True, text=True, timeout=60)
        self.assertEqual(result.stdout.split(), ["201"] * count, result.stderr)
        self.assertEqual(len(backend.requests), count)
        self.assertEqual(backend.connections, 1)

    def test_method_and_headers_from_properties_reach_the_backend(self):
        backend = EchoBackend(self)
        base = self.start({"put": ("""
            <property name="HTTP_METHOD" value="PUT" scope="axis2"/>
            <property name="messageType" value="application/xml" scope="axis2"/>
            <header name="X-Trace" value="t-1" scope="transport"/>
            <send><endpoint><address uri="%s/things"/></endpoint></send>""" % backend.url,
                                   None)})
        status, _, body = curl("-H", "X-In: kept", "--data-binary", "<a>1</a>", base + "put")
        self.assertEqual(status, 200, body)
        echoed = json.loads(body)
        self.assertEqual((echoed["method"], echoed["path"], echoed["body"]),
                         ("PUT", "/things", "<a>1</a>"))
        headers = echoed["headers"]
        self.assertEqual(headers["content-type"], "application/xml")
        self.assertEqual((headers["x-trace"], headers["x-in"]), ("t-1", "kept"))
        # The client's Host is its own hop: the backend gets its own address.
        self.assertEqual(headers["host"], "127.0.0.1:%d" % backend.port)

    def test_answer_goes_to_the_send_receive_sequence(self):
        backend = EchoBackend(self)
        base = self.start({"receiving": ("""
            <send receive="answerSeq"><endpoint><address uri="%s/r"/></endpoint></send>"""
                                         % backend.url, "<drop/>")},
                          sequences={"answerSeq": """
            <log level="custom"><property name="ANSWER_SC" expression="get-property('axis2', 'HTTP_SC')"/></log>
            <header name="X-Received-By" value="answerSeq" scope="transport"/>
            <respond/>"""})
        status, headers, body = curl("--data-binary", "r", base + "receiving")
        self.assertEqual(status, 201, body)
        self.assertEqual(headers.get("x-received-by"), "answerSeq")
        self.sluice.wait_stderr(r"ANSWER_SC = 201")

    def test_out_only_send_answers_202_and_still_delivers(self):
        backend = EchoBackend(self)
        base = self.start({"oneway": ("""
            <property name="OUT_ONLY" value="true"/>
            <send><endpoint><address uri="%s/oneway"/></endpoint></send>""" % backend.url,
                                      """
            <log level="custom"><property name="OUT_SEQUENCE_RAN" value="yes"/></log>
            <send/>""")})
        status, _, body = curl("--data-binary", "fire", base + "oneway")
        self.assertEqual((status, body), (202, b""))
        wait_until(lambda: backend.requests, 10, "the one-way request at the backend")
        self.assertEqual(backend.requests[0]["body"], "fire")
        # The backend's answer is dropped: no response path runs for an OUT_ONLY message.
        time.sleep(0.3)
        self.assertNotIn("OUT_SEQUENCE_RAN", self.sluice.stderr_text())

    def test_loopback_turns_the_request_into_the_response(self):
        base = self.start({"loop": ("""
            <property name="HTTP_SC" value="200" scope="axis2"/>
            <loopback/>
            <log level="custom"><property name="NOT_REACHED" value="x"/></log>""",
                                    """
            <header name="X-Looped" value="yes" scope="transport"/>
            <respond/>""")})
        status, headers, body = curl("-H", "Content-Type: application/json",
                                     "--data-binary", '{"back":true}', base + "loop")
        self.assertEqual((status, body), (200, b'{"back":true}'))
        self.assertEqual(headers.get("x-looped"), "yes")
        self.assertNotIn("NOT_REACHED", self.sluice.stderr_text())


if __name__ == "__main__":
    unittest.main()
