# SPDX-License-Identifier: Apache-2.0
"""SIGTERM while HTTP requests are in mediation: the listener stops accepting, the requests
waiting for a slow backend (python3's http.server, peers/http_echo_backend.py) are answered with
Connection: close, and sluice exits 0; past [transport.http] drain_timeout_ms the rest are cut
off with a warning, and sluice still exits 0. curl is the client."""
import os
import signal
import subprocess
import threading
import time
import unittest

from peers.harness import NS, Workdir, free_port, port_is_listening, wait_until
from peers.http_echo_backend import EchoBackend
from test_http_sender import CONFIG

PROXY = """<proxy {ns} name="slow" transports="http">
    <target>
        <inSequence>
            <call><endpoint><address uri="{uri}"/></endpoint></call>
            <respond/>
        </inSequence>
    </target>
</proxy>
"""


class DrainTest(unittest.TestCase):
    def start(self, backend_delay, drain_ms):
        self.work = Workdir(self)
        self.backend = EchoBackend(self, slow_seconds=backend_delay)
        self.port = free_port()
        project = os.path.join(self.work.path, "project")
        folder = os.path.join(project, CONFIG, "proxy-services")
        os.makedirs(folder)
        with open(os.path.join(folder, "slow.xml"), "w") as f:
            f.write(PROXY.format(ns=NS, uri=self.backend.url + "/slow"))
        with open(os.path.join(project, "deployment.toml"), "w") as f:
            f.write("[server]\nhttp_listener_port = %d\n\n[transport.http]\n"
                    "drain_timeout_ms = %d\n" % (self.port, drain_ms))
        self.sluice = self.work.sluice(project)

    def post_in_background(self, count):
        """Starts `count` curl POSTs at once; returns the threads and their results."""
        results = [None] * count

        def post(i):
            started = time.monotonic()
            done = subprocess.run(
                ["curl", "-s", "-o", "-", "-w", "\n%{http_code}", "--max-time", "20",
                 "--data-binary", "request %d" % i,
                 "http://127.0.0.1:%d/services/slow" % self.port],
                capture_output=True, text=True)
            body, _, status = done.stdout.rpartition("\n")
            results[i] = (status, body, time.monotonic() - started)
        threads = [threading.Thread(target=post, args=(i,)) for i in range(count)]
        for thread in threads:
            thread.start()
        return threads, results

    def test_sigterm_answers_requests_in_mediation_then_exits_0(self):
        self.start(backend_delay=1.5, drain_ms=10000)
        threads, results = self.post_in_background(3)
        wait_until(lambda: len(self.backend.requests) == 3, 10, "3 requests at the backend")
        self.sluice.process.send_signal(signal.SIGTERM)
        # New connections are refused at once while the three are still being answered.
        wait_until(lambda: not port_is_listening(self.port), 5, "the listener to close")
        for thread in threads:
            thread.join(30)
        self.assertEqual(self.sluice.process.wait(20), 0)
        for i, (status, body, elapsed) in enumerate(results):
            self.assertTrue(status.startswith("2"), results)  # the backend's answer
            self.assertIn("request %d" % i, body)
            self.assertGreater(elapsed, 1.4)

    def test_requests_beyond_the_drain_timeout_are_cut_off_and_sluice_still_exits_0(self):
        self.start(backend_delay=6, drain_ms=500)
        threads, results = self.post_in_background(2)
        wait_until(lambda: len(self.backend.requests) == 2, 10, "2 requests at the backend")
        started = time.monotonic()
        self.sluice.process.send_signal(signal.SIGTERM)
        self.assertEqual(self.sluice.process.wait(20), 0)
        self.assertLess(time.monotonic() - started, 5)  # did not wait for the 6 s backend
        for thread in threads:
            thread.join(30)
        for status, _, _ in results:
            self.assertFalse(status.startswith("2"), results)
        self.assertRegex(self.sluice.stderr_text(),
                         r"2 request\(s\) still in mediation after 500 ms "
                         r"\(\[transport\.http\] drain_timeout_ms\)")


if __name__ == "__main__":
    unittest.main()
