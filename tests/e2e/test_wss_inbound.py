# SPDX-License-Identifier: Apache-2.0
"""Inbound endpoints with protocol="wss": TLS with PEM and PKCS#12 key stores, TLS 1.2 and 1.3
only, client certificates when a trust store is given, and key store problems refused at
deployment. Peers: python3-websockets with ssl contexts, openssl s_client, a test CA made with
openssl at test time (peers/test_pki.py)."""
import asyncio
import os
import shutil
import signal
import socket
import ssl
import subprocess
import unittest

from peers.harness import (NS, SLUICE, Workdir, free_port, inbound_xml, run_async,
                           write_project)
from peers.test_pki import P12_PASSWORD, TestPki

ECHO_SEQ = """<?xml version="1.0" encoding="UTF-8"?>
<sequence name="echoSeq" {ns}>
    <respond/>
</sequence>
""".format(ns=NS)

KEY_PASSWORD_VARIABLE = "SLUICE_TEST_WSS_KEYSTORE_PASS"


def wss_project(root, port, params):
    """A project whose inbound endpoint `secure` (wss) echoes every message."""
    xml = inbound_xml("secure", port, "echoSeq", params).replace('protocol="ws"',
                                                                 'protocol="wss"')
    return write_project(root, {"echoSeq": ECHO_SEQ}, {"secure": xml})


def client_context(pki, client=None):
    context = ssl.create_default_context(ssl.Purpose.SERVER_AUTH, cafile=pki.ca_pem)
    if client:
        context.load_cert_chain(client.cert, client.key)
    return context


async def echo_once(port, context, text="hello over tls"):
    import websockets
    async with websockets.connect("wss://localhost:%d/echo" % port, ssl=context,
                                  open_timeout=10, close_timeout=5, ping_interval=None) as ws:
        await ws.send(text)
        return await asyncio.wait_for(ws.recv(), 10)


def s_client(port, *options, client=None, ca=None):
    """openssl s_client's handshake against 127.0.0.1:port; returns (exit code, output)."""
    argv = ["openssl", "s_client", "-connect", "127.0.0.1:%d" % port, "-servername", "localhost",
            *options]
    if ca:
        argv += ["-CAfile", ca, "-verify_return_error"]
    if client:
        argv += ["-cert", client.cert, "-key", client.key]
    result = subprocess.run(argv, input="", capture_output=True, text=True, timeout=20)
    return result.returncode, result.stdout + result.stderr


class WssTestCase(unittest.TestCase):
    def setUp(self):
        self.work = Workdir(self)
        self.pki = TestPki(os.path.join(self.work.path, "pki"))
        self.server = self.pki.issue("server")

    def start(self, params):
        port = free_port()
        settings = {"wss.ssl.key.store.file": self.server.chain_pem}
        settings.update(params)
        project = wss_project(self.work.path, port, settings)
        self.sluice = self.work.sluice(project)
        return port


