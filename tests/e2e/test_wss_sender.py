# SPDX-License-Identifier: Apache-2.0
"""The wss:// sender: a ws inbound endpoint whose dispatch sequence sends to a python3-websockets
backend served over TLS (certificates made at test time by peers/test_pki.py with openssl), and
the outflow sequence responds. Covers the trust rules of [transport.wss]: a PEM CA bundle, a
PKCS#12 store whose password comes from $env:NAME (and never shows in the logs), refused
backends (untrusted CA, host name mismatch, expired certificate) that close the client with 1015
and run the outflow fault sequence, hostname verification switched off, and trust store problems
at deployment (missing file, JKS, wrong password) that name the key."""
import os
import secrets
import signal
import subprocess
import tempfile
import unittest

from peers.harness import (RawWebSocket, SLUICE, Workdir, free_port, proxy_project, run_async,
                           ws_connect)
from peers.test_pki import TestPki
from test_http_proxy import copy_seed_project, curl

_PKI_DIR = None
PKI = None
STRANGER = None  # a CA the tests never trust


def setUpModule():
    global _PKI_DIR, PKI, STRANGER
    _PKI_DIR = tempfile.TemporaryDirectory(prefix="sluice-wss-pki-")
    PKI = TestPki(os.path.join(_PKI_DIR.name, "trusted"))
    STRANGER = TestPki(os.path.join(_PKI_DIR.name, "stranger"), name="Stranger CA")


def tearDownModule():
    _PKI_DIR.cleanup()


def fault_line(sluice):
    return sluice.wait_stderr(r"FAULT = ([^\n]*)").group(1)


class WssProxyMixin:
    """The seed's ws proxy sending to a TLS backend; for unittest.TestCase classes."""

    def setUp(self):
        self.work = Workdir(self)

    def tls_backend(self, issued):
        backend = self.work.backend("--tls-cert", issued.cert, "--tls-key", issued.key)
        backend.url = "wss://localhost:%d/websocket" % backend.port
        return backend

    def start(self, backend_url, wss_toml, env=None):
        """sluice run on the seed's ws proxy (dispatchSeq sends to `backend_url`) with
        `wss_toml` as the [transport.wss] table; returns the inbound port."""
        port = free_port()
        project = proxy_project(self.work.path, port, backend_url)
        with open(os.path.join(project, "deployment.toml"), "w") as f:
            f.write("[transport.wss]\nsender.enable = true\n" + wss_toml)
        for name, value in (env or {}).items():
            os.environ[name] = value
            self.addCleanup(os.environ.pop, name, None)
        self.sluice = self.work.sluice(project)
        return port

    def echo(self, port, text):
        async def scenario():
            async with ws_connect(port, "/echo") as ws:
                await ws.send(text)
                return await ws.recv()
        return run_async(scenario())

    def refused(self, port):
        """The client's close code and reason after its first message, read off the wire: 1015
        may not appear in a close frame by RFC 6455, so python3-websockets refuses the frame."""
        raw = RawWebSocket(port, "/refused")
        self.addCleanup(raw.close)
        raw.send_text("anyone there?")
        return raw.read_close()


