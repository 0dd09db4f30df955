# SPDX-License-Identifier: Apache-2.0
"""The management API of `sluice run` against real clients (curl, python3-websockets): every
route refuses a missing or wrong token with 401 (the event stream before its upgrade), the token
file is private, artifacts and connections are listed, a connection can be closed, a broken
artifact is refused with file:line:col problems while the old one keeps serving, a fixed one and
a redeploy from disk, a project zip and a .car upload reach clients that stay connected (zip slip
refused), and the event stream delivers the events of a message in order, filtered by kind and
connection, telling a client that does not keep up how many it lost."""
import asyncio
import io
import json
import os
import signal
import socket
import stat
import subprocess
import unittest
import zipfile

import websockets

from peers.harness import SLUICE, Workdir, _Lines, closed_with, run_async
from peers.management_fixture import (BROKEN_DISPATCH_SEQ, CHANGED_DISPATCH_SEQ, SEQUENCES,
                                      ManagedRuntime, copy_echo_project)

DISPATCH_FILE = "sequences/dispatchSeq.xml"
QUOTED_DISPATCH_FILE = "sequences%2FdispatchSeq.xml"


async def echo(ws, text):
    await ws.send(text)
    return await asyncio.wait_for(ws.recv(), 10)


async def next_event(stream, timeout=10):
    return json.loads(await asyncio.wait_for(stream.recv(), timeout))


async def events_until(stream, predicate, timeout=10):
    """Events from the stream up to and including the first that matches `predicate`."""
    seen = []
    while True:
        event = await next_event(stream, timeout)
        seen.append(event)
        if predicate(event):
            return seen


def subscribed(runtime):
    """Returns once the streams opened so far are subscribed: the runtime subscribes a stream on
    its main thread right after the handshake, so any later answer from that thread comes after
    it."""
    status, _, _ = runtime.curl("GET", "/management/status")
    assert status == 200