class WssEchoTest(WssTestCase):
    def test_pem_key_store_echoes_over_tls(self):
        port = self.start({})
        self.assertEqual(run_async(echo_once(port, client_context(self.pki))), "hello over tls")

    def test_pkcs12_key_store_with_password_from_the_environment(self):
        os.environ[KEY_PASSWORD_VARIABLE] = P12_PASSWORD
        self.addCleanup(os.environ.pop, KEY_PASSWORD_VARIABLE, None)
        port = self.start({"wss.ssl.key.store.file": self.server.p12,
                           "wss.ssl.key.store.pass": "$env:" + KEY_PASSWORD_VARIABLE})
        self.assertEqual(run_async(echo_once(port, client_context(self.pki), "p12")), "p12")
        self.assertNotIn(P12_PASSWORD, self.sluice.stderr_text())

    def test_relative_key_store_is_found_in_the_project_directory(self):
        port = free_port()
        project = wss_project(self.work.path, port,
                              {"wss.ssl.key.store.file": "security/server.pem"})
        os.makedirs(os.path.join(project, "security"))
        with open(self.server.chain_pem) as source, \
                open(os.path.join(project, "security", "server.pem"), "w") as target:
            target.write(source.read())
        self.work.sluice(project)
        self.assertEqual(run_async(echo_once(port, client_context(self.pki), "rel")), "rel")

    def test_client_that_does_not_trust_the_server_is_refused(self):
        port = self.start({})
        other = TestPki(os.path.join(self.work.path, "other-pki"), name="Another CA")
        with self.assertRaises(ssl.SSLCertVerificationError):
            run_async(echo_once(port, client_context(other)))
        # The endpoint goes on serving clients that do trust it.
        self.assertEqual(run_async(echo_once(port, client_context(self.pki))), "hello over tls")

    def test_plain_websocket_on_the_wss_port_gets_no_answer_in_plain_text(self):
        import websockets
        port = self.start({})

        async def plain():
            async with websockets.connect("ws://127.0.0.1:%d/" % port, open_timeout=5,
                                          ping_interval=None):
                pass
        with self.assertRaises((websockets.InvalidMessage, ConnectionError, EOFError,
                                websockets.InvalidHandshake, asyncio.TimeoutError)):
            run_async(plain())
        self.sluice.wait_stderr(r"inbound endpoint 'secure': TLS handshake with 127\.0\.0\.1:"
                                r"\d+ failed")


class WssHandshakeTimeoutTest(WssTestCase):
    def test_client_that_never_starts_tls_is_closed_after_the_handshake_timeout(self):
        port = self.start({"ws.handshake.timeout": "1"})
        with socket.create_connection(("127.0.0.1", port), timeout=10) as idle:
            # Sends nothing: Sluice closes it (recv returns end of stream, no reply at all).
            self.assertEqual(idle.recv(100), b"")
        self.sluice.wait_stderr(r"TLS handshake with 127\.0\.0\.1:\d+ did not finish within 1 s "
                                r"\(ws\.handshake\.timeout\); closed")
        self.assertEqual(run_async(echo_once(port, client_context(self.pki), "after")), "after")


class WssRedeployTest(WssTestCase):
    def test_renewed_key_store_restarts_the_endpoint_and_a_bad_one_is_refused(self):
        port = free_port()
        project = wss_project(self.work.path, port, {"wss.ssl.key.store.file": "server.pem"})
        store = os.path.join(project, "server.pem")
        shutil.copy(self.server.chain_pem, store)
        sluice = self.work.sluice(project)
        self.assertEqual(run_async(echo_once(port, client_context(self.pki), "one")), "one")

        second = TestPki(os.path.join(self.work.path, "second"), name="Second CA")
        shutil.copy(second.issue("server").chain_pem, store)
        sluice.process.send_signal(signal.SIGHUP)
        sluice.wait_stderr_lines("redeployed", 1)
        self.assertEqual(run_async(echo_once(port, client_context(second), "two")), "two")
        with self.assertRaises(ssl.SSLCertVerificationError):
            run_async(echo_once(port, client_context(self.pki)))

        os.remove(store)
        sluice.process.send_signal(signal.SIGHUP)
        sluice.wait_stderr(r"wss\.ssl\.key\.store\.file: key store .*server\.pem does not exist")
        sluice.wait_stderr(r"redeploy refused")
        self.assertEqual(run_async(echo_once(port, client_context(second), "three")), "three")


class WssRedeployKeepsClientsTest(WssTestCase):
    def test_redeploy_with_the_same_key_store_keeps_clients_connected(self):
        import websockets
        port = self.start({})

        async def scenario():
            async with websockets.connect("wss://localhost:%d/" % port,
                                          ssl=client_context(self.pki), open_timeout=10,
                                          ping_interval=None) as ws:
                await ws.send("before")
                before = await ws.recv()
                self.sluice.process.send_signal(signal.SIGHUP)
                await asyncio.to_thread(self.sluice.wait_stderr_lines, "redeployed", 1)
                await ws.send("after")
                return before, await asyncio.wait_for(ws.recv(), 10)
        self.assertEqual(run_async(scenario()), ("before", "after"))
        self.assertNotIn("inbound endpoint 'secure' stopped", self.sluice.stderr_text())


