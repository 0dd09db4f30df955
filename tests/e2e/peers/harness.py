# SPDX-License-Identifier: Apache-2.0
"""What the WebSocket end-to-end tests share: test projects written with the ports a test picked,
`sluice run` and peer processes that are always bounded in time and always stopped, and a raw
RFC 6455 socket for what well-behaved client libraries refuse to send.

Every process started here dies with the test process (PR_SET_PDEATHSIG) and is killed by a
watchdog after its lifetime, so a failing or killed test never leaves a server behind.
"""
import base64
import contextlib
import ctypes
import hashlib
import json
import os
import re
import signal
import socket
import struct
import subprocess
import tempfile
import threading
import time

PYTHON = "/usr/bin/python3"
SLUICE = os.environ.get("SLUICE_BIN", "sluice")
E2E_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PEERS_DIR = os.path.join(E2E_DIR, "peers")
NODE_DIR = os.path.join(E2E_DIR, "node")

_LIBC = ctypes.CDLL(None, use_errno=True)
_PR_SET_PDEATHSIG = 1


def _die_with_parent():
    _LIBC.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)


def free_port():
    """A port nobody listens on right now (the kernel's pick, so parallel tests do not clash)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def port_is_listening(port):
    with socket.socket() as s:
        s.settimeout(0.5)
        return s.connect_ex(("127.0.0.1", port)) == 0


def wait_until(predicate, timeout, what, interval=0.02):
    """Polls `predicate` until it returns a true value (returned) or `timeout` runs out."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() >= deadline:
            raise AssertionError("timed out after %.1f s waiting for %s" % (timeout, what))
        time.sleep(interval)


class _Lines:
    """Collects the lines a child writes to a pipe, on a thread, for tests to wait on."""

    def __init__(self, stream, parse=None):
        self._lines = []
        self._parse = parse or (lambda line: line)
        self._cond = threading.Condition()
        self.closed = False
        self._thread = threading.Thread(target=self._read, args=(stream,), daemon=True)
        self._thread.start()

    def _read(self, stream):
        for raw in stream:
            line = raw.decode("utf-8", "replace").rstrip("\n")
            try:
                item = self._parse(line)
            except ValueError:
                item = {"event": "unparsed", "line": line}
            with self._cond:
                self._lines.append(item)
                self._cond.notify_all()
        with self._cond:
            self.closed = True
            self._cond.notify_all()

    def items(self):
        with self._cond:
            return list(self._lines)

    def wait_for(self, predicate, timeout, what):
        """The first item matching `predicate`, waiting up to `timeout` seconds for it."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                for item in self._lines:
                    if predicate(item):
                        return item
                remaining = deadline - time.monotonic()
                if remaining <= 0 or self.closed:
                    raise AssertionError("no %s within %.1f s; saw %r"
                                         % (what, timeout, self._lines[-20:]))
                self._cond.wait(remaining)

    def wait_count(self, predicate, count, timeout, what):
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                found = [item for item in self._lines if predicate(item)]
                if len(found) >= count:
                    return found
                remaining = deadline - time.monotonic()
                if remaining <= 0 or self.closed:
                    raise AssertionError("only %d of %d %s within %.1f s; saw %r"
                                         % (len(found), count, what, timeout, self._lines[-20:]))
                self._cond.wait(remaining)


class _Child:
    """A child process with a lifetime: killed by a watchdog when it runs out, and with us."""

    def __init__(self, argv, lifetime, stderr_path, cwd=None, env=None, new_session=False,
                 stdin=subprocess.DEVNULL):
        self.stderr_path = stderr_path
        self._stderr = open(stderr_path, "wb")
        self.process = subprocess.Popen(argv, stdin=stdin, stdout=subprocess.PIPE,
                                        stderr=self._stderr, cwd=cwd, env=env,
                                        preexec_fn=_die_with_parent,
                                        start_new_session=new_session)
        self._new_session = new_session
        self._watchdog = threading.Timer(lifetime, self.kill)
        self._watchdog.daemon = True
        self._watchdog.start()

    @property
    def pid(self):
        return self.process.pid

    def alive(self):
        return self.process.poll() is None

    def kill(self):
        if self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                if self._new_session:
                    os.killpg(self.process.pid, signal.SIGKILL)
                else:
                    self.process.kill()

    def terminate(self, timeout=10):
        """SIGTERM, then SIGKILL if it has not exited within `timeout`; the exit status."""
        if self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                if self._new_session:
                    os.killpg(self.process.pid, signal.SIGTERM)
                else:
                    self.process.terminate()
        try:
            self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.kill()
            self.process.wait(5)
        if self._new_session:
            # Helpers of the child (a browser's renderers) go with it: its whole group.
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(self.process.pid, signal.SIGKILL)
        return self.process.returncode

    def close(self):
        self.terminate()
        self._watchdog.cancel()
        self._stderr.close()
        for stream in (self.process.stdin, self.process.stdout):
            if stream:
                with contextlib.suppress(OSError):
                    stream.close()

    def stderr_text(self):
        with open(self.stderr_path, "rb") as f:
            return f.read().decode("utf-8", "replace")


class Sluice(_Child):
    """`sluice run PROJECT`, started and waited on until every inbound endpoint listens."""

    def __init__(self, project, workdir, listeners=1, lifetime=90, timeout=15, env=None):
        # No management API: these tests run in parallel and would share its default port and
        # the user's token file (test_management.py covers it with ports and files of its own).
        super().__init__([SLUICE, "run", "--no-management", project], lifetime,
                         os.path.join(workdir, "sluice-stderr.log"), env=env)
        self.stdout = _Lines(self.process.stdout)
        try:
            self.stdout.wait_count(lambda line: "listening on" in line, listeners, timeout,
                                   "'listening on' line(s) of sluice run")
        except AssertionError as error:
            self.close()
            raise AssertionError("%s\nsluice stderr:\n%s" % (error, self.stderr_text()))

    def wait_stderr(self, pattern, timeout=10):
        """The first match of the regular expression `pattern` in sluice's stderr."""
        regex = re.compile(pattern)
        return wait_until(lambda: regex.search(self.stderr_text()), timeout,
                          "/%s/ in sluice's stderr" % pattern)

    def wait_stderr_lines(self, text, count, timeout=10):
        """The first `count` lines of sluice's stderr that contain `text`."""
        def lines():
            found = [l for l in self.stderr_text().splitlines() if text in l]
            return found[:count] if len(found) >= count else None
        return wait_until(lines, timeout, "%d lines with %r in sluice's stderr" % (count, text))


