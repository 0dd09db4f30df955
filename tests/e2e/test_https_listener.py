# SPDX-License-Identifier: Apache-2.0
"""The HTTPS listener of proxy services and APIs ([server] https_listener_port, key store in
[keystore.tls] or [keystore.primary]): curl over https to the seed's HTTP-to-WebSocket proxy and
to a proxy with transports="https", plain HTTP on the TLS port refused, TLS 1.1 refused, and key
store problems stopping `sluice run` with the deployment.toml table and key. Certificates are
made at test time (peers/test_pki.py)."""
import os
import shutil
import signal
import socket
import subprocess
import unittest

from peers.harness import SLUICE, Workdir, free_port
from peers.test_pki import P12_PASSWORD, TestPki
from test_http_proxy import CONFIG, NS, copy_seed_project, curl

PASSWORD_VARIABLE = "SLUICE_TEST_HTTPS_KEYSTORE_PASS"

RESPONDING_PROXY = """<?xml version="1.0" encoding="UTF-8"?>
<proxy {ns} name="{name}" transports="{transports}" startOnLoad="true">
    <target>
        <inSequence>
            <payloadFactory media-type="json">
                <format>{{"transport":"$1"}}</format>
                <args><arg evaluator="xml" expression="get-property('axis2', 'TRANSPORT_IN_NAME')"/></args>
            </payloadFactory>
            <respond/>
        </inSequence>
    </target>
</proxy>
"""


SECURE_API = """<?xml version="1.0" encoding="UTF-8"?>
<api {ns} name="{name}" context="/{name}" transports="{transports}">
    <resource methods="GET" uri-template="/hello">
        <inSequence>
            <payloadFactory media-type="json">
                <format>{{"api":"{name}","transport":"$1"}}</format>
                <args><arg evaluator="xml" expression="get-property('axis2', 'TRANSPORT_IN_NAME')"/></args>
            </payloadFactory>
            <respond/>
        </inSequence>
    </resource>
</api>
"""


def add_api(project, name, transports):
    folder = os.path.join(project, CONFIG, "api")
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, name + ".xml"), "w") as f:
        f.write(SECURE_API.format(ns=NS, name=name, transports=transports))


def responding_project(root, proxies, toml):
    """Proxies {name: transports} that answer with the transport they were reached over."""
    project = os.path.join(root, "project")
    folder = os.path.join(project, CONFIG, "proxy-services")
    os.makedirs(folder)
    for name, transports in proxies.items():
        with open(os.path.join(folder, name + ".xml"), "w") as f:
            f.write(RESPONDING_PROXY.format(ns=NS, name=name, transports=transports))
    with open(os.path.join(project, "deployment.toml"), "w") as f:
        f.write(toml)
    return project


def key_store_toml(http_port, https_port, store, table="keystore.tls", password=None):
    text = "[server]\nhttp_listener_port = %d\nhttps_listener_port = %d\n\n[%s]\n" \
           'file_name = "%s"\n' % (http_port, https_port, table, store)
    if password is not None:
        text += 'password = "%s"\n' % password
    return text