class WssProtocolTest(WssTestCase):
    def test_tls_1_0_and_1_1_are_refused_and_1_2_and_1_3_are_served(self):
        port = self.start({})
        # SECLEVEL=0 lets this client offer TLS 1.0 / 1.1 at all: the refusal is the server's.
        for option in ("-tls1", "-tls1_1"):
            code, output = s_client(port, option, "-cipher", "DEFAULT@SECLEVEL=0",
                                    ca=self.pki.ca_pem)
            self.assertNotEqual(code, 0, output)
            self.assertIn("alert protocol version", output)
        for option, version in (("-tls1_2", "TLSv1.2"), ("-tls1_3", "TLSv1.3")):
            code, output = s_client(port, option, ca=self.pki.ca_pem)
            self.assertEqual(code, 0, output)
            self.assertIn("New, %s, Cipher is" % version, output)

    def test_protocols_parameter_limits_the_versions(self):
        port = self.start({"wss.ssl.protocols": "TLSv1.3"})
        code, output = s_client(port, "-tls1_2", ca=self.pki.ca_pem)
        self.assertNotEqual(code, 0, output)
        code, output = s_client(port, "-tls1_3", ca=self.pki.ca_pem)
        self.assertEqual(code, 0, output)
        self.assertIn("New, TLSv1.3, Cipher is", output)


class WssClientCertificateTest(WssTestCase):
    def test_trust_store_requires_a_client_certificate(self):
        port = self.start({"wss.ssl.trust.store.file": self.pki.ca_pem})
        client = self.pki.issue("client", common_name="trusted client", client=True)
        self.assertEqual(run_async(echo_once(port, client_context(self.pki, client), "mtls")),
                         "mtls")
        # TLS 1.3 sends the refusal after the client's handshake: the WebSocket opening fails.
        with self.assertRaises(Exception):
            run_async(echo_once(port, client_context(self.pki)))
        self.sluice.wait_stderr(r"TLS handshake with 127\.0\.0\.1:\d+ failed")

    def test_client_certificate_of_another_ca_is_refused(self):
        port = self.start({"wss.ssl.trust.store.file": self.pki.ca_pem})
        other = TestPki(os.path.join(self.work.path, "other-pki"), name="Another CA")
        stranger = other.issue("stranger", common_name="stranger", client=True)
        with self.assertRaises(Exception):
            run_async(echo_once(port, client_context(self.pki, stranger)))
        code, output = s_client(port, "-tls1_2", client=stranger, ca=self.pki.ca_pem)
        self.assertNotEqual(code, 0, output)

    def test_expired_client_certificate_is_refused(self):
        port = self.start({"wss.ssl.trust.store.file": self.pki.ca_pem})
        expired = self.pki.issue("old-client", common_name="old client", client=True,
                                 expired=True)
        with self.assertRaises(Exception):
            run_async(echo_once(port, client_context(self.pki, expired)))
        self.sluice.wait_stderr(r"TLS handshake with 127\.0\.0\.1:\d+ failed: .*expired")

    def test_verify_client_none_serves_clients_without_a_certificate(self):
        port = self.start({"wss.ssl.trust.store.file": self.pki.ca_pem,
                           "wss.ssl.verify.client": "none"})
        self.assertEqual(run_async(echo_once(port, client_context(self.pki), "anon")), "anon")

    def test_verify_client_optional_serves_without_and_refuses_an_untrusted_certificate(self):
        port = self.start({"wss.ssl.trust.store.file": self.pki.ca_pem,
                           "wss.ssl.verify.client": "optional"})
        self.assertEqual(run_async(echo_once(port, client_context(self.pki), "anon")), "anon")
        client = self.pki.issue("client", common_name="trusted client", client=True)
        self.assertEqual(run_async(echo_once(port, client_context(self.pki, client), "mine")),
                         "mine")
        other = TestPki(os.path.join(self.work.path, "other-pki"), name="Another CA")
        stranger = other.issue("stranger", common_name="stranger", client=True)
        with self.assertRaises(Exception):
            run_async(echo_once(port, client_context(self.pki, stranger)))
        self.sluice.wait_stderr(r"client certificate refused")


