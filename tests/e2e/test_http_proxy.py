# SPDX-License-Identifier: Apache-2.0
"""HTTP to WebSocket through a proxy service: the seed's second example (projects/http-to-websocket)
run by `sluice run` on a copy with ports picked now, curl as the HTTP client and a
python3-websockets backend (peers/ws_backend.py) that records what it receives. Also the MI
properties a proxy answers with (HTTP_SC, $trp: headers, REST_URL_POSTFIX, 502/500 without
respond), 400/413 from the listener, startOnLoad="false" and a port already in use."""
import hashlib
import json
import os
import re
import shutil
import socket
import subprocess
import time
import unittest

from peers.harness import SLUICE, Workdir, free_port, wait_until

SOURCE_DIR = os.environ.get("SLUICE_SOURCE_DIR",
                            os.path.join(os.path.dirname(__file__), "..", ".."))
SEED_PROJECT = os.path.join(SOURCE_DIR, "projects", "http-to-websocket")
CONFIG = os.path.join("src", "main", "synapse-config")
SEED_BACKEND = "ws://localhost:8082/websocket"
# 10,000 posts (the figure) take about 10 s here, sequentially over one keep-alive
# connection: curl, Sluice and the recording backend share two cores.
POSTS = 10000
NS = 'xmlns="http://ws.apache.org/ns/synapse"'


def copy_seed_project(root, http_port, backend_url, toml_extra="", proxy_edit=None):
    """projects/http-to-websocket copied into `root`, pointed at `backend_url`, with the HTTP
    listener on `http_port`; returns the copy's directory."""
    project = os.path.join(root, "http-to-websocket")
    shutil.copytree(SEED_PROJECT, project)
    dispatch = os.path.join(project, CONFIG, "sequences", "dispatchSeq.xml")
    with open(dispatch) as f:
        xml = f.read()
    assert SEED_BACKEND in xml
    with open(dispatch, "w") as f:
        f.write(xml.replace(SEED_BACKEND, backend_url))
    if proxy_edit:
        proxy = os.path.join(project, CONFIG, "proxy-services", "websocketProxy1.xml")
        with open(proxy) as f:
            xml = f.read()
        with open(proxy, "w") as f:
            f.write(proxy_edit(xml))
    with open(os.path.join(project, "deployment.toml"), "a") as f:
        f.write("\n[server]\nhttp_listener_port = %d\n%s" % (http_port, toml_extra))
    return project


def curl(*args, timeout=60):
    """Runs curl; returns (status code, body) of its last transfer."""
    result = subprocess.run(["curl", "-sS", "--max-time", "10", "-o", "-", "-w",
                             "\n%{http_code}", *args], capture_output=True, timeout=timeout)
    body, _, status = result.stdout.rpartition(b"\n")
    return int(status or b"0"), body


class SeedExample(object):
    """The seed project with a recording backend (or none) and Sluice running it."""

    def __init__(self, test, backend_args=("--mode", "silent"), backend=True, **project):
        self.work = Workdir(test)
        self.backend = self.work.backend(*backend_args) if backend else None
        backend_url = self.backend.url if backend else \
            "ws://127.0.0.1:%d/websocket" % free_port()
        for attempt in range(3):
            self.port = free_port()
            root = os.path.join(self.work.path, "try%d" % attempt)
            os.makedirs(root)
            self.project = copy_seed_project(root, self.port, backend_url, **project)
            try:
                self.sluice = self.work.sluice(self.project)
                break
            except AssertionError as error:
                # Another test may have taken the port between free_port() and the listen.
                if attempt == 2 or "cannot listen" not in str(error):
                    raise
        self.url = "http://127.0.0.1:%d/services/websocketProxy1" % self.port


