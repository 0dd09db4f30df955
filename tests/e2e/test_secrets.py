# SPDX-License-Identifier: Apache-2.0
"""No secret leaves through what Sluice shows: known secret strings in a client's handshake
(Authorization, Cookie), in deployment.toml (a key store password) and the management token
must not appear in sluice's logs, in the recorded message events or in error messages, while
the headers are still seen to be there. python3-websockets and curl are the peers."""
import asyncio
import json
import os
import shutil
import subprocess
import tempfile
import unittest

import websockets

from peers.harness import SLUICE, Proxy, Workdir, run_async
from peers.management_fixture import ManagedRuntime

TOKEN = "S3cret-Known-Token-4711"
COOKIE = "session=S3cret-Known-Cookie-4711"
PASSWORD = "S3cret-Known-Password-4711"
HEADERS = {"Authorization": "Bearer " + TOKEN, "Cookie": COOKIE, "X-Trace": "visible-4711"}
SOURCE_DIR = os.environ.get("SLUICE_SOURCE_DIR",
                            os.path.dirname(os.path.dirname(os.path.dirname(
                                os.path.abspath(__file__)))))


class SecretsTest(unittest.TestCase):
    def test_handshake_credentials_are_redacted_in_events_and_logs(self):
        work = Workdir(self)
        runtime = ManagedRuntime(work)

        async def scenario():
            async with websockets.connect(runtime.ws_url, extra_headers=HEADERS) as ws:
                await ws.send("hello")
                self.assertEqual(await asyncio.wait_for(ws.recv(), 10), "hello")
        run_async(scenario())
        status, events, _ = runtime.curl("GET", "/management/events")
        self.assertEqual(status, 200)
        text = json.dumps(events)
        self.assertNotIn("S3cret", text)
        # The client's connection (the echo project's backend is a Sluice endpoint too).
        opened = [e for e in events if e.get("kind") == "connection-opened" and
                  "X-Trace" in e.get("headers", {})]
        self.assertEqual(len(opened), 1, text[:2000])
        headers = {k.lower(): v for k, v in opened[0]["headers"].items()}
        self.assertEqual(headers["authorization"], "Bearer [redacted]")
        self.assertEqual(headers["cookie"], "[redacted]")
        self.assertEqual(headers["x-trace"], "visible-4711")  # other headers as they came
        # Neither the client's secrets nor the management token are in sluice's own log.
        log = runtime.child.stderr_text()
        self.assertNotIn("S3cret", log)
        self.assertNotIn(runtime.token, log)

    def test_the_log_mediator_shows_that_credentials_came_not_what_they_are(self):
        proxy = Proxy(self, dispatch_extra='<log level="headers"/>')

        async def scenario():
            async with proxy.connect("/", extra_headers=HEADERS) as ws:
                await ws.send("hello")
                self.assertEqual(await asyncio.wait_for(ws.recv(), 10), "hello")
        run_async(scenario())
        proxy.sluice.wait_stderr(r"Authorization = Bearer \[redacted\]")
        log = proxy.sluice.stderr_text()
        self.assertIn("X-Trace = visible-4711", log)
        self.assertNotIn("S3cret", log)

    def test_a_wrong_key_store_password_is_not_in_the_error(self):
        root = tempfile.mkdtemp(prefix="sluice-secrets-")
        self.addCleanup(shutil.rmtree, root, True)
        project = os.path.join(root, "project")
        shutil.copytree(os.path.join(SOURCE_DIR, "projects", "http-to-websocket"), project)
        os.makedirs(os.path.join(project, "security"), exist_ok=True)
        key, cert = os.path.join(root, "k.pem"), os.path.join(root, "c.pem")
        subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout",
                        key, "-out", cert, "-days", "1", "-subj", "/CN=localhost"],
                       check=True, capture_output=True)
        subprocess.run(["openssl", "pkcs12", "-export", "-inkey", key, "-in", cert, "-out",
                        os.path.join(project, "security", "server.p12"), "-passout",
                        "pass:the-right-one"], check=True, capture_output=True)
        with open(os.path.join(project, "deployment.toml"), "a") as f:
            f.write('\n[server]\nhttps_listener_port = 18253\n\n[keystore.tls]\n'
                    'file_name = "security/server.p12"\npassword = "%s"\n' % PASSWORD)
        for argv in ([SLUICE, "validate", project],):
            done = subprocess.run(argv, capture_output=True, text=True, timeout=60)
            output = done.stdout + done.stderr
            self.assertIn("wrong password", output)
            self.assertNotIn(PASSWORD, output)


if __name__ == "__main__":
    unittest.main()