class HttpsListenerTest(unittest.TestCase):
    def setUp(self):
        self.work = Workdir(self)
        self.pki = TestPki(os.path.join(self.work.path, "pki"))
        self.server = self.pki.issue("server")

    def curl_https(self, url, *args):
        return curl("--cacert", self.pki.ca_pem, *args, url)

    def test_seed_proxy_over_https_answers_202_and_reaches_the_backend(self):
        backend = self.work.backend("--mode", "silent")
        http_port, https_port = free_port(), free_port()
        root = os.path.join(self.work.path, "seed")
        os.makedirs(root)
        # The seed proxy takes "http,https": with a key store it is served on both listeners.
        project = copy_seed_project(
            root, http_port, backend.url,
            toml_extra='https_listener_port = %d\n\n[keystore.primary]\nfile_name = "%s"\n'
                       'password = "$env:%s"\n' % (https_port, self.server.p12,
                                                   PASSWORD_VARIABLE))
        os.environ[PASSWORD_VARIABLE] = P12_PASSWORD
        self.addCleanup(os.environ.pop, PASSWORD_VARIABLE, None)
        sluice = self.work.sluice(project, listeners=2)
        status, body = curl("--cacert", self.pki.ca_pem, "-H", "Content-Type: application/json",
                            "--data-binary", '{"over":"tls"}',
                            "https://localhost:%d/services/websocketProxy1" % https_port)
        self.assertEqual((status, body), (202, b""))
        record = backend.wait_event("message")
        self.assertEqual(record["data"], '{"over":"tls"}')
        # The plain listener still serves it too.
        status, _ = curl("-H", "Content-Type: application/json", "--data-binary", "{}",
                         "http://127.0.0.1:%d/services/websocketProxy1" % http_port)
        self.assertEqual(status, 202)
        self.assertNotIn(P12_PASSWORD, sluice.stderr_text())

    def start_responding(self, proxies):
        http_port, https_port = free_port(), free_port()
        project = responding_project(self.work.path, proxies,
                                     key_store_toml(http_port, https_port,
                                                    self.server.chain_pem))
        self.work.sluice(project, listeners=2)
        return http_port, https_port

    def test_https_only_proxy_is_served_over_tls_and_not_over_http(self):
        http_port, https_port = self.start_responding({"secure": "https", "plain": "http"})
        status, body = self.curl_https("https://localhost:%d/services/secure" % https_port)
        self.assertEqual(status, 200, body)
        self.assertEqual(body, b'{"transport":"https"}')
        status, _ = curl("http://127.0.0.1:%d/services/secure" % http_port)
        self.assertEqual(status, 404)
        # And the http-only proxy is not on the TLS listener.
        status, _ = self.curl_https("https://localhost:%d/services/plain" % https_port)
        self.assertEqual(status, 404)
        status, body = curl("http://127.0.0.1:%d/services/plain" % http_port)
        self.assertEqual((status, body), (200, b'{"transport":"http"}'))

    def test_apis_are_served_by_their_transports(self):
        http_port, https_port = free_port(), free_port()
        project = responding_project(self.work.path, {},
                                     key_store_toml(http_port, https_port,
                                                    self.server.chain_pem))
        add_api(project, "tlsonly", "https")
        add_api(project, "plainonly", "http")
        add_api(project, "both", "")
        self.work.sluice(project, listeners=2)
        tls = "https://localhost:%d/" % https_port
        plain = "http://127.0.0.1:%d/" % http_port
        self.assertEqual(self.curl_https(tls + "tlsonly/hello"),
                         (200, b'{"api":"tlsonly","transport":"https"}'))
        self.assertEqual(curl(plain + "tlsonly/hello")[0], 404)
        self.assertEqual(self.curl_https(tls + "plainonly/hello")[0], 404)
        self.assertEqual(curl(plain + "plainonly/hello"),
                         (200, b'{"api":"plainonly","transport":"http"}'))
        self.assertEqual(self.curl_https(tls + "both/hello"),
                         (200, b'{"api":"both","transport":"https"}'))
        self.assertEqual(curl(plain + "both/hello"),
                         (200, b'{"api":"both","transport":"http"}'))

    def test_plain_http_on_the_https_port_gets_no_answer(self):
        _, https_port = self.start_responding({"secure": "https"})
        result = subprocess.run(["curl", "-sS", "--max-time", "5", "-o", "-", "-w",
                                 "%{http_code}",
                                 "http://127.0.0.1:%d/services/secure" % https_port],
                                capture_output=True, text=True, timeout=30)
        self.assertNotEqual(result.returncode, 0)
        self.assertNotIn("transport", result.stdout)

    def test_verify_client_require_with_the_listener_trust_store(self):
        http_port, https_port = free_port(), free_port()
        toml = key_store_toml(http_port, https_port, self.server.chain_pem) + \
            '\n[transport.http]\nlistener.verify_client = "require"\n' \
            'listener.truststore.file_name = "%s"\n' % self.pki.ca_pem
        project = responding_project(self.work.path, {"secure": "https"}, toml)
        sluice = self.work.sluice(project, listeners=2)
        url = "https://localhost:%d/services/secure" % https_port
        client = self.pki.issue("client", common_name="client", client=True)
        self.assertEqual(curl("--cacert", self.pki.ca_pem, "--cert", client.cert, "--key",
                              client.key, url), (200, b'{"transport":"https"}'))
        status, _ = curl("--cacert", self.pki.ca_pem, url)
        self.assertEqual(status, 0)
        sluice.wait_stderr(r"HTTPS: TLS handshake with 127\.0\.0\.1:\d+ failed")

    def test_verify_client_optional_refuses_only_an_untrusted_certificate(self):
        http_port, https_port = free_port(), free_port()
        toml = key_store_toml(http_port, https_port, self.server.chain_pem) + \
            '\n[transport.http]\nlistener.verify_client = "optional"\n' \
            'listener.truststore.file_name = "%s"\n' % self.pki.ca_pem
        project = responding_project(self.work.path, {"secure": "https"}, toml)
        sluice = self.work.sluice(project, listeners=2)
        url = "https://localhost:%d/services/secure" % https_port
        self.assertEqual(curl("--cacert", self.pki.ca_pem, url)[0], 200)
        other = TestPki(os.path.join(self.work.path, "other"), name="Another CA")
        stranger = other.issue("stranger", common_name="stranger", client=True)
        status, body = curl("--cacert", self.pki.ca_pem, "--cert", stranger.cert, "--key",
                            stranger.key, url)
        self.assertNotEqual(status, 200, body)
        sluice.wait_stderr(r"HTTPS: TLS handshake with 127\.0\.0\.1:\d+ failed: client "
                           r"certificate refused")

    def test_client_that_never_starts_tls_is_closed_after_the_header_timeout(self):
        http_port, https_port = free_port(), free_port()
        toml = key_store_toml(http_port, https_port, self.server.chain_pem) + \
            "\n[transport.http]\nheader_timeout_ms = 500\n"
        project = responding_project(self.work.path, {"secure": "https"}, toml)
        sluice = self.work.sluice(project, listeners=2)
        with socket.create_connection(("127.0.0.1", https_port), timeout=10) as idle:
            self.assertEqual(idle.recv(100), b"")  # closed without a byte in plain text
        sluice.wait_stderr(r"HTTPS: TLS handshake with 127\.0\.0\.1:\d+ did not finish within "
                           r"500 ms")

    def test_untrusting_client_and_tls_1_1_are_refused(self):
        _, https_port = self.start_responding({"secure": "https"})
        other = TestPki(os.path.join(self.work.path, "other"), name="Another CA")
        status, _ = curl("--cacert", other.ca_pem,
                         "https://localhost:%d/services/secure" % https_port)
        self.assertEqual(status, 0)
        result = subprocess.run(["openssl", "s_client", "-connect", "127.0.0.1:%d" % https_port,
                                 "-tls1_1", "-cipher", "DEFAULT@SECLEVEL=0"], input="",
                                capture_output=True, text=True, timeout=20)
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("alert protocol version", result.stdout + result.stderr)


