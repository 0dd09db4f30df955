# SPDX-License-Identifier: Apache-2.0
"""The secure sample, projects/secure-websocket, as a user runs it: scripts/make-test-certs makes
the CA and the certificates in a copy of the project, a python3-websockets wss backend
(peers/ws_backend.py) serves the server certificate, and `sluice run` runs the copy with ports
picked now. Peers: a python3-websockets wss client trusting the generated CA (wss in, wss out)
and curl --cacert (https in, wss out). Also: the key store password never shows in sluice's
output, and without the certificates `sluice validate` names the missing store."""
import asyncio
import os
import re
import secrets
import shutil
import ssl
import subprocess
import unittest

from peers.harness import SLUICE, Workdir, free_port, run_async
from test_http_proxy import CONFIG, curl

SOURCE_DIR = os.environ.get("SLUICE_SOURCE_DIR",
                            os.path.join(os.path.dirname(__file__), "..", ".."))
SAMPLE = os.path.join(SOURCE_DIR, "projects", "secure-websocket")
MAKE_TEST_CERTS = os.path.join(SOURCE_DIR, "scripts", "make-test-certs")
PASSWORD_VARIABLE = "SECURE_WEBSOCKET_KEYSTORE_PASSWORD"
# The sample's fixed ports, rewritten in the copy.
SAMPLE_BACKEND = "wss://localhost:8082/websocket"
SAMPLE_INBOUND_PORT = '<parameter name="inbound.ws.port">9092</parameter>'
SAMPLE_HTTPS_PORT = "https_listener_port = 8253"


def rewrite(path, old, new):
    with open(path) as f:
        text = f.read()
    assert old in text, "%s no longer has %r" % (path, old)
    with open(path, "w") as f:
        f.write(text.replace(old, new))


def copy_sample(root):
    project = os.path.join(root, "secure-websocket")
    # The user's own certs/ (ignored by git) is not part of the sample.
    shutil.copytree(SAMPLE, project, ignore=shutil.ignore_patterns("certs"))
    return project


def make_test_certs(project, password):
    """scripts/make-test-certs into the project's certs/; returns (certs dir, its output)."""
    certs = os.path.join(project, "certs")
    env = dict(os.environ)
    env[PASSWORD_VARIABLE] = password
    result = subprocess.run([MAKE_TEST_CERTS, certs], capture_output=True, text=True,
                            env=env, timeout=120)
    if result.returncode != 0:
        raise AssertionError("make-test-certs failed: %s" % (result.stdout + result.stderr))
    return certs, result.stdout + result.stderr


class SecureSample:
    """The sample with fresh certificates, its wss backend and `sluice run`, all on free ports."""

    def __init__(self, test):
        self.work = Workdir(test)
        self.password = secrets.token_hex(12)
        os.environ[PASSWORD_VARIABLE] = self.password
        test.addCleanup(os.environ.pop, PASSWORD_VARIABLE, None)
        self.project = copy_sample(self.work.path)
        self.certs, self.script_output = make_test_certs(self.project, self.password)
        self.ca = os.path.join(self.certs, "ca.pem")
        self.backend = self.work.backend(
            "--tls-cert", os.path.join(self.certs, "server.crt"),
            "--tls-key", os.path.join(self.certs, "server.key"))
        self.backend_url = "wss://localhost:%d/websocket" % self.backend.port
        rewrite(os.path.join(self.project, CONFIG, "sequences", "dispatchSeq.xml"),
                SAMPLE_BACKEND, self.backend_url)
        inbound = os.path.join(self.project, CONFIG, "inbound-endpoints", "websocket.xml")
        toml = os.path.join(self.project, "deployment.toml")
        self.wss_port, self.https_port, http_port = free_port(), free_port(), free_port()
        rewrite(inbound, SAMPLE_INBOUND_PORT, SAMPLE_INBOUND_PORT.replace(
            "9092", str(self.wss_port)))
        # The HTTP listener starts with any proxy; keep it off MI's 8290 as well.
        rewrite(toml, SAMPLE_HTTPS_PORT, "https_listener_port = %d\nhttp_listener_port = %d"
                % (self.https_port, http_port))
        # The wss endpoint, the HTTP and the HTTPS listeners.
        self.sluice = self.work.sluice(self.project, listeners=3)

    def client_context(self):
        return ssl.create_default_context(ssl.Purpose.SERVER_AUTH, cafile=self.ca)

    def output(self):
        return self.sluice.stderr_text() + "\n".join(self.sluice.stdout.items())


async def echo_through(sample, texts):
    """Sends `texts` over one wss connection to the sample; returns what came back, in order."""
    import websockets
    async with websockets.connect("wss://localhost:%d/" % sample.wss_port,
                                  ssl=sample.client_context(), open_timeout=10,
                                  close_timeout=5, ping_interval=None) as ws:
        for text in texts:
            await ws.send(text)
        return [await asyncio.wait_for(ws.recv(), 10) for _ in texts]