class WssDeploymentErrorTest(unittest.TestCase):
    """Key store problems stop `sluice run` (exit 1) with the endpoint, the parameter's
    file:line:col and the reason; nothing listens and no password is printed."""

    def setUp(self):
        self.work = Workdir(self)
        self.pki = TestPki(os.path.join(self.work.path, "pki"))

    def refused(self, params):
        port = free_port()
        project = wss_project(self.work.path, port, params)
        result = subprocess.run([SLUICE, "run", "--no-management", project],
                                capture_output=True, text=True, timeout=30)
        self.assertEqual(result.returncode, 1, result.stdout + result.stderr)
        self.assertNotIn("listening on", result.stdout)
        self.assertRegex(result.stderr, r"secure\.xml:\d+:\d+: .*inbound endpoint 'secure': ")
        return result.stderr

    def test_missing_key_store_file(self):
        stderr = self.refused({"wss.ssl.key.store.file": "/nonexistent/server.pem"})
        self.assertIn("wss.ssl.key.store.file: key store /nonexistent/server.pem does not exist",
                      stderr)

    def test_missing_key_store_parameter(self):
        stderr = self.refused({})
        self.assertIn("protocol wss needs the parameter 'wss.ssl.key.store.file'", stderr)

    def test_wrong_pkcs12_password_is_not_printed(self):
        server = self.pki.issue("server")
        stderr = self.refused({"wss.ssl.key.store.file": server.p12,
                               "wss.ssl.key.store.pass": "not-the-password-1234"})
        self.assertIn("cannot open key store", stderr)
        self.assertIn("wrong password", stderr)
        self.assertNotIn("not-the-password-1234", stderr)

    def test_missing_password_variable_names_the_variable_only(self):
        server = self.pki.issue("server")
        stderr = self.refused({"wss.ssl.key.store.file": server.p12,
                               "wss.ssl.key.store.pass": "$env:SLUICE_TEST_UNSET_VARIABLE_X"})
        self.assertIn("wss.ssl.key.store.pass: environment variable "
                      "SLUICE_TEST_UNSET_VARIABLE_X is not set", stderr)

    def test_jks_key_store_is_refused_with_the_keytool_hint(self):
        jks = os.path.join(self.work.path, "server.jks")
        with open(jks, "wb") as f:
            f.write(b"\xfe\xed\xfe\xed\x00\x00\x00\x02" + b"\x00" * 64)
        stderr = self.refused({"wss.ssl.key.store.file": jks})
        self.assertIn("is a Java key store", stderr)
        self.assertIn("-deststoretype PKCS12", stderr)

    def test_expired_certificate(self):
        expired = self.pki.issue("expired", expired=True)
        stderr = self.refused({"wss.ssl.key.store.file": expired.chain_pem})
        self.assertRegex(stderr, r"certificate .* expired on 2020-01-02")

    def test_private_key_of_another_certificate(self):
        server = self.pki.issue("server")
        other = self.pki.issue("other")
        mixed = os.path.join(self.work.path, "mixed.pem")
        with open(mixed, "w") as out:
            for part in (server.cert, other.key):
                with open(part) as f:
                    out.write(f.read())
        stderr = self.refused({"wss.ssl.key.store.file": mixed})
        self.assertIn("the private key does not belong to the certificate localhost", stderr)

    def test_tls_1_1_in_the_protocols_is_refused(self):
        server = self.pki.issue("server")
        stderr = self.refused({"wss.ssl.key.store.file": server.chain_pem,
                               "wss.ssl.protocols": "TLSv1.1,TLSv1.2"})
        self.assertIn("wss.ssl.protocols: protocol TLSv1.1 is refused", stderr)

    def test_validate_reports_the_same_error(self):
        port = free_port()
        project = wss_project(self.work.path, port,
                              {"wss.ssl.key.store.file": "/nonexistent/server.pem"})
        result = subprocess.run([SLUICE, "validate", project], capture_output=True, text=True,
                                timeout=30)
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("key store /nonexistent/server.pem does not exist",
                      result.stdout + result.stderr)


if __name__ == "__main__":
    unittest.main()