class HttpToWebSocketTest(unittest.TestCase):
    def test_every_post_gets_202_and_reaches_the_backend_once_in_order(self):
        seed = SeedExample(self)
        config = os.path.join(seed.work.path, "posts.curl")
        with open(config, "w") as f:
            f.write("next\n".join(
                'url = "%s"\nheader = "Content-Type: application/json"\n'
                'data-binary = "{\\"seq\\":%d}"\noutput = "/dev/null"\n'
                'write-out = "%%{http_code}\\n"\n' % (seed.url, index) for index in range(POSTS)))
        started = time.monotonic()
        result = subprocess.run(["curl", "-sS", "--max-time", "10", "-K", config],
                                capture_output=True, text=True, timeout=300)
        elapsed = time.monotonic() - started
        self.assertEqual(result.returncode, 0, result.stderr[-500:])
        statuses = result.stdout.split()
        self.assertEqual(len(statuses), POSTS, result.stderr[-500:])
        self.assertEqual(set(statuses), {"202"})
        records = seed.backend.wait_events("message", POSTS, timeout=60)
        self.assertEqual([r["data"] for r in records],
                         ['{"seq":%d}' % i for i in range(POSTS)])
        self.assertTrue(all(r["kind"] == "text" for r in records))
        # Nothing more arrives (no duplicates), over the one backend connection of the worker
        # that served curl's keep-alive connection.
        time.sleep(0.3)
        self.assertEqual(len(seed.backend.events("message")), POSTS)
        self.assertEqual(len(seed.backend.events("open")), 1)
        print("\n%d posts answered in %.1f s (%.0f/s)" % (POSTS, elapsed, POSTS / elapsed))

    def test_json_xml_and_text_bodies_arrive_byte_identical(self):
        seed = SeedExample(self)
        bodies = [("application/json", '{"name":"sluice","n":[1,2,3],"u":"\u00e9\u20ac"}'),
                  ("application/xml", '<?xml version="1.0"?><order id="7"><item>a</item></order>'),
                  ("text/plain", "plain text, not JSON { nor <XML>")]
        for content_type, body in bodies:
            status, answer = curl("-H", "Content-Type: " + content_type,
                                  "--data-binary", body, seed.url)
            self.assertEqual(status, 202, answer)
            self.assertEqual(answer, b"")
        # Each curl call is a connection of its own, which any of the listener's workers may
        # serve, each with its own backend connection: the bodies need not arrive in the order
        # they were posted, so they are matched by content.
        records = seed.backend.wait_events("message", len(bodies))
        self.assertEqual(sorted((r["size"], r["sha256"]) for r in records),
                         sorted((len(body.encode()), hashlib.sha256(body.encode()).hexdigest())
                                for _, body in bodies))

    def test_octet_stream_and_non_utf8_bodies_go_as_binary_frames(self):
        seed = SeedExample(self)
        blob = os.urandom(4096)
        invalid = b"caf\xe9 not UTF-8"
        for content_type, body in (("application/octet-stream", blob), ("text/plain", invalid)):
            path = os.path.join(seed.work.path, "body.bin")
            with open(path, "wb") as f:
                f.write(body)
            status, _ = curl("-H", "Content-Type: " + content_type, "--data-binary", "@" + path,
                             seed.url)
            self.assertEqual(status, 202)
        # Two connections, possibly two workers and two backend connections: matched by content.
        records = seed.backend.wait_events("message", 2)
        self.assertEqual(sorted((r["kind"], r["sha256"]) for r in records),
                         sorted(("binary", hashlib.sha256(body).hexdigest())
                                for body in (blob, invalid)))

    def test_concurrent_clients_each_keep_their_order(self):
        seed = SeedExample(self)
        clients, posts = 4, 500
        processes = []
        for client in range(clients):
            config = os.path.join(seed.work.path, "client%d.curl" % client)
            with open(config, "w") as f:
                f.write("next\n".join(
                    'url = "%s"\ndata-binary = "c%d-%d"\noutput = "/dev/null"\n'
                    'write-out = "%%{http_code}\\n"\n' % (seed.url, client, index)
                    for index in range(posts)))
            processes.append(subprocess.Popen(["curl", "-sS", "--max-time", "10", "-K", config],
                                              stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                              text=True))
        for process in processes:
            out, err = process.communicate(timeout=120)
            self.assertEqual(process.returncode, 0, err)
            self.assertEqual(out.split(), ["202"] * posts)
        records = seed.backend.wait_events("message", clients * posts, timeout=60)
        for client in range(clients):
            mine = [r["data"] for r in records if r["data"].startswith("c%d-" % client)]
            self.assertEqual(mine, ["c%d-%d" % (client, i) for i in range(posts)])

    def test_backend_replies_go_to_the_senders_outflow_sequence(self):
        # The seed defines no outflowDispatchSeq (the sender's default): an echoed reply is
        # logged as dropped, by name, and nothing breaks.
        seed = SeedExample(self, backend_args=("--mode", "echo"))
        status, _ = curl("--data-binary", "hello", seed.url)
        self.assertEqual(status, 202)
        seed.backend.wait_events("message", 1)
        seed.sluice.wait_stderr(r"no outflow dispatch sequence 'outflowDispatchSeq' is "
                                r"deployed; backend message dropped")
        status, _ = curl("--data-binary", "again", seed.url)
        self.assertEqual(status, 202)
        self.assertEqual(len(seed.backend.wait_events("message", 2)), 2)

    def test_backend_down_answers_202_and_logs_the_failure(self):
        seed = SeedExample(self, backend=False)
        status, body = curl("--data-binary", "nobody listens", seed.url)
        self.assertEqual(status, 202, body)
        seed.sluice.wait_stderr(r"cannot connect to ws://127\.0\.0\.1:\d+/websocket")
        # As in MI, the undelivered message goes to the proxy's faultSequence (the seed's
        # outDispatchSeq, a full log of that very message), not to a fresh outflow message.
        seed.sluice.wait_stderr(r"Payload: nobody listens")
        # The proxy stays usable.
        status, _ = curl("--data-binary", "still here", seed.url)
        self.assertEqual(status, 202)


