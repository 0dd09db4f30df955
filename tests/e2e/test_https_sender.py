# SPDX-License-Identifier: Apache-2.0
"""https:// for the HTTP sender: curl calls a plain-HTTP proxy whose inSequence sends to an
https:// backend (Python's http.server wrapped in ssl, peers/http_echo_backend.py, with a
certificate made at test time by peers/test_pki.py). The CAs trusted are MI's client trust store,
deployment.toml [truststore] (PEM bundle or PKCS#12, password possibly from $env:NAME), else the
system bundle. A refused certificate is a 502 and the proxy's fault sequence, never a plain-text
retry; a [truststore] that cannot be used stops the deployment naming the key."""
import os
import secrets
import subprocess
import tempfile
import unittest

from peers.harness import SLUICE, Workdir, free_port
from peers.http_echo_backend import EchoBackend
from peers.test_pki import TestPki
from test_http_sender import CONFIG, NS, PROXY, curl

_PKI_DIR = None
PKI = None
STRANGER = None


def setUpModule():
    global _PKI_DIR, PKI, STRANGER
    _PKI_DIR = tempfile.TemporaryDirectory(prefix="sluice-https-pki-")
    PKI = TestPki(os.path.join(_PKI_DIR.name, "trusted"))
    STRANGER = TestPki(os.path.join(_PKI_DIR.name, "stranger"), name="Stranger CA")


def tearDownModule():
    _PKI_DIR.cleanup()