class SecureSampleTest(unittest.TestCase):
    def test_make_test_certs_makes_a_ca_and_a_localhost_certificate_it_signs(self):
        work = Workdir(self)
        certs = os.path.join(work.path, "certs")
        result = subprocess.run([MAKE_TEST_CERTS, certs], capture_output=True, text=True,
                                env={k: v for k, v in os.environ.items()
                                     if k != PASSWORD_VARIABLE}, timeout=120)
        self.assertEqual(result.returncode, 0, result.stderr)
        # Without the variable, the script makes a password up and says how to export it.
        match = re.search(r"export %s='([0-9a-f]+)'" % PASSWORD_VARIABLE, result.stdout)
        self.assertTrue(match, result.stdout)
        verify = subprocess.run(["openssl", "verify", "-CAfile", os.path.join(certs, "ca.pem"),
                                 os.path.join(certs, "server.crt")],
                                capture_output=True, text=True, timeout=30)
        self.assertEqual(verify.returncode, 0, verify.stdout + verify.stderr)
        names = subprocess.run(["openssl", "x509", "-noout", "-ext", "subjectAltName", "-in",
                                os.path.join(certs, "server.crt")],
                               capture_output=True, text=True, timeout=30).stdout
        self.assertIn("DNS:localhost", names)
        self.assertIn("IP Address:127.0.0.1", names)
        opened = subprocess.run(["openssl", "pkcs12", "-in", os.path.join(certs, "server.p12"),
                                 "-nokeys", "-passin", "pass:" + match.group(1)],
                                capture_output=True, text=True, timeout=30)
        self.assertEqual(opened.returncode, 0, opened.stderr)
        self.assertIn("CN = localhost", opened.stdout)
        self.assertEqual(os.stat(os.path.join(certs, "server.key")).st_mode & 0o077, 0)
        # A second run keeps what is there, unless told otherwise.
        again = subprocess.run([MAKE_TEST_CERTS, certs], capture_output=True, text=True,
                               timeout=120)
        self.assertNotEqual(again.returncode, 0)
        self.assertIn("exists already", again.stderr)
        forced = subprocess.run([MAKE_TEST_CERTS, "--force", certs], capture_output=True,
                                text=True, timeout=120)
        self.assertEqual(forced.returncode, 0, forced.stderr)

    def test_wss_client_gets_its_messages_back_in_order_through_the_wss_backend(self):
        sample = SecureSample(self)
        texts = ['{"seq":%d}' % i for i in range(20)]
        self.assertEqual(run_async(echo_through(sample, texts)), texts)
        received = sample.backend.wait_events("message", len(texts))
        self.assertEqual([r["data"] for r in received], texts)
        self.assertNotIn(sample.password, sample.output())

    def test_https_post_gets_202_and_reaches_the_wss_backend(self):
        sample = SecureSample(self)
        url = "https://localhost:%d/services/websocketProxy1" % sample.https_port
        body = '{"hello":"secure websocket"}'
        status, answer = curl("--cacert", sample.ca, "-H", "Content-Type: application/json",
                              "--data-binary", body, url)
        self.assertEqual(status, 202, answer)
        self.assertEqual(sample.backend.wait_event("message")["data"], body)
        # The backend's echo has no client to go to: outflowDispatchSeq logs it.
        sample.sluice.wait_stderr(re.escape(body))
        # Plain HTTP on the HTTPS port, or a client without the test CA, gets nowhere.
        status, _ = curl(url.replace("https:", "http:"), "-d", body)
        self.assertNotEqual(status, 202)
        status, _ = curl(url, "-d", body)
        self.assertEqual(status, 0)
        self.assertEqual(len(sample.backend.events("message")), 1)
        self.assertNotIn(sample.password, sample.output())

    def test_without_the_certificates_validate_names_the_missing_store(self):
        work = Workdir(self)
        project = copy_sample(work.path)
        env = dict(os.environ)
        env[PASSWORD_VARIABLE] = "not-needed-yet"
        result = subprocess.run([SLUICE, "validate", project], capture_output=True, text=True,
                                env=env, timeout=60)
        self.assertNotEqual(result.returncode, 0)
        output = result.stdout + result.stderr
        self.assertRegex(output, r"deployment\.toml:\d+:\d+: .*certs/ca\.pem does not exist")
        # Once the script has run, the same copy validates.
        make_test_certs(project, "a-password-for-validate")
        env[PASSWORD_VARIABLE] = "a-password-for-validate"
        result = subprocess.run([SLUICE, "validate", project], capture_output=True, text=True,
                                env=env, timeout=60)
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        self.assertIn(": valid (", result.stdout)
        self.assertNotIn("a-password-for-validate", result.stdout + result.stderr)
        # A key store gone is named where it is used: the wss endpoint and the HTTPS listener.
        os.remove(os.path.join(project, "certs", "server.p12"))
        result = subprocess.run([SLUICE, "validate", project], capture_output=True, text=True,
                                env=env, timeout=60)
        self.assertNotEqual(result.returncode, 0)
        output = result.stdout + result.stderr
        self.assertRegex(output, r"websocket\.xml:\d+:\d+: inbound endpoint 'websocket': "
                                 r"wss\.ssl\.key\.store\.file: .*certs/server\.p12 does not exist")
        self.assertRegex(output, r"deployment\.toml:\d+:\d+: .*\[keystore\.tls\] file_name: "
                                 r".*certs/server\.p12 does not exist")


if __name__ == "__main__":
    unittest.main()
