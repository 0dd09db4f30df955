# SPDX-License-Identifier: Apache-2.0
"""A running copy of projects/websocket-echo with its management API, for the management API and
`sluice logs` tests: free ports written into the copy, the token file and data directory in the
test's temporary directory, and curl for the REST calls (a real HTTP client)."""
import json
import os
import re
import shutil
import subprocess
import urllib.parse

from peers.harness import SLUICE, _Lines, free_port, wait_until

SOURCE_DIR = os.environ.get("SLUICE_SOURCE_DIR",
                            os.path.join(os.path.dirname(__file__), "..", "..", ".."))
ECHO_PROJECT = os.path.join(SOURCE_DIR, "projects", "websocket-echo")
SEQUENCES = os.path.join("src", "main", "synapse-config", "sequences")

# dispatchSeq with a behaviour a client can tell apart from the echo: a fixed reply.
CHANGED_DISPATCH_SEQ = """<?xml version="1.0" encoding="UTF-8"?>
<sequence name="dispatchSeq" xmlns="http://ws.apache.org/ns/synapse">
    <payloadFactory media-type="json">
        <format>{"changed":"%s"}</format>
        <args/>
    </payloadFactory>
    <respond/>
</sequence>
"""

# Well-formed XML with a mediator nobody knows, on line 3.
BROKEN_DISPATCH_SEQ = """<?xml version="1.0" encoding="UTF-8"?>
<sequence name="dispatchSeq" xmlns="http://ws.apache.org/ns/synapse">
    <frobnicate level="full"/>
    <respond/>
</sequence>
"""


def copy_echo_project(root):
    """projects/websocket-echo under `root` with free ports; returns (path, client port)."""
    project = os.path.join(root, "websocket-echo")
    shutil.copytree(ECHO_PROJECT, project)
    inbound_port, backend_port = free_port(), free_port()
    config = os.path.join(project, "src", "main", "synapse-config")
    replacements = {
        os.path.join(config, "inbound-endpoints", "websocket.xml"): [(">9092<", ">%d<" % inbound_port)],
        os.path.join(config, "inbound-endpoints", "echoBackend.xml"): [(">8082<", ">%d<" % backend_port)],
        os.path.join(config, "sequences", "dispatchSeq.xml"): [("localhost:8082", "127.0.0.1:%d" % backend_port)],
    }
    for path, pairs in replacements.items():
        with open(path) as f:
            text = f.read()
        for old, new in pairs:
            assert old in text, "%s no longer holds %s" % (path, old)
            text = text.replace(old, new)
        with open(path, "w") as f:
            f.write(text)
    # Recorded events (the ring buffer) for GET /management/events and `sluice logs`.
    with open(os.path.join(project, "deployment.toml"), "a") as f:
        f.write("\n[events]\nrecord = true\n")
    return project, inbound_port


class ManagedRuntime:
    """`sluice run --management-port 0` on a copy of the echo project, stopped by cleanup."""

    def __init__(self, workdir, prepare=None, **extra_env):
        """`prepare(project)`: changes the copy before it runs; `extra_env`: for the runtime."""
        self.workdir = workdir
        self.project, self.port = copy_echo_project(workdir.path)
        if prepare:
            prepare(self.project)
        self.token_file = os.path.join(workdir.path, "config", "sluice", "management-token")
        self.env = dict(os.environ, SLUICE_MANAGEMENT_TOKEN_FILE=self.token_file,
                        SLUICE_DATA_DIR=os.path.join(workdir.path, "data"), **extra_env)
        self.child = workdir.child([SLUICE, "run", "--management-port", "0", self.project],
                                   lifetime=120, name="sluice", env=self.env)
        self.stdout = _Lines(self.child.process.stdout)
        found = wait_until(lambda: self._listening_line(), 15,
                           "the 'management API listening' line")
        self.api_port = int(found.group(1))
        self.url = "http://127.0.0.1:%d" % self.api_port
        self.logged_token_file = found.group(2)
        with open(self.token_file) as f:
            self.token = f.read().strip()

    def _listening_line(self):
        if not self.child.alive():
            raise AssertionError("sluice run exited:\n" + self.child.stderr_text())
        return re.search(r"management API listening on http://127\.0\.0\.1:(\d+) \(token in (.+)\)",
                         self.child.stderr_text())

    @property
    def ws_url(self):
        return "ws://127.0.0.1:%d/websocket" % self.port

    def stream_url(self, **query):
        url = "ws://127.0.0.1:%d/management/events/stream" % self.api_port
        return url + ("?" + urllib.parse.urlencode(query) if query else "")

    def curl(self, method, path, token=True, body=None, content_type=None):
        """(status, parsed JSON body or None, headers dict with lower-case names)."""
        argv = ["curl", "-sS", "-X", method, "-D", "-", "--max-time", "30", self.url + path]
        if token is True:
            token = self.token
        if token:
            argv += ["-H", "Authorization: Bearer " + token]
        if body is not None:
            argv += ["--data-binary", "@-", "-H", "Content-Type: " + (content_type or "application/xml")]
        result = subprocess.run(argv, input=body if isinstance(body, bytes) else
                                (body.encode() if body is not None else None),
                                capture_output=True, timeout=40)
        if result.returncode != 0:
            raise AssertionError("curl %s %s failed: %s" % (method, path, result.stderr.decode()))
        head, _, payload = result.stdout.partition(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split()[1])
        headers = {}
        for line in lines[1:]:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        parsed = json.loads(payload) if payload.strip() else None
        return status, parsed, headers

    def connection_id_of(self, websocket):
        """The runtime's id for a python3-websockets client, found by its local port."""
        local = "%s:%d" % websocket.local_address[:2]

        def find():
            _, connections, _ = self.curl("GET", "/management/connections")
            return next((c["id"] for c in connections
                         if c["peer"] == "client" and c["remoteAddress"] == local), None)
        return wait_until(find, 10, "the connection of %s in /management/connections" % local)