class WssSenderTest(WssProxyMixin, unittest.TestCase):
    def test_pem_trust_store_echo_round_trip(self):
        backend = self.tls_backend(PKI.issue("server"))
        port = self.start(backend.url, 'sender.truststore_location = "%s"\n' % PKI.ca_pem)
        self.assertEqual(self.echo(port, "over tls"), "over tls")
        self.assertEqual(backend.wait_event("message")["data"], "over tls")
        self.assertNotIn("FAULT = ", self.sluice.stderr_text())

    def test_pkcs12_trust_store_with_password_from_the_environment(self):
        password = "p12-" + secrets.token_hex(8)
        store = os.path.join(self.work.path, "ca.p12")
        subprocess.run(["openssl", "pkcs12", "-export", "-nokeys", "-in", PKI.ca_pem,
                        "-out", store, "-passout", "pass:" + password], check=True,
                       capture_output=True, timeout=60)
        backend = self.tls_backend(PKI.issue("server-p12"))
        port = self.start(backend.url,
                          'sender.truststore_location = "%s"\n'
                          'sender.truststore_password = "$env:SLUICE_TEST_WSS_TRUST"\n' % store,
                          env={"SLUICE_TEST_WSS_TRUST": password})
        self.assertEqual(self.echo(port, "pkcs12"), "pkcs12")
        self.assertNotIn(password, self.sluice.stderr_text())

    def test_untrusted_certificate_closes_the_client_with_1015_and_runs_the_fault_sequence(self):
        backend = self.tls_backend(STRANGER.issue("stranger-server"))
        port = self.start(backend.url, 'sender.truststore_location = "%s"\n' % PKI.ca_pem)
        code, reason = self.refused(port)
        self.assertEqual(code, 1015)
        self.assertEqual(reason, "Backend TLS handshake failed")
        self.assertNotIn("localhost", reason)  # clients never learn internal addresses
        fault = fault_line(self.sluice)
        self.assertIn(backend.url, fault)
        self.assertIn("certificate was refused", fault)
        self.assertIn(PKI.ca_pem, fault)  # what was trusted
        self.assertEqual(backend.events("message"), [])  # nothing left over plain text

    def test_system_ca_bundle_does_not_trust_the_test_ca(self):
        backend = self.tls_backend(PKI.issue("server-system"))
        port = self.start(backend.url, "")
        self.assertEqual(self.refused(port)[0], 1015)
        self.assertIn("system CA bundle", fault_line(self.sluice))

    def test_host_name_mismatch_is_refused(self):
        other = PKI.issue("other-name", common_name="other.example", sans=["DNS:other.example"])
        backend = self.tls_backend(other)
        port = self.start(backend.url, 'sender.truststore_location = "%s"\n' % PKI.ca_pem)
        self.assertEqual(self.refused(port)[0], 1015)
        self.assertIn("host name", fault_line(self.sluice).lower())

    def test_host_name_mismatch_is_accepted_with_hostname_verification_off(self):
        other = PKI.issue("other-name-off", common_name="other.example",
                          sans=["DNS:other.example"])
        backend = self.tls_backend(other)
        port = self.start(backend.url, 'sender.truststore_location = "%s"\n'
                                       'sender.hostname_verification = false\n' % PKI.ca_pem)
        self.assertEqual(self.echo(port, "any name"), "any name")

    def test_hostname_verification_off_still_refuses_an_untrusted_certificate(self):
        backend = self.tls_backend(STRANGER.issue("stranger-off"))
        port = self.start(backend.url, 'sender.truststore_location = "%s"\n'
                                       'sender.hostname_verification = false\n' % PKI.ca_pem)
        self.assertEqual(self.refused(port)[0], 1015)

    def test_plain_ws_backend_behind_a_wss_uri_is_a_handshake_failure_not_a_fallback(self):
        backend = self.work.backend()  # ws:// only
        port = self.start("wss://localhost:%d/websocket" % backend.port,
                          'sender.truststore_location = "%s"\n' % PKI.ca_pem)
        self.assertEqual(self.refused(port)[0], 1015)
        self.assertIn("TLS handshake failed", fault_line(self.sluice))
        self.assertEqual(backend.events("open"), [])  # no WebSocket handshake in plain text

    def test_backend_offering_only_tls_1_1_is_refused(self):
        issued = PKI.issue("tls11")
        backend = self.work.backend("--tls-cert", issued.cert, "--tls-key", issued.key,
                                    "--tls-max-version", "TLSv1_1")
        port = self.start("wss://localhost:%d/websocket" % backend.port,
                          'sender.truststore_location = "%s"\n' % PKI.ca_pem)
        self.assertEqual(self.refused(port)[0], 1015)
        self.assertIn("TLS handshake failed", fault_line(self.sluice))
        self.assertEqual(backend.events("open"), [])

    def test_expired_certificate_is_refused(self):
        backend = self.tls_backend(PKI.issue("expired", expired=True))
        port = self.start(backend.url, 'sender.truststore_location = "%s"\n' % PKI.ca_pem)
        self.assertEqual(self.refused(port)[0], 1015)
        self.assertIn("expired", fault_line(self.sluice).lower())


class WssTrustStoreRedeployTest(WssProxyMixin, unittest.TestCase):
    """The trust store is read at each deployment: a SIGHUP redeploy after deployment.toml names
    another store uses it for new backend connections; a redeploy whose store is unusable is
    refused and the running deployment keeps its own."""

    def test_redeploy_reads_the_trust_store_again(self):
        backend = self.tls_backend(PKI.issue("redeploy-server"))
        port = self.start(backend.url, 'sender.truststore_location = "%s"\n' % STRANGER.ca_pem)
        sluice = self.sluice
        toml = os.path.join(self.work.path, "project", "deployment.toml")

        def redeploy(store, text, count):
            with open(toml, "w") as f:
                f.write("[transport.wss]\nsender.enable = true\n"
                        'sender.truststore_location = "%s"\n' % store)
            sluice.process.send_signal(signal.SIGHUP)
            sluice.wait_stderr_lines(text, count)

        self.assertEqual(self.refused(port)[0], 1015)  # the stranger CA does not sign it
        redeploy(PKI.ca_pem, "redeployed", 1)
        self.assertEqual(self.echo(port, "trusted now"), "trusted now")
        disguised = os.path.join(self.work.path, "java-store.pem")
        with open(disguised, "wb") as f:
            f.write(b"\xfe\xed\xfe\xed\x00\x00\x00\x02")
        redeploy(disguised, "is a Java key store", 1)
        sluice.wait_stderr_lines("redeploy refused", 1)
        self.assertEqual(self.echo(port, "still trusted"), "still trusted")


