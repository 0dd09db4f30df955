# SPDX-License-Identifier: Apache-2.0
"""REST APIs (<api> with <resource>) served by `sluice run` on the HTTP listener, with curl as
the client: projects/rest-api-echo copied with a port picked now, plus an API versioned in its
context, one whose resource faults, and one that a SIGHUP redeploy changes. Checks uri.var.* and
query.param.* as the mediation sees them, the REST_* properties, 404 / 405 (with Allow), OPTIONS
and HEAD, and that a bad uri-template is refused with file:line:col."""
import json
import os
import shutil
import signal
import socket
import subprocess
import unittest

from peers.harness import SLUICE, Workdir, free_port

SOURCE_DIR = os.environ.get("SLUICE_SOURCE_DIR",
                            os.path.join(os.path.dirname(__file__), "..", ".."))
SAMPLE = os.path.join(SOURCE_DIR, "projects", "rest-api-echo")
CONFIG = os.path.join("src", "main", "synapse-config")
NS = 'xmlns="http://ws.apache.org/ns/synapse"'

# version-type="context": {version} in the context is replaced by the version. Each resource
# answers with the properties the mediation sees, so the test reads them back.
PROPS_API = """<?xml version="1.0" encoding="UTF-8"?>
<api {ns} name="PropsAPI" context="/props/{{version}}" version="v2" version-type="context">
    <resource methods="GET PUT" uri-template="/items/{{+rest}}?tag={{tag}}">
        <inSequence>
            <payloadFactory media-type="json">
                <format>{{"rest":"$1","tag":"$2","other":"$3","method":"$4","full":"$5",
                    "context":"$6","sub":"$7","postfix":"$8","api":"$9"}}</format>
                <args>
                    <arg evaluator="xml" expression="get-property('uri.var.rest')"/>
                    <arg evaluator="xml" expression="get-property('uri.var.tag')"/>
                    <arg evaluator="xml" expression="get-property('query.param.other')"/>
                    <arg evaluator="xml" expression="get-property('REST_METHOD')"/>
                    <arg evaluator="xml" expression="get-property('REST_FULL_REQUEST_PATH')"/>
                    <arg evaluator="xml" expression="get-property('REST_API_CONTEXT')"/>
                    <arg evaluator="xml" expression="get-property('REST_SUB_REQUEST_PATH')"/>
                    <arg evaluator="xml" expression="get-property('axis2', 'REST_URL_POSTFIX')"/>
                    <arg evaluator="xml" expression="get-property('SYNAPSE_REST_API')"/>
                </args>
            </payloadFactory>
            <respond/>
        </inSequence>
    </resource>
    <!-- Synapse tries url-mapping resources before uri-template ones, whatever the order. -->
    <resource methods="GET" uri-template="/first/{{x}}">
        <inSequence>
            <payloadFactory media-type="text"><format>template</format><args/></payloadFactory>
            <respond/>
        </inSequence>
    </resource>
    <resource methods="GET" url-mapping="/first/*">
        <inSequence>
            <payloadFactory media-type="text"><format>mapping</format><args/></payloadFactory>
            <respond/>
        </inSequence>
    </resource>
    <resource methods="OPTIONS" uri-template="/custom-options">
        <inSequence>
            <property name="HTTP_SC" scope="axis2" value="204"/>
            <respond/>
        </inSequence>
    </resource>
</api>
"""

# hostname / port restrict an API to requests whose Host header names them.
HOST_API = """<?xml version="1.0" encoding="UTF-8"?>
<api {ns} name="HostAPI" context="/hosted" hostname="api.example" port="8080">
    <resource methods="GET">
        <inSequence>
            <payloadFactory media-type="text"><format>hosted</format><args/></payloadFactory>
            <respond/>
        </inSequence>
    </resource>
</api>
"""

# A fault in a resource's inSequence runs the resource's faultSequence.
FAULTING_API = """<?xml version="1.0" encoding="UTF-8"?>
<api {ns} name="FaultAPI" context="/faulty">
    <resource methods="GET" uri-template="/boom" faultSequence="apiFaultSeq">
        <inSequence>
            <!-- The WebSocket sender is off in this project (as MI's default): the send faults. -->
            <send><endpoint><address uri="ws://127.0.0.1:9/unused"/></endpoint></send>
        </inSequence>
    </resource>
</api>
"""

API_FAULT_SEQ = """<?xml version="1.0" encoding="UTF-8"?>
<sequence {ns} name="apiFaultSeq">
    <property name="HTTP_SC" scope="axis2" value="503"/>
    <payloadFactory media-type="text">
        <format>fault sequence ran for $1</format>
        <args><arg evaluator="xml" expression="get-property('SYNAPSE_REST_API')"/></args>
    </payloadFactory>
    <respond/>
</sequence>
"""