class ManagementApiTest(unittest.TestCase):
    def setUp(self):
        self.workdir = Workdir(self)
        self.runtime = ManagedRuntime(self.workdir)

    # --- auth -------------------------------------------------------------------------------

    def test_every_route_refuses_a_missing_or_wrong_token_with_401(self):
        routes = [("GET", "/management/status"), ("GET", "/management/artifacts"),
                  ("GET", "/management/connections"), ("GET", "/management/events"),
                  ("POST", "/management/redeploy"), ("DELETE", "/management/connections/ws-1"),
                  ("PUT", "/management/artifacts/" + QUOTED_DISPATCH_FILE),
                  ("DELETE", "/management/artifacts/dispatchSeq")]
        for method, path in routes:
            for token in (None, "0" * 64, self.runtime.token[:-1]):
                status, body, headers = self.runtime.curl(method, path, token=token)
                self.assertEqual(status, 401, (method, path, token))
                self.assertIn("error", body)
                self.assertEqual(headers.get("www-authenticate"), 'Bearer realm="sluice"')
        # Nothing was changed by the refused calls.
        status, body, _ = self.runtime.curl("GET", "/management/status")
        self.assertEqual(status, 200)
        self.assertEqual(body["counters"]["deployments"], 1)

    def test_the_right_token_gets_the_status(self):
        status, body, headers = self.runtime.curl("GET", "/management/status")
        self.assertEqual(status, 200)
        self.assertIn("application/json", headers["content-type"])
        self.assertTrue(body["deployed"])
        self.assertEqual(os.path.realpath(body["project"]), os.path.realpath(self.runtime.project))
        ports = sorted(listener["port"] for listener in body["listeners"])
        self.assertIn(self.runtime.port, ports)
        self.assertEqual(len(ports), 2)  # the proxy and the echo backend
        for key in ("connectionsAccepted", "framesIn", "framesOut", "faults", "deployments"):
            self.assertIn(key, body["counters"])
        self.assertIn("lastId", body["events"])
        # The token as a query parameter (for browser WebSocket clients) works too.
        status, _, _ = self.runtime.curl("GET", "/management/status?token=" + self.runtime.token,
                                         token=None)
        self.assertEqual(status, 200)

    def test_the_token_file_is_private_and_holds_32_random_bytes_in_hex(self):
        self.assertEqual(self.runtime.logged_token_file, self.runtime.token_file)
        mode = stat.S_IMODE(os.stat(self.runtime.token_file).st_mode)
        self.assertEqual(mode, 0o600)
        directory_mode = stat.S_IMODE(os.stat(os.path.dirname(self.runtime.token_file)).st_mode)
        self.assertEqual(directory_mode, 0o700)
        self.assertRegex(self.runtime.token, r"^[0-9a-f]{64}$")

    def test_the_event_stream_refuses_a_client_without_token_with_401_before_upgrading(self):
        async def attempt(url, headers=None):
            try:
                async with websockets.connect(url, extra_headers=headers or {}, open_timeout=10):
                    return 101
            except websockets.exceptions.InvalidStatusCode as error:
                return error.status_code
        self.assertEqual(run_async(attempt(self.runtime.stream_url())), 401)
        self.assertEqual(run_async(attempt(self.runtime.stream_url(),
                                           {"Authorization": "Bearer " + "f" * 64})), 401)
        self.assertEqual(run_async(attempt(self.runtime.stream_url(token="nope"))), 401)
        self.assertEqual(run_async(attempt(self.runtime.stream_url(token=self.runtime.token))),
                         101)

    def test_a_body_over_the_limit_is_refused_before_it_is_sent_and_keep_alive_works(self):
        with socket.create_connection(("127.0.0.1", self.runtime.api_port), timeout=10) as s:
            s.sendall(b"POST /management/project HTTP/1.1\r\nHost: x\r\n"
                      b"Authorization: Bearer " + self.runtime.token.encode() +
                      b"\r\nContent-Length: 1000000000\r\n\r\n")
            answer = s.recv(4096)
        self.assertTrue(answer.startswith(b"HTTP/1.1 413 "), answer)
        # Two requests on one connection (curl reuses it): the second is answered as well.
        result = subprocess.run(
            ["curl", "-sS", "-v", "--max-time", "20", "-H", "Authorization: Bearer " +
             self.runtime.token, self.runtime.url + "/management/status",
             self.runtime.url + "/management/artifacts"], capture_output=True, timeout=30)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn(b"Re-using existing connection", result.stderr)
        status, artifacts = result.stdout.split(b"}[", 1)
        self.assertTrue(json.loads(status + b"}")["deployed"])
        self.assertIn("dispatchSeq", [a["name"] for a in json.loads(b"[" + artifacts)])

    # --- artifacts and connections --------------------------------------------------------

    def test_artifacts_and_connections_are_listed_and_a_connection_can_be_closed(self):
        status, artifacts, _ = self.runtime.curl("GET", "/management/artifacts")
        self.assertEqual(status, 200)
        kinds = {artifact["name"]: artifact["kind"] for artifact in artifacts}
        self.assertEqual(kinds.get("dispatchSeq"), "sequence")
        self.assertEqual(kinds.get("outDispatchSeq"), "sequence")
        self.assertEqual(kinds.get("websocket"), "inboundEndpoint")
        self.assertEqual(kinds.get("echoBackend"), "inboundEndpoint")
        files = {artifact["name"]: artifact["file"] for artifact in artifacts}
        self.assertTrue(files["dispatchSeq"].endswith("dispatchSeq.xml"), files)

        async def scenario():
            async with websockets.connect(self.runtime.ws_url) as first, \
                    websockets.connect(self.runtime.ws_url) as second:
                self.assertEqual(await echo(first, "one"), "one")
                self.assertEqual(await echo(second, "two"), "two")
                first_id = self.runtime.connection_id_of(first)
                second_id = self.runtime.connection_id_of(second)
                _, connections, _ = self.runtime.curl("GET", "/management/connections")
                by_id = {c["id"]: c for c in connections}
                client = by_id[first_id]
                self.assertEqual(client["artifact"], "websocket")
                self.assertEqual(client["path"], "/websocket")
                self.assertGreaterEqual(client["framesIn"], 1)
                self.assertGreaterEqual(client["framesOut"], 1)
                backends = [c for c in connections if c["peer"] == "backend"
                            and c.get("clientId") == first_id]
                self.assertEqual(len(backends), 1, connections)

                status, _, _ = self.runtime.curl(
                    "DELETE", "/management/connections/%s?code=4001&reason=bye%%20now" % first_id)
                self.assertEqual(status, 204)
                self.assertEqual(await closed_with(first), (4001, "bye now"))
                # The other client is untouched.
                self.assertEqual(await echo(second, "still here"), "still here")
                _, connections, _ = self.runtime.curl("GET", "/management/connections")
                ids = {c["id"] for c in connections}
                self.assertNotIn(first_id, ids)
                self.assertIn(second_id, ids)
        run_async(scenario())
        status, body, _ = self.runtime.curl("DELETE", "/management/connections/ws-999999")
        self.assertEqual(status, 404)
        self.assertIn("ws-999999", body["error"])

    # --- deploy ---------------------------------------------------------------------------

    def test_a_broken_sequence_is_refused_and_a_fixed_one_reaches_a_connected_client(self):
        async def scenario():
            async with websockets.connect(self.runtime.ws_url) as client:
                self.assertEqual(await echo(client, "before"), "before")

                status, body, _ = self.runtime.curl(
                    "PUT", "/management/artifacts/" + QUOTED_DISPATCH_FILE,
                    body=BROKEN_DISPATCH_SEQ)
                self.assertEqual(status, 422, body)
                problems = [p for p in body["problems"] if p["severity"] == "error"]
                self.assertTrue(problems, body)
                self.assertEqual(problems[0]["file"], DISPATCH_FILE)
                self.assertEqual((problems[0]["line"], problems[0]["column"] > 0), (3, True))
                self.assertIn("frobnicate", problems[0]["message"])
                # The old sequence still serves the same, still connected, client.
                self.assertEqual(await echo(client, "after refusal"), "after refusal")

                status, body, _ = self.runtime.curl(
                    "PUT", "/management/artifacts/" + QUOTED_DISPATCH_FILE,
                    body=CHANGED_DISPATCH_SEQ % "put")
                self.assertEqual(status, 200, body)
                self.assertEqual(body["counters"]["deployments"], 2)
                self.assertEqual(json.loads(await echo(client, "after fix")), {"changed": "put"})
        run_async(scenario())

    def test_an_artifact_is_added_and_removed_and_a_referenced_one_is_kept(self):
        extra = ('<sequence name="extraSeq" xmlns="http://ws.apache.org/ns/synapse">'
                 '<log/></sequence>')
        status, body, _ = self.runtime.curl("PUT", "/management/artifacts/extraSeq.xml",
                                            body=extra)
        self.assertEqual(status, 200, body)
        _, artifacts, _ = self.runtime.curl("GET", "/management/artifacts")
        self.assertIn("extraSeq", [a["name"] for a in artifacts])
        status, body, _ = self.runtime.curl("DELETE", "/management/artifacts/extraSeq")
        self.assertEqual(status, 204, body)
        _, artifacts, _ = self.runtime.curl("GET", "/management/artifacts")
        self.assertNotIn("extraSeq", [a["name"] for a in artifacts])
        status, body, _ = self.runtime.curl("DELETE", "/management/artifacts/extraSeq")
        self.assertEqual(status, 404, body)
        # The inbound endpoint still names outDispatchSeq: refused, with where it is named.
        status, body, _ = self.runtime.curl("DELETE", "/management/artifacts/outDispatchSeq")
        self.assertEqual(status, 409, body)
        self.assertTrue(any(p["file"].endswith("websocket.xml") and p["line"] > 0
                            for p in body["problems"]), body)
        _, artifacts, _ = self.runtime.curl("GET", "/management/artifacts")
        self.assertIn("outDispatchSeq", [a["name"] for a in artifacts])
        status, body, _ = self.runtime.curl("PUT", "/management/artifacts/x.xml", body="not xml")
        self.assertEqual(status, 422, body)
        self.assertEqual((body["problems"][0]["file"], body["problems"][0]["line"]),
                         ("x.xml", 1))

    def test_redeploy_reloads_the_project_from_disk_and_keeps_clients_connected(self):
        path = os.path.join(self.runtime.project, SEQUENCES, "dispatchSeq.xml")

        async def scenario():
            async with websockets.connect(self.runtime.ws_url) as client:
                self.assertEqual(await echo(client, "before"), "before")
                with open(path, "w") as f:
                    f.write(BROKEN_DISPATCH_SEQ)
                status, body, _ = self.runtime.curl("POST", "/management/redeploy")
                self.assertEqual(status, 422, body)
                self.assertTrue(any(p["file"].endswith("dispatchSeq.xml") and p["line"] == 3
                                    for p in body["problems"]), body)
                self.assertEqual(await echo(client, "old still"), "old still")

                with open(path, "w") as f:
                    f.write(CHANGED_DISPATCH_SEQ % "disk")
                status, body, _ = self.runtime.curl("POST", "/management/redeploy")
                self.assertEqual(status, 200, body)
                self.assertEqual(json.loads(await echo(client, "new")), {"changed": "disk"})
        run_async(scenario())

    def test_a_project_zip_is_deployed_atomically_and_zip_slip_is_refused(self):
        def project_zip(dispatch, extra=None):
            buffer = io.BytesIO()
            with zipfile.ZipFile(buffer, "w") as archive:
                for folder, _, files in os.walk(self.runtime.project):
                    for name in files:
                        full = os.path.join(folder, name)
                        relative = os.path.relpath(full, self.runtime.project)
                        if relative.endswith("dispatchSeq.xml"):
                            archive.writestr(relative, dispatch)
                        else:
                            archive.write(full, relative)
                for name, data in (extra or {}).items():
                    archive.writestr(name, data)
            return buffer.getvalue()

        async def scenario():
            async with websockets.connect(self.runtime.ws_url) as client:
                self.assertEqual(await echo(client, "before"), "before")
                status, body, _ = self.runtime.curl(
                    "POST", "/management/project", content_type="application/zip",
                    body=project_zip(CHANGED_DISPATCH_SEQ % "zip", {"../escaped.txt": "x"}))
                self.assertEqual(status, 422, body)
                self.assertTrue(any("escaped.txt" in p["message"] for p in body["problems"]),
                                body)
                self.assertFalse(os.path.exists(os.path.join(self.workdir.path, "data",
                                                             "escaped.txt")))
                self.assertEqual(await echo(client, "old still"), "old still")

                status, body, _ = self.runtime.curl(
                    "POST", "/management/project", content_type="application/zip",
                    body=project_zip(BROKEN_DISPATCH_SEQ))
                self.assertEqual(status, 422, body)
                self.assertEqual(await echo(client, "old again"), "old again")

                status, body, _ = self.runtime.curl(
                    "POST", "/management/project", content_type="application/zip",
                    body=project_zip(CHANGED_DISPATCH_SEQ % "zip"))
                self.assertEqual(status, 200, body)
                self.assertEqual(json.loads(await echo(client, "new")), {"changed": "zip"})
        run_async(scenario())

    def test_a_car_upload_is_deployed_with_clients_kept(self):
        config = os.path.join(self.runtime.project, "src", "main", "synapse-config")
        artifacts = {  # name: (CAR type, file in the project, replacement text)
            "websocket": ("synapse/inbound-endpoint",
                          os.path.join(config, "inbound-endpoints", "websocket.xml"), None),
            "dispatchSeq": ("synapse/sequence", None, CHANGED_DISPATCH_SEQ % "car"),
            "outDispatchSeq": ("synapse/sequence",
                               os.path.join(config, "sequences", "outDispatchSeq.xml"), None),
            # The echo backend stays: removing it would close the client's backend connection,
            # and with it the client.
            "echoBackend": ("synapse/inbound-endpoint",
                            os.path.join(config, "inbound-endpoints", "echoBackend.xml"), None),
            "echoBackendSeq": ("synapse/sequence",
                               os.path.join(config, "sequences", "echoBackendSeq.xml"), None),
        }
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as car:
            dependencies = "".join('<dependency artifact="%s" version="1.0.0"/>' % name
                                   for name in artifacts)
            car.writestr("artifacts.xml",
                         '<artifacts><artifact name="echoApp" version="1.0.0" '
                         'type="carbon/application">%s</artifact></artifacts>' % dependencies)
            for name, (kind, path, text) in artifacts.items():
                folder = "%s_1.0.0/" % name
                car.writestr(folder + "artifact.xml",
                             '<artifact name="%s" version="1.0.0" type="%s">'
                             '<file>%s-1.0.0.xml</file></artifact>' % (name, kind, name))
                if text is None:
                    with open(path) as f:
                        text = f.read()
                car.writestr("%s%s-1.0.0.xml" % (folder, name), text)

        async def scenario():
            async with websockets.connect(self.runtime.ws_url) as client:
                self.assertEqual(await echo(client, "before"), "before")
                status, body, _ = self.runtime.curl("POST", "/management/project",
                                                    content_type="application/zip",
                                                    body=buffer.getvalue())
                self.assertEqual(status, 200, body)
                self.assertTrue(body["project"].endswith("project.car"), body)
                self.assertEqual(json.loads(await echo(client, "new")), {"changed": "car"})
        run_async(scenario())

    # --- events ---------------------------------------------------------------------------

    def test_the_event_stream_delivers_a_messages_events_in_order_with_filters(self):
        auth = {"Authorization": "Bearer " + self.runtime.token}

        async def scenario():
            async with websockets.connect(self.runtime.ws_url) as client, \
                    websockets.connect(self.runtime.ws_url) as other:
                client_id = self.runtime.connection_id_of(client)
                other_id = self.runtime.connection_id_of(other)
                async with websockets.connect(self.runtime.stream_url(connection=client_id),
                                              extra_headers=auth) as stream, \
                        websockets.connect(self.runtime.stream_url(kind="frame-in"),
                                           extra_headers=auth) as frames_in:
                    subscribed(self.runtime)
                    self.assertEqual(await echo(other, "not mine"), "not mine")
                    self.assertEqual(await echo(client, "hello"), "hello")
                    # The whole path of "hello": in from the client, the dispatch sequence's
                    # mediators, out to the backend, back in, the outflow sequence, out to the
                    # client; every event about the client's connection.
                    seen = await events_until(
                        stream, lambda e: e["kind"] == "frame-out" and e.get("peer") == "client")
                    self.assertTrue(all(e.get("connection") == client_id for e in seen), seen)
                    steps = [(e["kind"], e.get("peer") or e.get("mediator")) for e in seen
                             if e["kind"] in ("frame-in", "frame-out", "mediator")]
                    self.assertEqual(steps[0], ("frame-in", "client"), steps)
                    mediators = [m for k, m in steps if k == "mediator"]
                    self.assertEqual(mediators[:4], ["property", "property", "property", "send"],
                                     steps)
                    out_to_backend = steps.index(("frame-out", "backend"))
                    in_from_backend = steps.index(("frame-in", "backend"))
                    self.assertLess(steps.index(("mediator", "send")), out_to_backend)
                    self.assertLess(out_to_backend, in_from_backend)
                    self.assertIn(("mediator", "log"), steps[in_from_backend:])
                    self.assertEqual(steps[-1], ("frame-out", "client"))
                    ids = [e["id"] for e in seen]
                    self.assertEqual(ids, sorted(ids))
                    client_in = seen[0]
                    self.assertEqual(client_in.get("payload"), "hello")
                    self.assertEqual(client_in.get("size"), 5)

                    # The kind filter: only frame-in events, of every connection (the echo
                    # backend's own inbound connections included).
                    kinds_seen = await events_until(
                        frames_in, lambda e: e.get("connection") == client_id)
                    self.assertEqual({e["kind"] for e in kinds_seen}, {"frame-in"})
                    self.assertIn(other_id, {e["connection"] for e in kinds_seen})

                # The recorded events through REST, with the same filters.
                status, recorded, _ = self.runtime.curl(
                    "GET", "/management/events?connection=%s&kind=frame-in,frame-out" % client_id)
                self.assertEqual(status, 200)
                self.assertEqual([(e["kind"], e["peer"]) for e in recorded],
                                 [("frame-in", "client"), ("frame-out", "backend"),
                                  ("frame-in", "backend"), ("frame-out", "client")])
                status, page, _ = self.runtime.curl(
                    "GET", "/management/events?since=%d&limit=1" % recorded[0]["id"])
                self.assertEqual(status, 200)
                self.assertEqual(len(page), 1)
                self.assertGreater(page[0]["id"], recorded[0]["id"])
        run_async(scenario())
        status, body, _ = self.runtime.curl("GET", "/management/events?kind=sideways")
        self.assertEqual(status, 400)
        self.assertIn("sideways", body["error"])

    def test_a_stream_client_that_does_not_read_loses_events_and_is_told_how_many(self):
        auth = {"Authorization": "Bearer " + self.runtime.token}
        payload = "x" * 2000  # each event carries the payload prefix: the stream fills fast

        async def scenario():
            # max_queue=1 and a small read limit: the client stops reading from its socket as
            # soon as it holds one unread frame, so the runtime's side fills up.
            async with websockets.connect(self.runtime.stream_url(kind="frame-in,frame-out"),
                                          extra_headers=auth, max_queue=1,
                                          read_limit=2 ** 12) as stream, \
                    websockets.connect(self.runtime.ws_url) as client:
                subscribed(self.runtime)
                for _ in range(3000):
                    await client.send(payload)
                for _ in range(3000):
                    await asyncio.wait_for(client.recv(), 20)
                # The runtime kept serving the client at full speed; now read the stream.
                dropped = 0
                events = 0
                while True:
                    try:
                        frame = json.loads(await asyncio.wait_for(stream.recv(), 2))
                    except asyncio.TimeoutError:
                        break
                    if "dropped" in frame:
                        dropped += frame["dropped"]
                    else:
                        events += 1
                return dropped, events
        dropped, events = run_async(scenario(), timeout=120)
        # 3000 messages make 4 frame events each (client in, backend out and in, client out)
        # plus 2 on the echo backend's own connection: every event was either sent or counted.
        self.assertGreater(dropped, 0)
        self.assertEqual(dropped + events, 3000 * 6)


class ManagementOptionsTest(unittest.TestCase):
    def test_no_management_starts_no_api_and_makes_no_token(self):
        workdir = Workdir(self)
        project, _ = copy_echo_project(workdir.path)
        token_file = os.path.join(workdir.path, "config", "management-token")
        env = dict(os.environ, SLUICE_MANAGEMENT_TOKEN_FILE=token_file)
        child = workdir.child([SLUICE, "run", "--no-management", project], lifetime=60,
                              name="sluice", env=env)
        lines = _Lines(child.process.stdout)
        lines.wait_count(lambda line: "listening on" in line, 2, 15, "listening lines")
        child.process.send_signal(signal.SIGTERM)
        self.assertEqual(child.process.wait(15), 0)
        self.assertNotIn("management API", child.stderr_text())
        self.assertFalse(os.path.exists(token_file))

    def test_a_bad_management_port_is_a_usage_error(self):
        result = subprocess.run([SLUICE, "run", "--management-port", "http", "x"],
                                capture_output=True, text=True, timeout=30)
        self.assertEqual(result.returncode, 2)
        self.assertIn("--management-port must be 0-65535, not 'http'", result.stderr)


if __name__ == "__main__":
    unittest.main()
