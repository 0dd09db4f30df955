# SPDX-License-Identifier: Apache-2.0
"""<endpoint><address><timeout><duration>N</duration><responseAction>...</responseAction>
with MI's meaning, against a slow http.server backend (peers/http_echo_backend.py, GET/POST
/slow answers after a delay) and curl as the client:

  fault    the fault handler runs with ERROR_CODE 101504 at the duration; the late answer is
           dropped
  never    no endpoint action: in MI the duration still bounds the backend socket and a socket
  (none)   timeout faults unless the action is discard, so the same as fault
  discard  no fault handler runs; the message is dropped with its late answer; Sluice answers the
           waiting client 504 (MI leaves it to its own socket timeout)
"""
import json
import os
import time
import unittest

from peers.harness import NS, Workdir, free_port
from peers.http_echo_backend import EchoBackend
from test_http_sender import CONFIG, curl

BACKEND_DELAY = 1.5  # seconds the backend takes; the endpoints give up after 300 ms
PROXY = """<proxy {ns} name="{name}" transports="http">
    <target>
        <inSequence>
            <{mediator}><endpoint><address uri="{uri}">{timeout}</address></endpoint></{mediator}>
            {after}
        </inSequence>
        <outSequence>
            <log level="custom"><property name="LATE_ANSWER" value="{name}"/></log>
            <send/>
        </outSequence>
        <faultSequence>
            <log level="custom">
                <property name="FAULT_IN" value="{name}"/>
                <property name="FAULT_CODE" expression="get-property('ERROR_CODE')"/>
            </log>
        </faultSequence>
    </target>
</proxy>
"""


def timeout_xml(action, duration=300):
    action_xml = "<responseAction>%s</responseAction>" % action if action else ""
    return "<timeout><duration>%d</duration>%s</timeout>" % (duration, action_xml)


class EndpointTimeoutTest(unittest.TestCase):
    def setUp(self):
        self.work = Workdir(self)
        self.backend = EchoBackend(self, slow_seconds=BACKEND_DELAY)
        port = free_port()
        project = os.path.join(self.work.path, "project")
        folder = os.path.join(project, CONFIG, "proxy-services")
        os.makedirs(folder)
        proxies = {
            "faultSend": ("send", timeout_xml("fault")),
            "neverSend": ("send", timeout_xml("never")),
            "noActionSend": ("send", timeout_xml(None)),
            "discardSend": ("send", timeout_xml("discard")),
            "discardCall": ("call", timeout_xml("discard")),
            "faultCall": ("call", timeout_xml("fault")),
        }
        for name, (mediator, timeout) in proxies.items():
            with open(os.path.join(folder, name + ".xml"), "w") as f:
                # What follows a call runs with its answer; a send's in-flow simply ends.
                after = ('<log level="custom"><property name="AFTER_CALL" value="%s"/></log>'
                         '<respond/>' % name) if mediator == "call" else ""
                f.write(PROXY.format(ns=NS, name=name, mediator=mediator, timeout=timeout,
                                     uri=self.backend.url + "/slow", after=after))
        with open(os.path.join(project, "deployment.toml"), "w") as f:
            f.write("[server]\nhttp_listener_port = %d\n" % port)
        self.sluice = self.work.sluice(project)
        self.base = "http://127.0.0.1:%d/services/" % port

    def post(self, proxy):
        started = time.monotonic()
        status, headers, body = curl("--data-binary", '{"p":"%s"}' % proxy, self.base + proxy)
        return status, headers, body, time.monotonic() - started

    def assert_timed_out_in_time(self, proxy, status, body, elapsed):
        self.assertEqual(status, 504, body)
        self.assertEqual(json.loads(body)["code"], 101504)
        # Answered at the endpoint's 300 ms, not when the backend finally answers.
        self.assertLess(elapsed, BACKEND_DELAY, "%s took %.2f s" % (proxy, elapsed))

    def wait_for_the_late_answer(self, count):
        """Waits until the backend has had every request and its delay has passed, so that a
        late answer would have come back by now."""
        deadline = time.monotonic() + 10
        while len(self.backend.requests) < count and time.monotonic() < deadline:
            time.sleep(0.05)
        self.assertEqual(len(self.backend.requests), count)
        time.sleep(BACKEND_DELAY + 0.3)

    def test_fault_runs_the_fault_sequence_with_101504(self):
        status, _, body, elapsed = self.post("faultSend")
        self.assert_timed_out_in_time("faultSend", status, body, elapsed)
        self.assertIn("no answer within 300 ms", json.loads(body)["error"])
        self.sluice.wait_stderr(r"FAULT_IN = faultSend, FAULT_CODE = 101504")
        status, _, body, elapsed = self.post("faultCall")
        self.assert_timed_out_in_time("faultCall", status, body, elapsed)
        self.sluice.wait_stderr(r"FAULT_IN = faultCall, FAULT_CODE = 101504")
        self.wait_for_the_late_answer(2)
        log = self.sluice.stderr_text()
        self.assertNotIn("LATE_ANSWER", log)
        self.assertNotIn("AFTER_CALL", log)

    def test_never_and_no_action_fault_at_the_duration_as_in_mi(self):
        for proxy in ("neverSend", "noActionSend"):
            status, _, body, elapsed = self.post(proxy)
            self.assert_timed_out_in_time(proxy, status, body, elapsed)
            self.sluice.wait_stderr(r"FAULT_IN = %s, FAULT_CODE = 101504" % proxy)

    def test_discard_drops_the_message_without_the_fault_sequence(self):
        for proxy in ("discardSend", "discardCall"):
            status, _, body, elapsed = self.post(proxy)
            self.assert_timed_out_in_time(proxy, status, body, elapsed)
            self.assertIn("discarded (responseAction discard)", json.loads(body)["error"])
            self.sluice.wait_stderr(r"message \d+: POST .*/slow: no answer within 300 ms; "
                                    r"message discarded")
        self.wait_for_the_late_answer(2)
        log = self.sluice.stderr_text()
        self.assertNotIn("FAULT_IN", log)
        self.assertNotIn("LATE_ANSWER", log)
        self.assertNotIn("AFTER_CALL", log)


if __name__ == "__main__":
    unittest.main()