REDEPLOYED_API = """<?xml version="1.0" encoding="UTF-8"?>
<api {ns} name="SwapAPI" context="/swap">
    <resource methods="GET" uri-template="{template}">
        <inSequence>
            <payloadFactory media-type="text">
                <format>{text}</format>
                <args/>
            </payloadFactory>
            <respond/>
        </inSequence>
    </resource>
</api>
"""


def curl(*args):
    """Runs curl; returns (status code, headers as a lower-cased dict, body)."""
    result = subprocess.run(["curl", "-sS", "--max-time", "10", "-D", "-", "-o", "-", *args],
                            capture_output=True, timeout=30)
    raw = result.stdout
    head, _, body = raw.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1]) if lines and lines[0].startswith("HTTP/") else 0
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    return status, headers, body


def write(project, folder, name, xml):
    os.makedirs(os.path.join(project, CONFIG, folder), exist_ok=True)
    with open(os.path.join(project, CONFIG, folder, name + ".xml"), "w") as f:
        f.write(xml)


def make_project(root, port):
    """projects/rest-api-echo with the test's APIs, listening on `port`."""
    project = os.path.join(root, "rest-api-echo")
    shutil.copytree(SAMPLE, project)
    toml = os.path.join(project, "deployment.toml")
    with open(toml) as f:
        text = f.read()
    assert "http_listener_port = 8290" in text
    with open(toml, "w") as f:
        f.write(text.replace("http_listener_port = 8290", "http_listener_port = %d" % port))
    write(project, "api", "PropsAPI", PROPS_API.format(ns=NS))
    write(project, "api", "FaultAPI", FAULTING_API.format(ns=NS))
    write(project, "api", "HostAPI", HOST_API.format(ns=NS))
    write(project, "api", "SwapAPI", REDEPLOYED_API.format(ns=NS, template="/old",
                                                           text="before redeploy"))
    write(project, "sequences", "apiFaultSeq", API_FAULT_SEQ.format(ns=NS))
    return project