class Backend(_Child):
    """tests/e2e/peers/ws_backend.py on a port of its own choosing; see its docstring."""

    def __init__(self, workdir, *args, lifetime=90, name="backend"):
        super().__init__([PYTHON, os.path.join(PEERS_DIR, "ws_backend.py"), "--port", "0",
                          "--lifetime", str(lifetime), *args], lifetime + 5,
                         os.path.join(workdir, name + "-stderr.log"))
        self.records = _Lines(self.process.stdout, json.loads)
        self.port = self.records.wait_for(lambda r: r.get("event") == "listening", 15,
                                          "backend listening record")["port"]
        self.url = "ws://127.0.0.1:%d/websocket" % self.port

    def events(self, event):
        return [r for r in self.records.items() if r.get("event") == event]

    def wait_event(self, event, timeout=10, **fields):
        return self.records.wait_for(
            lambda r: r.get("event") == event and all(r.get(k) == v for k, v in fields.items()),
            timeout, "backend %s record with %r" % (event, fields))

    def wait_events(self, event, count, timeout=10):
        return self.records.wait_count(lambda r: r.get("event") == event, count, timeout,
                                       "backend %s records" % event)


# --- test projects --------------------------------------------------------------------------

NS = 'xmlns="http://ws.apache.org/ns/synapse"'

DISPATCH_SEQ = """<?xml version="1.0" encoding="UTF-8"?>
<sequence name="dispatchSeq" {ns}>
    <property name="OUT_ONLY" value="true"/>
    <property name="FORCE_SC_ACCEPTED" scope="axis2" type="STRING" value="true"/>
    <property name="websocket.accept.contenType" scope="axis2" value="application/json"/>
    {extra}
    <send>
        <endpoint>
            <address uri="{backend}"/>
        </endpoint>
    </send>
</sequence>
"""

OUT_DISPATCH_SEQ = """<?xml version="1.0" encoding="UTF-8"?>
<sequence name="outDispatchSeq" {ns}>
    <respond/>
</sequence>
"""