class ListenerAnswersTest(unittest.TestCase):
    def test_malformed_request_gets_400_and_oversized_body_413(self):
        seed = SeedExample(self, toml_extra="[transport.http]\nmax_request_bytes = 1024\n")
        with socket.create_connection(("127.0.0.1", seed.port), timeout=5) as s:
            s.sendall(b"POST /services/websocketProxy1 HTTP/1.1\r\nHost x\r\n\r\n")
            answer = b""
            while True:
                chunk = s.recv(4096)
                if not chunk:
                    break
                answer += chunk
        self.assertTrue(answer.startswith(b"HTTP/1.1 400 "), answer)
        status, body = curl("--data-binary", "x" * 2048, seed.url)
        self.assertEqual(status, 413, body)
        status, _ = curl("--data-binary", "x" * 1024, seed.url)
        self.assertEqual(status, 202)
        records = seed.backend.wait_events("message", 1)
        self.assertEqual(records[0]["size"], 1024)
        time.sleep(0.2)
        self.assertEqual(len(seed.backend.events("message")), 1)

    def test_start_on_load_false_keeps_the_proxy_off(self):
        seed = SeedExample(self, proxy_edit=lambda xml: xml.replace('startOnLoad="true"',
                                                                   'startOnLoad="false"'))
        status, body = curl("--data-binary", "hello", seed.url)
        self.assertEqual(status, 404, body)
        self.assertEqual(json.loads(body)["error"], "no service or API at this path")
        status, _ = curl("--data-binary", "hello", seed.url.replace("websocketProxy1", "other"))
        self.assertEqual(status, 404)
        self.assertEqual(seed.backend.events("message"), [])

    def test_port_in_use_fails_the_deployment_naming_the_port(self):
        work = Workdir(self)
        with socket.socket() as taken:
            taken.bind(("127.0.0.1", 0))
            taken.listen()
            port = taken.getsockname()[1]
            project = copy_seed_project(work.path, port, "ws://127.0.0.1:1/websocket")
            result = subprocess.run([SLUICE, "run", "--no-management", project],
                                    capture_output=True, text=True, timeout=30)
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("cannot listen on 127.0.0.1:%d" % port, result.stderr)
        self.assertIn("http_listener_port", result.stderr)
        self.assertNotIn("listening on", result.stdout)


RESPONDING_PROXY = """<?xml version="1.0" encoding="UTF-8"?>
<proxy {ns} name="{name}" transports="{transports}" startOnLoad="true">
    <target>
        <inSequence>
{body}
        </inSequence>
        <faultSequence>
            <log level="custom"><property name="PROXY_FAULT" expression="get-property('ERROR_MESSAGE')"/></log>
        </faultSequence>
    </target>
</proxy>
"""


