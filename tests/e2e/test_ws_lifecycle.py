# SPDX-License-Identifier: Apache-2.0
"""`sluice run` starting and stopping around WebSocket endpoints: SIGTERM closes every client
with ws.shutdown.status.code / message and exits 0; a port in use or an invalid project exits 1
with a clear message and leaves nothing listening."""
import asyncio
import os
import signal
import socket
import subprocess
import tempfile
import time
import unittest

from peers.harness import (NS, SLUICE, Proxy, closed_with, free_port, inbound_xml,
                           port_is_listening, run_async, write_project)

ECHO_SEQ = """<?xml version="1.0" encoding="UTF-8"?>
<sequence name="echoSeq" {ns}>
    <respond/>
</sequence>
""".format(ns=NS)


class ShutdownTest(unittest.TestCase):
    def test_sigterm_closes_every_client_with_the_shutdown_code_and_exits_0(self):
        proxy = Proxy(self, params={"ws.shutdown.status.code": "4002",
                                    "ws.shutdown.status.message": "Sluice is going away"})
        clients_count = 6

        async def scenario():
            clients = [await proxy.connect("/s%d" % (n % 2)) for n in range(clients_count)]
            for n, ws in enumerate(clients):  # each with its backend connection open
                await ws.send("hello %d" % n)
                self.assertEqual(await ws.recv(), "hello %d" % n)
            start = time.monotonic()
            proxy.sluice.process.send_signal(signal.SIGTERM)
            results = await asyncio.gather(*(closed_with(ws) for ws in clients))
            exit_code = await asyncio.to_thread(proxy.sluice.process.wait, 10)
            return results, exit_code, time.monotonic() - start
        results, exit_code, elapsed = run_async(scenario())
        self.assertEqual(results, [(4002, "Sluice is going away")] * clients_count)
        self.assertEqual(exit_code, 0, proxy.sluice.stderr_text())
        # Clients that answer the close at once do not hold up the exit (stop() waits up to 2 s
        # only for connections still open).
        self.assertLess(elapsed, 1.9)
        self.assertFalse(port_is_listening(proxy.port))
        # The backend connections went with their clients.
        self.assertEqual(len(proxy.backend.wait_events("close", clients_count)), clients_count)


class StartupFailureTest(unittest.TestCase):
    def run_sluice(self, project):
        return subprocess.run([SLUICE, "run", project], capture_output=True, text=True,
                              timeout=30)

    def test_port_in_use_exits_1_naming_port_and_endpoint_and_listens_nowhere(self):
        with tempfile.TemporaryDirectory(prefix="sluice-e2e-") as root, \
                socket.socket() as squatter:
            squatter.bind(("127.0.0.1", 0))
            squatter.listen(1)
            busy = squatter.getsockname()[1]
            free = free_port()
            # "alpha" starts first and must be stopped again when "websocket" cannot listen.
            project = write_project(root, {"echoSeq": ECHO_SEQ}, {
                "alpha": inbound_xml("alpha", free, "echoSeq"),
                "websocket": inbound_xml("websocket", busy, "echoSeq"),
            })
            result = self.run_sluice(project)
            self.assertEqual(result.returncode, 1, result.stderr)
            self.assertRegex(result.stderr,
                             r"inbound endpoint 'websocket': cannot listen on 127\.0\.0\.1:%d"
                             % busy)
            self.assertIn("was not deployed", result.stderr)
            self.assertNotIn("listening on", result.stdout)
            self.assertFalse(port_is_listening(free))

    def test_missing_outflow_sequence_exits_1_and_listens_nowhere(self):
        with tempfile.TemporaryDirectory(prefix="sluice-e2e-") as root:
            port = free_port()
            project = write_project(root, {"echoSeq": ECHO_SEQ}, {
                "websocket": inbound_xml("websocket", port, "echoSeq", {
                    "ws.outflow.dispatch.sequence": "noSuchOutflowSeq"}),
            })
            result = self.run_sluice(project)
            self.assertEqual(result.returncode, 1, result.stderr)
            self.assertRegex(result.stderr, r"websocket\.xml:\d+:\d+: .*noSuchOutflowSeq")
            self.assertFalse(port_is_listening(port))
            self.assertTrue(os.path.isdir(project))


if __name__ == "__main__":
    unittest.main()