OUT_FAULT_SEQ = """<?xml version="1.0" encoding="UTF-8"?>
<sequence name="outFaultSeq" {ns}>
    <log level="custom">
        <property name="FAULT" expression="get-property('ERROR_MESSAGE')"/>
        <property name="FAULT_CODE" expression="get-property('ERROR_CODE')"/>
    </log>
</sequence>
"""

FAULT_SEQ = """<?xml version="1.0" encoding="UTF-8"?>
<sequence name="fault" {ns}>
    <log level="custom">
        <property name="INBOUND_FAULT" expression="get-property('ERROR_MESSAGE')"/>
    </log>
</sequence>
"""


def inbound_xml(name, port, sequence, params=None, on_error="fault"):
    settings = {"inbound.ws.port": str(port), "inbound.ws.host": "127.0.0.1"}
    settings.update(params or {})
    lines = "\n".join('        <parameter name="%s">%s</parameter>' % (k, v)
                      for k, v in settings.items())
    return """<?xml version="1.0" encoding="UTF-8"?>
<inboundEndpoint {ns} name="{name}" sequence="{sequence}" onError="{on_error}" protocol="ws"
                 suspend="false">
    <parameters>
{lines}
    </parameters>
</inboundEndpoint>
""".format(ns=NS, name=name, sequence=sequence, on_error=on_error, lines=lines)


def write_project(root, sequences, inbounds):
    """Writes a project: {name: xml} sequences and inbound endpoints; returns its directory."""
    config = os.path.join(root, "project", "src", "main", "synapse-config")
    for folder, artifacts in (("sequences", sequences), ("inbound-endpoints", inbounds)):
        os.makedirs(os.path.join(config, folder), exist_ok=True)
        for name, xml in artifacts.items():
            with open(os.path.join(config, folder, name + ".xml"), "w") as f:
                f.write(xml)
    with open(os.path.join(root, "project", "deployment.toml"), "w") as f:
        f.write("[transport.ws]\nsender.enable = true\n")
    return os.path.join(root, "project")


def proxy_project(root, port, backend_url, level=0, params=None, dispatch_extra="",
                  sequences=None):
    """The seed's WebSocket-to-WebSocket proxy (inbound `websocket`, dispatchSeq sends to the
    backend, outDispatchSeq responds, outFaultSeq logs FAULT = ERROR_MESSAGE) on `port`."""
    all_sequences = {
        "dispatchSeq": DISPATCH_SEQ.format(ns=NS, backend=backend_url, extra=dispatch_extra),
        "outDispatchSeq": OUT_DISPATCH_SEQ.format(ns=NS),
        "outFaultSeq": OUT_FAULT_SEQ.format(ns=NS),
        "fault": FAULT_SEQ.format(ns=NS),
    }
    all_sequences.update(sequences or {})
    settings = {"ws.client.side.broadcast.level": str(level),
                "ws.outflow.dispatch.sequence": "outDispatchSeq",
                "ws.outflow.dispatch.fault.sequence": "outFaultSeq"}
    settings.update(params or {})
    return write_project(root, all_sequences,
                         {"websocket": inbound_xml("websocket", port, "dispatchSeq", settings)})


class Workdir:
    """A fresh temporary directory and the processes of one test, all cleaned up at the end."""

    def __init__(self, test):
        self._tmp = tempfile.TemporaryDirectory(prefix="sluice-e2e-")
        self.path = self._tmp.name
        self._children = []
        self._test = test
        test.addCleanup(self.cleanup)

    def track(self, child):
        self._children.append(child)
        return child

    def sluice(self, project, **kwargs):
        return self.track(Sluice(project, self.path, **kwargs))

    def backend(self, *args, **kwargs):
        kwargs.setdefault("name", "backend%d" % len(self._children))
        return self.track(Backend(self.path, *args, **kwargs))

    def node(self, url, **kwargs):
        kwargs.setdefault("name", "node%d" % len(self._children))
        return self.track(NodeClient(self.path, url, **kwargs))

    def child(self, argv, lifetime, name, **kwargs):
        return self.track(_Child(argv, lifetime, os.path.join(self.path, name + "-stderr.log"),
                                 **kwargs))

    def cleanup(self):
        for child in reversed(self._children):
            child.close()
        # A failed test shows what sluice logged (unittest has recorded the failure by now).
        result = getattr(getattr(self._test, "_outcome", None), "result", None)
        failed = any(test is self._test for test, _ in
                     getattr(result, "failures", []) + getattr(result, "errors", []))
        if failed or os.environ.get("SLUICE_E2E_KEEP"):
            for child in self._children:
                if isinstance(child, Sluice):
                    print("\n--- sluice stderr (%s) ---\n%s" % (self._test.id(),
                                                                  child.stderr_text()[-6000:]))
        self._tmp.cleanup()