class HttpToWssTest(unittest.TestCase):
    """projects/http-to-websocket (curl posts to a proxy that sends to the backend) with a wss://
    backend: the message arrives over TLS; a refused certificate runs the proxy's fault sequence
    (the seed's answers 202 at once, as MI's OUT_ONLY proxy does)."""

    def setUp(self):
        self.work = Workdir(self)

    def seed(self, issued):
        backend = self.work.backend("--tls-cert", issued.cert, "--tls-key", issued.key,
                                    "--mode", "silent")
        port = free_port()
        project = copy_seed_project(
            self.work.path, port, "wss://localhost:%d/websocket" % backend.port,
            toml_extra='[transport.wss]\nsender.enable = true\n'
                       'sender.truststore_location = "%s"\n' % PKI.ca_pem)
        self.sluice = self.work.sluice(project)
        return backend, "http://127.0.0.1:%d/services/websocketProxy1" % port

    def test_post_reaches_the_wss_backend(self):
        backend, url = self.seed(PKI.issue("seed-server"))
        status, body = curl("--data-binary", "over https? no: over wss", url)
        self.assertEqual(status, 202, body)
        self.assertEqual(backend.wait_event("message")["data"], "over https? no: over wss")

    def test_refused_certificate_runs_the_proxy_fault_sequence(self):
        backend, url = self.seed(STRANGER.issue("seed-stranger"))
        status, body = curl("--data-binary", "never in plain text", url)
        self.assertEqual(status, 202, body)
        self.sluice.wait_stderr(r"cannot connect to wss://localhost:%d/websocket: the backend "
                                r"certificate was refused" % backend.port)
        # The seed's faultSequence logs the undelivered message in full.
        self.sluice.wait_stderr(r"Payload: never in plain text")
        self.assertEqual(backend.events("message"), [])


class WssTrustStoreDeploymentTest(unittest.TestCase):
    """Trust store problems stop the deployment (sluice run and sluice validate exit non-zero)
    with the key that names the store, its location in deployment.toml and the reason."""

    def setUp(self):
        self.work = Workdir(self)

    def project(self, wss_toml, env=None):
        project = proxy_project(self.work.path, free_port(), "wss://localhost:1/websocket")
        with open(os.path.join(project, "deployment.toml"), "w") as f:
            f.write("[transport.wss]\nsender.enable = true\n" + wss_toml)
        for name, value in (env or {}).items():
            os.environ[name] = value
            self.addCleanup(os.environ.pop, name, None)
        return project

    def run_sluice(self, *args):
        result = subprocess.run([SLUICE, *args], capture_output=True, text=True, timeout=60)
        return result.returncode, result.stdout + result.stderr

    def assert_refused(self, project, *expected, secret=None):
        for command in (["validate", project], ["run", "--no-management", project]):
            code, output = self.run_sluice(*command)
            self.assertNotEqual(code, 0, output)
            self.assertIn("deployment.toml:3:", output)
            for text in expected:
                self.assertIn(text, output)
            if secret:
                self.assertNotIn(secret, output)

    def test_missing_trust_store(self):
        project = self.project('sender.truststore_location = "nowhere/ca.pem"\n')
        self.assert_refused(project, "nowhere/ca.pem", "does not exist")

    def test_jks_trust_store_gets_the_keytool_hint(self):
        store = os.path.join(self.work.path, "client-truststore.jks")
        with open(store, "wb") as f:
            f.write(b"\xfe\xed\xfe\xed\x00\x00\x00\x02")
        project = self.project('sender.truststore_location = "%s"\n' % store)
        self.assert_refused(project, "keytool -importkeystore", "-deststoretype PKCS12")

    def test_jks_content_under_another_name_is_refused_too(self):
        store = os.path.join(self.work.path, "disguised.pem")
        with open(store, "wb") as f:
            f.write(b"\xfe\xed\xfe\xed\x00\x00\x00\x02")
        project = self.project('sender.truststore_location = "%s"\n' % store)
        self.assert_refused(project, "[transport.wss] sender.truststore_location",
                            "Java key store", "keytool")

    def test_wrong_pkcs12_password_names_the_key_not_the_password(self):
        server = PKI.issue("wrong-password")
        wrong = "wrong-" + secrets.token_hex(6)
        project = self.project('sender.truststore_location = "%s"\n'
                               'sender.truststore_password = "$env:SLUICE_TEST_WRONG"\n'
                               % server.p12, env={"SLUICE_TEST_WRONG": wrong})
        self.assert_refused(project, "[transport.wss] sender.truststore_location",
                            "wrong password", secret=wrong)


if __name__ == "__main__":
    unittest.main()