class RestApiTest(unittest.TestCase):
    def setUp(self):
        self.work = Workdir(self)
        for attempt in range(3):
            self.port = free_port()
            root = os.path.join(self.work.path, "try%d" % attempt)
            os.makedirs(root)
            self.project = make_project(root, self.port)
            try:
                self.sluice = self.work.sluice(self.project)
                break
            except AssertionError as error:
                # Another test may have taken the port between free_port() and the listen.
                if attempt == 2 or "cannot listen" not in str(error):
                    raise
        self.base = "http://127.0.0.1:%d" % self.port

    def get(self, path, *args):
        return curl(self.base + path, *args)

    def test_template_variable_and_query_parameter_reach_the_mediation(self):
        status, headers, body = self.get("/echo/1.0/orders/a%20b?fields=id%2Cname&x=1")
        self.assertEqual(status, 200, body)
        self.assertEqual(headers.get("content-type"), "application/json")
        self.assertEqual(json.loads(body), {"orderId": "a b", "fields": "id,name",
                                            "context": "/echo",
                                            "subPath": "/orders/a%20b?fields=id%2Cname&x=1"})

    def test_post_resource_gets_the_body_and_sets_the_status(self):
        status, _, body = self.get("/echo/1.0/orders", "-X", "POST", "-H",
                                   "Content-Type: application/json", "--data", '{"n":7}')
        self.assertEqual(status, 201, body)
        self.assertEqual(json.loads(body), {"n": 7})

    def test_url_mapping_prefix_with_a_named_sequence(self):
        status, _, body = self.get("/echo/1.0/files/docs/readme.txt")
        self.assertEqual(status, 200, body)
        self.assertEqual(body, b"/files/docs/readme.txt")
        status, _, _ = self.get("/echo/1.0/filesystem")
        self.assertEqual(status, 404)

    def test_version_in_the_context_reserved_and_query_template(self):
        status, _, body = self.get("/props/v2/items/a/b/c?other=o+k&tag=red", "-X", "PUT")
        self.assertEqual(status, 200, body)
        self.assertEqual(json.loads(body), {
            "rest": "a/b/c", "tag": "red", "other": "o k", "method": "PUT",
            "full": "/props/v2/items/a/b/c?other=o+k&tag=red", "context": "/props/v2",
            "sub": "/items/a/b/c?other=o+k&tag=red",
            "postfix": "/items/a/b/c?other=o+k&tag=red", "api": "PropsAPI"})
        # The template's query part is required; without it the path matches no resource.
        status, _, _ = self.get("/props/v2/items/a")
        self.assertEqual(status, 404)
        # The unversioned context is not served.
        status, _, body = self.get("/props/items/a?tag=x")
        self.assertEqual(status, 404, body)

    def test_url_mapping_resources_come_before_uri_templates(self):
        status, _, body = self.get("/props/v2/first/a")
        self.assertEqual((status, body), (200, b"mapping"))

    def test_hostname_and_port_need_a_matching_host_header(self):
        status, _, body = self.get("/hosted/x", "-H", "Host: api.example:8080")
        self.assertEqual((status, body), (200, b"hosted"))
        for host in ("other.example:8080", "api.example:9090", "api.example"):
            status, _, _ = self.get("/hosted/x", "-H", "Host: " + host)
            self.assertEqual(status, 404, host)

    def test_no_resource_for_the_path_is_404(self):
        status, headers, body = self.get("/echo/1.0/nothing/here")
        self.assertEqual(status, 404)
        self.assertEqual(headers.get("content-type"), "application/json")
        self.assertEqual(json.loads(body)["path"], "/echo/1.0/nothing/here")
        status, _, _ = self.get("/echo/2.0/orders/1")
        self.assertEqual(status, 404)

    def test_wrong_method_is_405_with_allow(self):
        status, headers, body = self.get("/echo/1.0/orders", "-X", "DELETE")
        self.assertEqual(status, 405, body)
        self.assertEqual(headers.get("allow"), "POST, OPTIONS")
        self.assertIn("DELETE", json.loads(body)["error"])
        status, headers, _ = self.get("/echo/1.0/orders/3", "-X", "POST", "--data", "x")
        self.assertEqual(status, 405)
        self.assertEqual(headers.get("allow"), "GET, HEAD, OPTIONS")

    def test_options_and_head(self):
        status, headers, body = self.get("/echo/1.0/orders/3", "-X", "OPTIONS")
        self.assertEqual(status, 200)
        self.assertEqual(headers.get("allow"), "GET, HEAD, OPTIONS")
        self.assertEqual(body, b"")
        # A resource that takes OPTIONS itself runs its mediation.
        status, _, _ = self.get("/props/v2/custom-options", "-X", "OPTIONS")
        self.assertEqual(status, 204)
        # HEAD runs the GET resource; the listener leaves the body out: the answer to a GET
        # sent right behind it on the same connection starts where HEAD's headers end.
        with socket.create_connection(("127.0.0.1", self.port), timeout=10) as sock:
            sock.sendall(b"HEAD /echo/1.0/orders/3 HTTP/1.1\r\nHost: x\r\n\r\n"
                         b"GET /echo/1.0/files/f HTTP/1.1\r\nHost: x\r\n"
                         b"Connection: close\r\n\r\n")
            received = b""
            while True:
                chunk = sock.recv(65536)
                if not chunk:
                    break
                received += chunk
        head, _, rest = received.partition(b"\r\n\r\n")
        self.assertTrue(head.startswith(b"HTTP/1.1 200"), received)
        self.assertIn(b"Content-Type: application/json", head)
        self.assertTrue(rest.startswith(b"HTTP/1.1 200"), received)
        self.assertTrue(rest.endswith(b"\r\n\r\n/files/f"), received)

    def test_fault_in_a_resource_runs_its_fault_sequence(self):
        status, _, body = self.get("/faulty/boom")
        self.assertEqual(status, 503, body)
        self.assertEqual(body, b"fault sequence ran for FaultAPI")

    def test_redeploy_swaps_the_routes(self):
        status, _, body = self.get("/swap/old")
        self.assertEqual((status, body), (200, b"before redeploy"))
        write(self.project, "api", "SwapAPI",
              REDEPLOYED_API.format(ns=NS, template="/new/{id}", text="after redeploy"))
        self.sluice.process.send_signal(signal.SIGHUP)
        self.sluice.wait_stderr_lines("redeployed", 1)
        status, _, body = self.get("/swap/new/1")
        self.assertEqual((status, body), (200, b"after redeploy"))
        status, _, _ = self.get("/swap/old")
        self.assertEqual(status, 404)


class BadApiTest(unittest.TestCase):
    def test_bad_uri_template_is_refused_with_its_location(self):
        work = Workdir(self)
        project = make_project(work.path, free_port())
        write(project, "api", "BadAPI", """<?xml version="1.0" encoding="UTF-8"?>
<api {ns} name="BadAPI" context="/bad">
    <resource methods="GET" uri-template="/x/{{id">
        <inSequence><respond/></inSequence>
    </resource>
</api>
""".format(ns=NS))
        result = subprocess.run([SLUICE, "run", "--no-management", project],
                                capture_output=True, text=True, timeout=30)
        self.assertNotEqual(result.returncode, 0)
        self.assertRegex(result.stderr,
                         r"BadAPI\.xml:3:5: api 'BadAPI': uri-template '/x/\{id': '\{' at "
                         r"position 4 is never closed")


if __name__ == "__main__":
    unittest.main()