class HttpsRedeployTest(unittest.TestCase):
    def test_renewed_certificate_is_served_after_sighup_and_a_bad_one_is_refused(self):
        work = Workdir(self)
        first = TestPki(os.path.join(work.path, "first"), name="First CA")
        second = TestPki(os.path.join(work.path, "second"), name="Second CA")
        http_port, https_port = free_port(), free_port()
        project = responding_project(work.path, {"secure": "https"},
                                     key_store_toml(http_port, https_port, "server.pem"))
        store = os.path.join(project, "server.pem")
        shutil.copy(first.issue("server").chain_pem, store)
        sluice = work.sluice(project, listeners=2)
        url = "https://localhost:%d/services/secure" % https_port
        self.assertEqual(curl("--cacert", first.ca_pem, url)[0], 200)

        shutil.copy(second.issue("server").chain_pem, store)
        sluice.process.send_signal(signal.SIGHUP)
        sluice.wait_stderr_lines("redeployed", 1)
        self.assertEqual(curl("--cacert", second.ca_pem, url)[0], 200)
        self.assertEqual(curl("--cacert", first.ca_pem, url)[0], 0)

        # An expired certificate is refused and the running listener keeps serving.
        shutil.copy(second.issue("expired", expired=True).chain_pem, store)
        sluice.process.send_signal(signal.SIGHUP)
        sluice.wait_stderr(r"\[keystore\.tls\] file_name: key store .* expired on")
        sluice.wait_stderr(r"redeploy refused")
        self.assertEqual(curl("--cacert", second.ca_pem, url)[0], 200)