class HttpsSenderTest(unittest.TestCase):
    def setUp(self):
        self.work = Workdir(self)

    def backend(self, issued):
        return EchoBackend(self, tls=(issued.cert, issued.key))

    def project(self, backend_url, truststore_toml, port, name="project"):
        project = os.path.join(self.work.path, name)
        folder = os.path.join(project, CONFIG, "proxy-services")
        os.makedirs(folder)
        with open(os.path.join(folder, "orders.xml"), "w") as f:
            f.write(PROXY.format(ns=NS, name="orders", body="""
            <send><endpoint><address uri="%s/echo"/></endpoint></send>""" % backend_url,
                                 out="<outSequence><send/></outSequence>"))
        with open(os.path.join(project, "deployment.toml"), "w") as f:
            f.write("[server]\nhttp_listener_port = %d\n\n%s" % (port, truststore_toml))
        return project

    def start(self, backend_url, truststore_toml, env=None):
        for name, value in (env or {}).items():
            os.environ[name] = value
            self.addCleanup(os.environ.pop, name, None)
        port = free_port()
        self.sluice = self.work.sluice(self.project(backend_url, truststore_toml, port))
        return "http://127.0.0.1:%d/services/orders" % port

    def post(self, url, body='{"id":7}'):
        return curl("-H", "Content-Type: application/json", "--data-binary", body, url)

    def test_trusted_backend_round_trip(self):
        backend = self.backend(PKI.issue("server"))
        url = self.start(backend.url, '[truststore]\nfile_name = "%s"\n' % PKI.ca_pem)
        status, headers, body = self.post(url)
        self.assertEqual(status, 201, body)
        self.assertIn('"body": "{\\"id\\":7}"', body.decode())
        self.assertEqual(headers.get("x-backend"), "echo")
        self.assertEqual(len(backend.requests), 1)

    def test_pkcs12_truststore_with_password_from_the_environment(self):
        password = "p12-" + secrets.token_hex(8)
        store = os.path.join(self.work.path, "client-truststore.p12")
        subprocess.run(["openssl", "pkcs12", "-export", "-nokeys", "-in", PKI.ca_pem,
                        "-out", store, "-passout", "pass:" + password], check=True,
                       capture_output=True, timeout=60)
        backend = self.backend(PKI.issue("server-p12"))
        url = self.start(backend.url, '[truststore]\nfile_name = "%s"\ntype = "PKCS12"\n'
                                      'password = "$env:SLUICE_TEST_HTTPS_TRUST"\n' % store,
                         env={"SLUICE_TEST_HTTPS_TRUST": password})
        status, _, body = self.post(url)
        self.assertEqual(status, 201, body)
        self.assertNotIn(password, self.sluice.stderr_text())

    def assert_refused(self, url, *reasons):
        status, _, body = self.post(url)
        self.assertEqual(status, 502, body)
        self.assertIn("101503", body.decode())
        self.sluice.wait_stderr(r"PROXY_FAULT = 101503")
        warning = self.sluice.wait_stderr(r"WARN  \[http-sender\][^\n]*TLS handshake failed"
                                          r"[^\n]*").group(0)
        for reason in reasons:
            self.assertIn(reason, warning)

    def test_untrusted_certificate_is_a_502_and_the_fault_sequence(self):
        backend = self.backend(STRANGER.issue("stranger-server"))
        url = self.start(backend.url, '[truststore]\nfile_name = "%s"\n' % PKI.ca_pem)
        self.assert_refused(url, backend.url, "certificate was refused", PKI.ca_pem)
        self.assertEqual(backend.requests, [])

    def test_without_truststore_the_system_bundle_does_not_trust_the_test_ca(self):
        backend = self.backend(PKI.issue("server-system"))
        url = self.start(backend.url, "")
        self.assert_refused(url, "system CA bundle")

    def test_host_name_mismatch_is_refused(self):
        other = PKI.issue("other-name", common_name="other.example", sans=["DNS:other.example"])
        backend = self.backend(other)
        url = self.start(backend.url, '[truststore]\nfile_name = "%s"\n' % PKI.ca_pem)
        self.assert_refused(url, "host name")

    def test_backend_offering_only_tls_1_1_is_refused(self):
        issued = PKI.issue("tls11")
        backend = EchoBackend(self, tls=(issued.cert, issued.key), tls_max_version="TLSv1_1")
        url = self.start(backend.url, '[truststore]\nfile_name = "%s"\n' % PKI.ca_pem)
        self.assert_refused(url, "protocol version")
        self.assertEqual(backend.requests, [])

    def test_expired_certificate_is_refused(self):
        backend = self.backend(PKI.issue("expired", expired=True))
        url = self.start(backend.url, '[truststore]\nfile_name = "%s"\n' % PKI.ca_pem)
        self.assert_refused(url, "expired")

    def test_jks_truststore_deploys_with_a_warning_and_https_sends_fail(self):
        """MI's own deployment.toml names client-truststore.jks: the project deploys (it may not
        use https at all), and an https:// send fails with the keytool hint."""
        backend = self.backend(PKI.issue("server-jks"))
        url = self.start(backend.url, '[truststore]\nfile_name = "client-truststore.jks"\n'
                                      'password = "wso2carbon"\n')
        self.sluice.wait_stderr(r"deployment.toml:5:13: warning: \[truststore\] JKS trust "
                                r"stores are not supported")
        self.assert_refused(url, "client-truststore.jks is a JKS store", "keytool")
        self.assertEqual(backend.requests, [])
        self.assertNotIn("wso2carbon", self.sluice.stderr_text())

    def test_unusable_truststore_stops_the_deployment(self):
        wrong = "wrong-" + secrets.token_hex(6)
        os.environ["SLUICE_TEST_HTTPS_WRONG"] = wrong
        self.addCleanup(os.environ.pop, "SLUICE_TEST_HTTPS_WRONG", None)
        cases = {
            "missing": ('[truststore]\nfile_name = "nowhere.pem"\n',
                        ["[truststore] file_name", "nowhere.pem", "does not exist"]),
            "password": ('[truststore]\nfile_name = "%s"\npassword = '
                         '"$env:SLUICE_TEST_HTTPS_WRONG"\n' % PKI.issue("wrong").p12,
                         ["[truststore] file_name", "wrong password"]),
        }
        for name, (toml, expected) in cases.items():
            with self.subTest(name):
                project = self.project("https://localhost:1", toml, free_port(), name)
                for command in (["validate", project], ["run", "--no-management", project]):
                    result = subprocess.run([SLUICE, *command], capture_output=True, text=True,
                                            timeout=60)
                    output = result.stdout + result.stderr
                    self.assertNotEqual(result.returncode, 0, output)
                    self.assertIn("deployment.toml:5:", output)  # file_name
                    for text in expected:
                        self.assertIn(text, output)
                    self.assertNotIn(wrong, output)


if __name__ == "__main__":
    unittest.main()