# --- a raw RFC 6455 client ------------------------------------------------------------------

class RawWebSocket:
    """A client on a plain socket: sends what libraries refuse to (non-token subprotocols,
    invalid UTF-8) and shows the server's handshake answer and frames as they are."""

    def __init__(self, port, path="/", headers=None, timeout=5, rcvbuf=None):
        self.sock = socket.socket()
        self.sock.settimeout(timeout)
        if rcvbuf:
            # Before connecting: the window the client advertises is set by it, so that a
            # client that does not read fills up after a few KiB.
            self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
        self.sock.connect(("127.0.0.1", port))
        key = base64.b64encode(os.urandom(16)).decode()
        lines = ["GET %s HTTP/1.1" % path, "Host: 127.0.0.1:%d" % port, "Upgrade: websocket",
                 "Connection: Upgrade", "Sec-WebSocket-Key: " + key,
                 "Sec-WebSocket-Version: 13"]
        lines += ["%s: %s" % item for item in (headers or {}).items()]
        self.sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1"))
        head = b""
        while b"\r\n\r\n" not in head:
            chunk = self.sock.recv(4096)
            if not chunk:
                raise ConnectionError("closed during the handshake: %r" % head)
            head += chunk
        head, self._buffer = head.split(b"\r\n\r\n", 1)
        lines = head.decode("latin-1").split("\r\n")
        self.status_line = lines[0]
        self.status = int(lines[0].split()[1])
        self.headers = {}
        for line in lines[1:]:
            name, _, value = line.partition(":")
            self.headers[name.strip().lower()] = value.strip()
        expected = base64.b64encode(hashlib.sha1(
            (key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").encode()).digest()).decode()
        if self.status == 101 and self.headers.get("sec-websocket-accept") != expected:
            raise ConnectionError("bad Sec-WebSocket-Accept in %r" % head)

    def send_frame(self, opcode, payload, fin=True):
        mask = os.urandom(4)
        header = bytes([(0x80 if fin else 0) | opcode])
        if len(payload) < 126:
            header += bytes([0x80 | len(payload)])
        elif len(payload) < 65536:
            header += bytes([0x80 | 126]) + struct.pack("!H", len(payload))
        else:
            header += bytes([0x80 | 127]) + struct.pack("!Q", len(payload))
        # XORed as one big integer: byte by byte takes seconds for megabytes of frames.
        keys = (mask * (len(payload) // 4 + 1))[:len(payload)]
        masked = (int.from_bytes(payload, "big") ^ int.from_bytes(keys, "big")).to_bytes(
            len(payload), "big")
        self.sock.sendall(header + mask + masked)

    def send_text(self, text):
        self.send_frame(0x1, text.encode() if isinstance(text, str) else text)

    def _read(self, n):
        while len(self._buffer) < n:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise ConnectionError("connection closed by the server")
            self._buffer += chunk
        data, self._buffer = self._buffer[:n], self._buffer[n:]
        return data

    def read_frame(self):
        """(opcode, payload) of the next frame from the server (which never masks)."""
        first, second = self._read(2)
        length = second & 0x7F
        if length == 126:
            length = struct.unpack("!H", self._read(2))[0]
        elif length == 127:
            length = struct.unpack("!Q", self._read(8))[0]
        return first & 0x0F, self._read(length)

    def read_close(self):
        """(code, reason) of the server's close frame, skipping data frames before it."""
        while True:
            opcode, payload = self.read_frame()
            if opcode == 0x8:
                code = struct.unpack("!H", payload[:2])[0] if len(payload) >= 2 else 1005
                return code, payload[2:].decode("utf-8", "replace")

    def close(self):
        self.sock.close()


def http_get(port, path, timeout=5):
    """(status, headers, body) of a plain HTTP/1.1 GET, read until the server closes."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as s:
        s.sendall(("GET %s HTTP/1.1\r\nHost: 127.0.0.1:%d\r\n\r\n" % (path, port)).encode())
        data = b""
        while True:
            chunk = s.recv(65536)
            if not chunk:
                break
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    return int(lines[0].split()[1]), headers, body


def health(port):
    status, _, body = http_get(port, "/health")
    assert status == 200, status
    return json.loads(body)


# --- clients --------------------------------------------------------------------------------

def run_async(coroutine, timeout=60):
    """Runs a coroutine to completion, failing the test if it takes longer than `timeout`."""
    import asyncio

    async def bounded():
        return await asyncio.wait_for(coroutine, timeout)
    return asyncio.run(bounded())


def ws_connect(port, path="/", **kwargs):
    """A python3-websockets client connection to Sluice (use with `async with`)."""
    import websockets
    kwargs.setdefault("max_size", None)
    kwargs.setdefault("open_timeout", 10)
    kwargs.setdefault("close_timeout", 5)
    kwargs.setdefault("ping_interval", None)
    return websockets.connect("ws://127.0.0.1:%d%s" % (port, path), **kwargs)


async def closed_with(websocket, timeout=10):
    """(code, reason) once the server has closed `websocket` (messages still queued are
    skipped)."""
    import asyncio
    import websockets

    async def drain():
        try:
            while True:
                await websocket.recv()
        except websockets.ConnectionClosed:
            pass
    await asyncio.wait_for(drain(), timeout)
    await asyncio.wait_for(websocket.wait_closed(), timeout)
    return websocket.close_code, websocket.close_reason


class NodeClient(_Child):
    """tests/e2e/node/ws_client.js (Node.js and the npm `ws` package): commands as JSON lines on
    its stdin, events as JSON lines on its stdout."""

    def __init__(self, workdir, url, lifetime=60, name="node"):
        super().__init__(["node", os.path.join(NODE_DIR, "ws_client.js"), url, str(lifetime)],
                         lifetime + 5, os.path.join(workdir, name + "-stderr.log"),
                         stdin=subprocess.PIPE)
        self.events = _Lines(self.process.stdout, json.loads)
        self.events.wait_for(lambda e: e.get("event") in ("open", "error", "close"), 15,
                             "node client open")
        opened = self.events.items()[0]
        if opened.get("event") != "open":
            raise AssertionError("node client did not connect: %r" % opened)

    def command(self, **command):
        self.process.stdin.write((json.dumps(command) + "\n").encode())
        self.process.stdin.flush()

    def send_text(self, text):
        self.command(send="text", data=text)

    def send_binary(self, data):
        self.command(send="binary", data=base64.b64encode(data).decode())

    def messages(self):
        return [e for e in self.events.items() if e.get("event") == "message"]

    def wait_messages(self, count, timeout=10):
        return self.events.wait_count(lambda e: e.get("event") == "message", count, timeout,
                                      "node client messages")


def node_available():
    """Why the Node.js peer cannot run here, or None when it can."""
    import shutil
    if not shutil.which("node"):
        return "node is not installed"
    if not os.path.isdir(os.path.join(NODE_DIR, "node_modules", "ws")):
        return "tests/e2e/node/node_modules is missing (npm ci --prefix tests/e2e/node)"
    return None


class Proxy:
    """A python3-websockets backend (ws_backend.py) behind Sluice running the seed's
    WebSocket-to-WebSocket proxy on a port of its own; everything stopped at the test's end."""

    def __init__(self, test, backend_args=(), level=0, params=None, dispatch_extra="",
                 sequences=None, backend_url=None, env=None):
        self.work = Workdir(test)
        self.backend = None
        if backend_url is None:
            self.backend = self.work.backend(*backend_args)
            backend_url = self.backend.url
        self.backend_url = backend_url
        for attempt in range(3):
            self.port = free_port()
            self.project = proxy_project(self.work.path, self.port, backend_url, level=level,
                                         params=params, dispatch_extra=dispatch_extra,
                                         sequences=sequences)
            try:
                self.sluice = self.work.sluice(self.project, env=env)
                break
            except AssertionError as error:
                # Another test may have taken the port between free_port() and the listen.
                if attempt == 2 or "cannot listen" not in str(error):
                    raise
        self.url = "ws://127.0.0.1:%d" % self.port

    def connect(self, path="/", **kwargs):
        return ws_connect(self.port, path, **kwargs)