class MiDefaultKeyStoreTest(unittest.TestCase):
    def test_unusable_primary_key_store_leaves_http_and_https_proxies_on_http_with_a_warning(self):
        # MI's default deployment.toml names wso2carbon.jks, which is not in a copied project.
        work = Workdir(self)
        backend = work.backend("--mode", "silent")
        http_port, https_port = free_port(), free_port()
        root = os.path.join(work.path, "seed")
        os.makedirs(root)
        project = copy_seed_project(
            root, http_port, backend.url,
            toml_extra='https_listener_port = %d\n\n[keystore.primary]\n'
                       'file_name = "wso2carbon.jks"\npassword = "carbon-secret-77"\n'
                       % https_port)
        sluice = work.sluice(project)
        sluice.wait_stderr(r"warning: the HTTPS listener's key store \[keystore\.primary\] "
                           r"file_name: key store .*wso2carbon\.jks does not exist; the HTTPS "
                           r"listener does not start")
        status, _ = curl("-H", "Content-Type: application/json", "--data-binary", "{}",
                         "http://127.0.0.1:%d/services/websocketProxy1" % http_port)
        self.assertEqual(status, 202)
        self.assertEqual(backend.wait_event("message")["data"], "{}")
        self.assertNotIn("carbon-secret-77", sluice.stderr_text())


class HttpsDeploymentErrorTest(unittest.TestCase):
    def setUp(self):
        self.work = Workdir(self)
        self.pki = TestPki(os.path.join(self.work.path, "pki"))

    def refused(self, toml, proxies=None):
        project = responding_project(self.work.path, proxies or {"secure": "https"}, toml)
        result = subprocess.run([SLUICE, "run", "--no-management", project],
                                capture_output=True, text=True, timeout=30)
        self.assertEqual(result.returncode, 1, result.stdout + result.stderr)
        self.assertNotIn("listening on", result.stdout)
        return result.stderr

    def test_https_proxy_without_a_key_store(self):
        stderr = self.refused("[server]\nhttp_listener_port = %d\n" % free_port())
        self.assertRegex(stderr, r"secure\.xml:\d+:\d+: .*proxy 'secure' takes the https "
                                 r"transport, but deployment\.toml configures no key store")

    def test_missing_key_store_file_names_table_and_key(self):
        stderr = self.refused(key_store_toml(free_port(), free_port(), "missing/server.pem"))
        self.assertRegex(stderr, r"deployment\.toml:6:\d+: .*\[keystore\.tls\] file_name: key "
                                 r"store .*missing/server\.pem does not exist")

    def test_wrong_password_is_not_printed(self):
        server = self.pki.issue("server")
        stderr = self.refused(key_store_toml(free_port(), free_port(), server.p12,
                                             table="keystore.primary",
                                             password="wrong-secret-4711"))
        self.assertIn("[keystore.primary] file_name: cannot open key store", stderr)
        self.assertNotIn("wrong-secret-4711", stderr)

    def test_expired_certificate(self):
        expired = self.pki.issue("expired", expired=True)
        stderr = self.refused(key_store_toml(free_port(), free_port(), expired.chain_pem))
        self.assertRegex(stderr, r"\[keystore\.tls\] file_name: key store .* expired on")

    def test_jks_key_store(self):
        jks = os.path.join(self.work.path, "primary.jks")
        with open(jks, "wb") as f:
            f.write(b"\xfe\xed\xfe\xed" + b"\x00" * 60)
        stderr = self.refused(key_store_toml(free_port(), free_port(), jks))
        self.assertIn("keytool -importkeystore", stderr)

    def test_old_protocols_from_an_mi_configuration_are_refused_with_the_key(self):
        server = self.pki.issue("server")
        toml = key_store_toml(free_port(), free_port(), server.chain_pem) + \
            '\n[transport.http]\nlistener.secured_protocols = "TLSv1,TLSv1.1,TLSv1.2"\n'
        stderr = self.refused(toml)
        self.assertRegex(stderr, r"deployment\.toml:\d+:\d+: the HTTPS listener: "
                                 r"\[transport\.http\] listener\.secured_protocols: protocol "
                                 r"TLSv1 is refused")

    def test_validate_reports_it_too(self):
        project = responding_project(self.work.path, {"secure": "https"},
                                     key_store_toml(free_port(), free_port(), "nope.pem"))
        result = subprocess.run([SLUICE, "validate", project], capture_output=True, text=True,
                                timeout=30)
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("[keystore.tls] file_name: key store", result.stdout + result.stderr)


if __name__ == "__main__":
    unittest.main()