class ProxyPropertiesTest(unittest.TestCase):
    def start(self, proxies, transports=None):
        work = Workdir(self)
        port = free_port()
        project = os.path.join(work.path, "project")
        folder = os.path.join(project, CONFIG, "proxy-services")
        os.makedirs(folder)
        for name, body in proxies.items():
            with open(os.path.join(folder, name + ".xml"), "w") as f:
                f.write(RESPONDING_PROXY.format(ns=NS, name=name, body=body,
                                                transports=(transports or {}).get(name, "http")))
        with open(os.path.join(project, "deployment.toml"), "w") as f:
            f.write("[server]\nhttp_listener_port = %d\n" % port)
        self.sluice = work.sluice(project)
        return "http://127.0.0.1:%d/services/" % port

    def test_respond_with_status_headers_and_request_details(self):
        base = self.start({"echo": """
            <property name="HTTP_SC" value="201" scope="axis2"/>
            <header name="X-Method" expression="get-property('axis2', 'HTTP_METHOD')" scope="transport"/>
            <header name="X-Postfix" expression="get-property('axis2', 'REST_URL_POSTFIX')" scope="transport"/>
            <header name="X-Echo" expression="$trp:X-In" scope="transport"/>
            <respond/>""",
                           "empty": """
            <property name="HTTP_SC" value="200" scope="axis2"/>
            <property name="NO_ENTITY_BODY" value="true" scope="axis2" type="BOOLEAN"/>
            <respond/>"""})
        result = subprocess.run(
            ["curl", "-sS", "--max-time", "10", "-D", "-", "-H", "X-In: from-client",
             "-H", "Content-Type: application/json", "--data-binary", '{"a":1}',
             base + "echo/orders/7?x=1"], capture_output=True, timeout=30)
        head, _, body = result.stdout.partition(b"\r\n\r\n")
        lines = head.decode().split("\r\n")
        self.assertTrue(lines[0].startswith("HTTP/1.1 201"), lines[0])
        headers = {l.split(":", 1)[0].lower(): l.split(":", 1)[1].strip() for l in lines[1:]}
        self.assertEqual(headers.get("x-method"), "POST")
        self.assertEqual(headers.get("x-postfix"), "/orders/7?x=1")
        self.assertEqual(headers.get("x-echo"), "from-client")
        self.assertEqual(headers.get("content-type"), "application/json")
        self.assertEqual(body, b'{"a":1}')
        # The request's own framing and client headers are not echoed back.
        self.assertNotIn("user-agent", headers)
        self.assertEqual(headers.get("content-length"), "7")
        status, body = curl("--data-binary", "ignored", base + "empty")
        self.assertEqual((status, body), (200, b""))

    def test_mediation_without_respond_gets_502_drop_202_and_faults_500_with_json(self):
        base = self.start({"silent": "<log level=\"custom\"><property name=\"X\" value=\"y\"/></log>",
                           "dropping": "<drop/>",
                           "broken": """
            <send><endpoint><address uri="ws://127.0.0.1:1/off"/></endpoint></send>"""})
        status, body = curl("--data-binary", "{}", base + "silent")
        self.assertEqual(status, 502, body)
        self.assertIn("without a response", json.loads(body)["error"])
        # MI: a drop on the request path answers 202 Accepted.
        self.assertEqual(curl("--data-binary", "{}", base + "dropping"), (202, b""))
        status, body = curl("-H", "Content-Type: application/json", "--data-binary", "{}",
                            base + "broken")
        self.assertEqual(status, 500, body)
        # The WebSocket sender is off (no [transport.ws] sender.enable): Synapse's 101501.
        self.assertEqual(json.loads(body)["code"], 101501)
        self.sluice.wait_stderr("PROXY_FAULT")

    def test_only_proxies_with_the_http_transport_are_served(self):
        # An https-only proxy needs a key store: test_https_listener.py shows it kept off this
        # listener.
        respond = "<respond/>"
        base = self.start({"plain": respond, "both": respond}, transports={"both": "https,http"})
        self.assertEqual(curl("--data-binary", "a", base + "plain"), (200, b"a"))
        self.assertEqual(curl("--data-binary", "b", base + "both"), (200, b"b"))


if __name__ == "__main__":
    unittest.main()
